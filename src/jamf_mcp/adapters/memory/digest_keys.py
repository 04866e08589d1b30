"""A digest key given up front: from `JAMF_MCP_DIGEST_KEY`, or a test's (implements `DigestKeys`)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from jamf_mcp.domain.action_digests import MIN_KEY_BYTES, DigestKey

if TYPE_CHECKING:
    from jamf_mcp.application.ports.confirmations import DigestKeys


class StaticDigestKeys:
    """Always the same key (a fresh random one by default).

    Args:
        key: the key; None makes a random one (for tests and single-process demos).
    """

    def __init__(self, key: DigestKey | None = None) -> None:
        self.current = key if key is not None else DigestKey(secrets.token_bytes(MIN_KEY_BYTES))

    async def key(self) -> DigestKey:
        """The key."""
        return self.current


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_digest_keys: type[DigestKeys] = StaticDigestKeys
