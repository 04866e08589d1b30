"""The digest key in a file of the data directory (one replica, or replicas sharing a disk)."""

from __future__ import annotations

import base64
import binascii
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from jamf_mcp.adapters.local_files.private_files import create_or_load
from jamf_mcp.domain.action_digests import MIN_KEY_BYTES, DigestKey

if TYPE_CHECKING:
    from jamf_mcp.application.ports.confirmations import DigestKeys

DIGEST_KEY_FILE = "digest-key"


def new_digest_key_text() -> bytes:
    """A fresh key as the file holds it: 32 random bytes, URL-safe base64, newline-terminated."""
    return base64.urlsafe_b64encode(secrets.token_bytes(MIN_KEY_BYTES)) + b"\n"


def parse_digest_key(text: bytes | str) -> DigestKey:
    """A key from its text form: URL-safe (or standard) base64, or hex, of at least 32 bytes.

    Raises:
        ValueError: the text is not such a key (the message never quotes it).
    """
    raw = text.strip() if isinstance(text, bytes) else text.strip().encode()
    decoded: bytes | None = None
    try:
        decoded = bytes.fromhex(raw.decode("ascii")) if len(raw) >= 64 else None
    except (UnicodeDecodeError, ValueError):
        decoded = None
    if decoded is None:
        try:
            decoded = base64.b64decode(raw + b"=" * (-len(raw) % 4), altchars=b"-_", validate=True)
        except binascii.Error:
            try:
                decoded = base64.b64decode(raw + b"=" * (-len(raw) % 4), validate=True)
            except binascii.Error:
                raise ValueError("the digest key is not base64 or hex") from None
    return DigestKey(decoded)


class FileDigestKeys:
    """`DigestKeys` kept in `<data dir>/digest-key` (mode 0600), created on first use.

    Read once; replicas sharing the data directory read the same file (see `create_or_load`).

    Args:
        path: the key file.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._key: DigestKey | None = None

    async def key(self) -> DigestKey:
        """The key, loaded (or created) on first use."""
        if self._key is None:
            self._key = create_or_load(self._path, new_digest_key_text, parse_digest_key)
        return self._key


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_digest_keys: type[DigestKeys] = FileDigestKeys
