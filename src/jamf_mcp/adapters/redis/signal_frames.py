"""How a signal travels on the one signal channel: framed with its id and its key's digest.

A frame is `<id: 16 bytes><SHA-256 of the key: 32 bytes><payload>`. The id is fresh per publish,
so a publish the client sent twice (its first reply lost with the connection) is recognised and
delivered once; the key's digest names the listeners without naming anyone.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict

ID_BYTES = 16
DIGEST_BYTES = 32
HEADER_BYTES = ID_BYTES + DIGEST_BYTES


def key_digest(key: str) -> bytes:
    """The SHA-256 of a signal key (what frames carry, and listeners are filed under)."""
    return hashlib.sha256(key.encode()).digest()


def frame(key: str, payload: bytes) -> bytes:
    """A frame for `payload` under `key`, with a fresh id."""
    return secrets.token_bytes(ID_BYTES) + key_digest(key) + payload


def unframe(data: bytes) -> tuple[bytes, bytes, bytes] | None:
    """`(id, key digest, payload)`, or None for data too short to be a frame."""
    if len(data) < HEADER_BYTES:
        return None
    return data[:ID_BYTES], data[ID_BYTES:HEADER_BYTES], data[HEADER_BYTES:]


class RecentIds:
    """The frame ids seen lately: for `seconds`, and at most `capacity` of them.

    A replayed publish arrives within a few seconds of the first, so a short memory is enough;
    the bound keeps it small under any load (beyond it the oldest ids are forgotten early).
    """

    def __init__(self, seconds: float, capacity: int) -> None:
        self._seconds = seconds
        self._capacity = capacity
        self._seen: OrderedDict[bytes, float] = OrderedDict()  # in order of arrival

    def __len__(self) -> int:
        return len(self._seen)

    def first(self, frame_id: bytes, now: float) -> bool:
        """Remember `frame_id`; True unless it was seen within the window."""
        seen = self._seen
        while seen:
            _, at = next(iter(seen.items()))
            if len(seen) < self._capacity and now - at <= self._seconds:
                break
            seen.popitem(last=False)
        if frame_id in seen:
            return False
        seen[frame_id] = now
        return True
