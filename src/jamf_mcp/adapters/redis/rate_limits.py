"""Token buckets in Redis, one per key for the whole fleet (implements `RateLimiter`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamf_mcp.adapters.redis.connection import RedisClient
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space
from jamf_mcp.adapters.redis.once import OnceScript
from jamf_mcp.application.ports.rate_limits import RateDecision

if TYPE_CHECKING:
    from jamf_mcp.application.ports.rate_limits import RateLimiter

# KEYS[1] the bucket; ARGV[1] capacity (tokens, regained per period); ARGV[2] the period (s).
# Refills for the time since the last take — by the Redis server's clock, so replicas whose clocks
# disagree still share one bucket — then takes a token if there is one. The key expires when the
# bucket would be full again: a missing bucket and a full one are the same thing. Run once per
# take (`OnceScript`): a replayed take is not a second token.
_TAKE = """
local capacity = tonumber(ARGV[1])
local rate = capacity / tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) + tonumber(time[2]) / 1000000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1])
local at = tonumber(bucket[2])
if tokens == nil or at == nil then
  tokens = capacity
  at = now
end
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'at', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {allowed, string.format('%.17g', tokens)}
"""


class RedisRateLimiter:
    """A `RateLimiter` whose buckets every replica shares: one hash per key, one script per take.

    The script refills and takes atomically using Redis's own `TIME`, and lets an idle bucket's
    key expire once it would be full again; it runs once per take, however often the client
    sends it. Keys are `<prefix>rate:<SHA-256 of the key>` (the digest is the slot anchor).

    Args:
        redis: the shared client.
        prefix: the key prefix.
        period_seconds: the time in which an empty bucket fills again (a minute by default;
            a day for the registration quota).
    """

    def __init__(
        self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX, period_seconds: float = 60.0
    ) -> None:
        self._keys = key_space(redis, prefix)
        self._take = OnceScript(redis, _TAKE)
        self._period = period_seconds

    async def take(self, key: str, capacity: int) -> RateDecision:
        """Take one token from the key's bucket, or say how long to wait for one.

        Raises:
            ValueError: `capacity` is below one.
            StateUnavailable: Redis cannot be reached (whether a token was taken is unknown).
        """
        if capacity < 1:
            raise ValueError("a bucket holds at least one token")
        allowed, left = await self._take([self._keys.of("rate", key)], [capacity, self._period])
        tokens = float(left)
        if allowed:
            return RateDecision(True, 0.0, int(tokens))
        return RateDecision(False, (1.0 - tokens) / (capacity / self._period), 0)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_rate_limiter: type[RateLimiter] = RedisRateLimiter
