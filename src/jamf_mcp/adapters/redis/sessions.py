"""MCP sessions in Redis, shared by every replica (implements `SessionStore`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs
from redis.asyncio import Redis

from jamf_mcp.adapters.mcp.sessions import Session
from jamf_mcp.adapters.redis.connection import reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, KeySpace
from jamf_mcp.adapters.redis.session_mapping import session_from_json, session_to_json

if TYPE_CHECKING:
    from jamf_mcp.adapters.mcp.sessions import SessionStore

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

# KEYS[1] the session; ARGV: now (µs), idle timeout (µs), idle timeout (ms).
# Returns the stored session of a live one after marking it seen now; nil for none or an idle one.
_TOUCH = """
local found = redis.call('HMGET', KEYS[1], 's', 'seen')
if not found[1] then return false end
if tonumber(ARGV[1]) - tonumber(found[2]) >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  return false
end
redis.call('HSET', KEYS[1], 'seen', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return found[1]
"""

# KEYS[1] the session; ARGV: now (µs), idle timeout (µs). 1 when a live session was removed.
_REMOVE = """
local seen = redis.call('HGET', KEYS[1], 'seen')
if not seen then return 0 end
redis.call('DEL', KEYS[1])
if tonumber(ARGV[1]) - tonumber(seen) >= tonumber(ARGV[2]) then return 0 end
return 1
"""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _micros(instant: datetime) -> int:
    return (instant - _EPOCH) // _MICROSECOND


class RedisSessionStore:
    """A `SessionStore` in Redis: one hash per session, its idle expiry decided atomically.

    Each session is a hash holding the session (`s`, JSON) and when it was last seen (`seen`,
    microseconds since the epoch), so marking it seen never rewrites — or races with — a
    replacement. Idleness is judged inside a Lua script against `clock`, exactly as the
    in-memory store judges it; the key's Redis TTL (the idle timeout, renewed on use) only
    collects what nobody asks for again. Replicas' clocks must agree to well within the timeout.

    Args:
        redis: the shared client.
        prefix: the key prefix.
        idle_timeout: a session unused for this long is gone.
        clock: the time source for "last seen" and idleness, injectable for tests.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        idle_timeout: timedelta = timedelta(hours=1),
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        if idle_timeout <= timedelta(0):
            raise ValueError("sessions need a positive idle timeout")
        self._redis = redis
        self._keys = KeySpace(prefix)
        self._idle_us = idle_timeout // _MICROSECOND
        self._idle_ms = max(1, self._idle_us // 1000)
        self._clock = clock
        self._touch = redis.register_script(_TOUCH)
        self._remove = redis.register_script(_REMOVE)

    def _key(self, session_id: str) -> str:
        return self._keys.of("session", session_id)

    async def add(self, session: Session) -> None:
        """Store a session, replacing the one with the same id."""
        key = self._key(session.id)
        with reaching_redis():
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(
                    key,
                    mapping={"s": session_to_json(session), "seen": _micros(session.last_seen_at)},
                )
                pipe.pexpire(key, self._idle_ms)
                await pipe.execute()

    async def get(self, session_id: str) -> Session | None:
        """Return the live session with this id, marked as seen now, or None."""
        now = self._clock()
        with reaching_redis():
            raw = await self._touch(
                keys=[self._key(session_id)], args=[_micros(now), self._idle_us, self._idle_ms]
            )
        if raw is None:
            return None
        return attrs.evolve(session_from_json(raw), last_seen_at=now)

    async def remove(self, session_id: str) -> bool:
        """Forget a session; True if it existed and was live."""
        with reaching_redis():
            removed = await self._remove(
                keys=[self._key(session_id)], args=[_micros(self._clock()), self._idle_us]
            )
        return bool(removed)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_session_store: type[SessionStore] = RedisSessionStore
