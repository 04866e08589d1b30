"""MCP sessions in Redis, shared by every replica (implements `SessionStore`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from jamf_mcp.adapters.mcp.sessions import (
    DEFAULT_MAX_PER_PRINCIPAL,
    DEFAULT_MAX_SESSIONS,
    Session,
    TooManySessions,
)
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, hashed, key_space
from jamf_mcp.adapters.redis.once import OnceScript
from jamf_mcp.adapters.redis.session_mapping import session_from_json, session_to_json

if TYPE_CHECKING:
    from jamf_mcp.adapters.mcp.sessions import SessionStore

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

# KEYS: the session, its principal's sessions (sorted set, by creation), every session (sorted
# set, by last use). ARGV: stored session, last seen (µs), now (µs), idle timeout (µs), idle
# timeout (ms), most sessions per principal, most sessions in all.
# Replaces a session in place; stores a new one unless the store is full (returns 0), ending
# the principal's oldest beyond their limit (their keys are in this slot: every session key is
# anchored on the `session` group). Both sets expire when every session they hold would have
# gone idle. Runs once per call.
_ADD = """
local now = tonumber(ARGV[3])
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'seen', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  redis.call('ZADD', KEYS[3], ARGV[2], KEYS[1])
  redis.call('PEXPIRE', KEYS[3], ARGV[5])
  return 1
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('%.0f', now - tonumber(ARGV[4])))
if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[7]) then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[1], 'seen', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[2], KEYS[1])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
redis.call('ZADD', KEYS[2], now, KEYS[1])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[6])
if over > 0 then
  local oldest = redis.call('ZPOPMIN', KEYS[2], over)
  for i = 1, #oldest, 2 do
    redis.call('ZREM', KEYS[3], oldest[i])
    redis.call('DEL', oldest[i])
  end
end
return 1
"""

# KEYS: the session, every session. ARGV: now (µs), idle timeout (µs), idle timeout (ms).
# Returns the stored session of a live one after marking it seen now; nil for none or an idle one.
# Idempotent as it is (a replay marks it seen at the same instant), so not wrapped.
_TOUCH = """
local found = redis.call('HMGET', KEYS[1], 's', 'seen')
if not found[1] then return false end
if tonumber(ARGV[1]) - tonumber(found[2]) >= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], KEYS[1])
  return false
end
redis.call('HSET', KEYS[1], 'seen', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[1], KEYS[1])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return found[1]
"""

# KEYS: the session, every session. ARGV: now (µs), idle timeout (µs).
# {1 when a live session was removed, its stored form (to clear its principal's list)}. Runs
# once per call (a replay must not answer "there was none").
_REMOVE = """
local found = redis.call('HMGET', KEYS[1], 's', 'seen')
if not found[2] then return {0, false} end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], KEYS[1])
if tonumber(ARGV[1]) - tonumber(found[2]) >= tonumber(ARGV[2]) then return {0, found[1]} end
return {1, found[1]}
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

    The limits hold across replicas: a sorted set of every session by last use (its idle
    members are dropped before counting) caps the total, and one per principal, by creation,
    names the oldest to end when they open one too many. Every key is anchored on the `session`
    group (one slot of a cluster: the sets name sessions and the limits hold for all of them);
    adding and removing run once per call however often the client sends them.

    Args:
        redis: the shared client.
        prefix: the key prefix.
        idle_timeout: a session unused for this long is gone.
        clock: the time source for "last seen" and idleness, injectable for tests.
        max_per_principal: sessions one principal may hold (a new one ends their oldest).
        max_sessions: sessions held in all (a new one beyond is refused).
    """

    def __init__(
        self,
        redis: RedisClient,
        *,
        prefix: str = DEFAULT_PREFIX,
        idle_timeout: timedelta = timedelta(hours=1),
        clock: Callable[[], datetime] = _utc_now,
        max_per_principal: int = DEFAULT_MAX_PER_PRINCIPAL,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
    ) -> None:
        if idle_timeout <= timedelta(0):
            raise ValueError("sessions need a positive idle timeout")
        if max_per_principal < 1 or max_sessions < 1:
            raise ValueError("session limits must be at least 1")
        self._redis = redis
        self._keys = key_space(redis, prefix)
        self._all = self._keys.grouped("session", "s:all")
        self._idle_us = idle_timeout // _MICROSECOND
        self._idle_ms = max(1, self._idle_us // 1000)
        self._clock = clock
        self._limits = (max_per_principal, max_sessions)
        self._add = OnceScript(redis, _ADD)
        self._touch = redis.register_script(_TOUCH)
        self._remove = OnceScript(redis, _REMOVE)

    def _key(self, session_id: str) -> str:
        return self._keys.grouped("session", f":{hashed(session_id)}")

    def _owned(self, principal_key: str) -> str:
        return self._keys.grouped("session", f"s-of:{hashed(principal_key)}")

    async def add(self, session: Session) -> None:
        """Store a session: a new one within the limits (ending the principal's oldest).

        Raises:
            TooManySessions: it is new and the store is full.
            StateUnavailable: Redis cannot be reached.
        """
        key = self._key(session.id)
        keys = [key, self._owned(session.principal_key), self._all]
        args: list[bytes | int] = [
            session_to_json(session),
            _micros(session.last_seen_at),
            _micros(self._clock()),
            self._idle_us,
            self._idle_ms,
            *self._limits,
        ]
        if not await self._add(keys, args):
            raise TooManySessions()

    async def get(self, session_id: str) -> Session | None:
        """Return the live session with this id, marked as seen now, or None."""
        now = self._clock()
        with reaching_redis():
            raw = await self._touch(
                keys=[self._key(session_id), self._all],
                args=[_micros(now), self._idle_us, self._idle_ms],
            )
        if raw is None:
            return None
        return attrs.evolve(session_from_json(raw), last_seen_at=now)

    async def remove(self, session_id: str) -> bool:
        """Forget a session; True if it existed and was live."""
        key = self._key(session_id)
        removed, raw = await self._remove([key, self._all], [_micros(self._clock()), self._idle_us])
        if raw is not None:
            with reaching_redis():  # idempotent: a replay removes nothing more
                await self._redis.zrem(self._owned(session_from_json(raw).principal_key), key)
        return bool(removed)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_session_store: type[SessionStore] = RedisSessionStore
