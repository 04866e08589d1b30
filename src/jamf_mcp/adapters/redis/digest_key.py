"""The digest key shared through Redis, so replicas on different disks compute the same digests."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from jamf_mcp.adapters.local_files import new_digest_key_text, parse_digest_key
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, KeySpace
from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.errors import StateUnavailable

if TYPE_CHECKING:
    from jamf_mcp.application.ports.confirmations import DigestKeys

_log = logging.getLogger(__name__)

# KEYS[1] the key's key; ARGV[1] a candidate. The stored key, storing the candidate if none is.
# Idempotent as it is: a replay returns the key the first run stored.
_GET_OR_SET = """
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
"""

RECHECK_SECONDS = 60.0


class RedisDigestKeys:
    """`DigestKeys` in Redis (`<prefix>secret:digest-key`), set once by whichever replica is first.

    The key is read once and kept in memory; about once a minute a call checks it again, so
    replicas converge if Redis lost it (the first to notice puts the key it holds back). Whoever
    can read this Redis can read the key: protect Redis as the data directory (ADR 0017).

    Args:
        redis: the shared client.
        prefix: the key prefix.
        recheck_seconds: how often the stored key is compared with the one held.
        monotonic: the time source for re-checks (tests).
    """

    def __init__(
        self,
        redis: RedisClient,
        *,
        prefix: str = DEFAULT_PREFIX,
        recheck_seconds: float = RECHECK_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._script = redis.register_script(_GET_OR_SET)
        self._name = KeySpace(prefix).single("secret", "digest-key")
        self._recheck = recheck_seconds
        self._monotonic = monotonic
        self._key: DigestKey | None = None
        self._text: bytes = b""
        self._checked_at = 0.0

    async def key(self) -> DigestKey:
        """The shared key.

        Raises:
            StateUnavailable: Redis cannot be reached and no key was loaded yet.
        """
        now = self._monotonic()
        if self._key is not None and now - self._checked_at < self._recheck:
            return self._key
        candidate = self._text or new_digest_key_text().strip()
        try:
            with reaching_redis():
                stored = await self._script(keys=[self._name], args=[candidate])
        except StateUnavailable:
            if self._key is None:
                raise
            return self._key  # keep the key we hold; check again later
        text = bytes(stored)
        key = parse_digest_key(text)
        if self._key is not None and key != self._key:
            _log.warning("The shared digest key changed in Redis; using the new one")
        self._key, self._text, self._checked_at = key, text, now
        return key


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_digest_keys: type[DigestKeys] = RedisDigestKeys
