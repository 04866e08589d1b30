"""Upstream credentials sealed for storage: AES-256-GCM, so a copy of the state store is not a
copy of the identity provider's refresh tokens.

The key is derived from the front door's signing key (`SigningKey.derive_secret`), which every
replica already shares; a new signing key makes sealed credentials unreadable, and the grants that
hold them then end at their next re-check (the user signs in again).
"""

from __future__ import annotations

import base64
import json
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jamf_mcp.adapters.oauth_server.upstream import UpstreamCredentials

logger = logging.getLogger(__name__)

_CONTEXT = b"jamf-mcp upstream credentials v1"
_NONCE_BYTES = 12


class CredentialSeal:
    """Seals and opens `UpstreamCredentials`.

    Args:
        key: 32 random (or derived) bytes.
    """

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("the sealing key is 32 bytes")
        self._aead = AESGCM(key)

    def seal(self, credentials: UpstreamCredentials) -> str | None:
        """The sealed form (URL-safe text), or None when there is nothing to keep."""
        if credentials.empty:
            return None
        plain = json.dumps(
            {
                "r": credentials.refresh_token,
                "a": credentials.access_token,
                "e": credentials.access_expires_at,
            },
            separators=(",", ":"),
        ).encode()
        nonce = os.urandom(_NONCE_BYTES)
        sealed = nonce + self._aead.encrypt(nonce, plain, _CONTEXT)
        return base64.urlsafe_b64encode(sealed).decode()

    def open(self, sealed: str | None) -> UpstreamCredentials:
        """The credentials; empty ones when there are none or they cannot be opened."""
        if not sealed:
            return UpstreamCredentials()
        try:
            raw = base64.urlsafe_b64decode(sealed.encode())
            plain = self._aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], _CONTEXT)
            record = json.loads(plain)
        except (ValueError, InvalidTag):
            logger.warning("Stored upstream credentials could not be opened (signing key changed?)")
            return UpstreamCredentials()
        refresh, access, expires = record.get("r"), record.get("a"), record.get("e")
        return UpstreamCredentials(
            refresh_token=refresh if isinstance(refresh, str) else None,
            access_token=access if isinstance(access, str) else None,
            access_expires_at=float(expires) if isinstance(expires, int | float) else None,
        )
