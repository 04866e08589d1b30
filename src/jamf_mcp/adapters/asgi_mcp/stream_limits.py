"""How many long-lived streams (`GET /mcp`, legacy `GET /sse`) this process keeps open.

Each open stream holds a connection, a task and a queue for as long as the client likes. A user
who opens one too many ends their oldest; when the whole process holds its maximum, a new stream
is refused (503, `Retry-After`). Streams are connections to this replica, so the limits are per
replica (sessions, which replicas share, are limited across all of them by the session store).
"""

from __future__ import annotations

import asyncio
import itertools
from collections import OrderedDict
from typing import Final

EVICTED: Final = object()
"""Put into a stream's queue when a newer stream of the same user takes its place."""


class TooManyStreams(Exception):
    """The process holds as many streams as it may: a new one is refused (answered 503)."""

    message = "The server has too many open streams; try again in a minute."


class StreamSlot:
    """One admitted stream: tell its queue when it is evicted; release it when it ends."""

    def __init__(self, limits: StreamLimits, owner: str, number: int) -> None:
        self._limits = limits
        self.owner = owner
        self.number = number
        self._queue: asyncio.Queue[object] | None = None
        self.evicted = False

    def attach(self, queue: asyncio.Queue[object]) -> None:
        """Have `EVICTED` put into `queue` when this stream is evicted (at once if it was)."""
        self._queue = queue
        if self.evicted:
            queue.put_nowait(EVICTED)

    def evict(self) -> None:
        """End this stream (a newer one of the same user took its place)."""
        self.evicted = True
        if self._queue is not None:
            self._queue.put_nowait(EVICTED)

    def release(self) -> None:
        """The stream ended: free its place (idempotent)."""
        self._limits._release(self)


class StreamLimits:
    """Admits streams within the limits.

    Args:
        per_principal: streams one principal may hold; a new one evicts their oldest.
        total: streams the process may hold; a new one beyond is refused.
    """

    def __init__(self, per_principal: int, total: int) -> None:
        if per_principal < 1 or total < 1:
            raise ValueError("stream limits must be at least 1")
        self.per_principal = per_principal
        self.total = total
        self._held: dict[str, OrderedDict[int, StreamSlot]] = {}
        self._count = 0
        self._numbers = itertools.count()

    def __len__(self) -> int:
        return self._count

    def admit(self, owner: str) -> StreamSlot:
        """A place for a new stream of `owner` (a principal key), evicting their oldest if needed.

        Raises:
            TooManyStreams: the process is full (and `owner` holds none to give up).
        """
        held = self._held.get(owner)
        if held is not None and len(held) >= self.per_principal:
            self._release(next(iter(held.values())), evict=True)
        elif self._count >= self.total:
            raise TooManyStreams()
        slot = StreamSlot(self, owner, next(self._numbers))
        self._held.setdefault(owner, OrderedDict())[slot.number] = slot
        self._count += 1
        return slot

    def _release(self, slot: StreamSlot, *, evict: bool = False) -> None:
        held = self._held.get(slot.owner)
        if held is None or held.pop(slot.number, None) is None:
            return
        self._count -= 1
        if not held:
            del self._held[slot.owner]
        if evict:
            slot.evict()
