"""Client-assertion `jti`s in Redis, so an assertion works once across every replica
(implements `AssertionReplayCache`).

One key per assertion (`<prefix>oauth:assertion:<digest>`), set with NX and an expiry at the
assertion's own end; the value is the request id that set it. A script sets it or, when it
exists, compares the id: a command retried after a lost reply (the connection layer retries once)
finds its own id and is told "first use" again, while any other request is told "replayed". One
key per call: Redis Cluster safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server.assertion_replay import AssertionReplayCache

# KEYS[1] the assertion; ARGV[1] the request id, ARGV[2] time to live (ms).
_FIRST_USE = """
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then return 1 end
return 0
"""


class RedisAssertionReplays:
    """Used assertions in Redis, forgotten when they expire.

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._keys = key_space(redis, prefix)
        self._first_use = redis.register_script(_FIRST_USE)

    async def first_use(self, key: str, ttl: float, request_id: str) -> bool:
        """Record `key` for `ttl` seconds; False when another request used it first."""
        ttl_ms = max(1, round(ttl * 1000))
        with reaching_redis():
            used = await self._first_use(
                keys=[self._keys.given("oauth:assertion", key)], args=[request_id, ttl_ms]
            )
        return bool(used)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements: type[AssertionReplayCache] = RedisAssertionReplays
