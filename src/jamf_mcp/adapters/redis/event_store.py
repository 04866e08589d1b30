"""Resumable SSE streams' events in Redis, shared by every replica (implements `EventStore`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamf_mcp.adapters.mcp.streams import StoredEvents
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, hashed, key_space
from jamf_mcp.adapters.redis.once import OnceScript

if TYPE_CHECKING:
    from jamf_mcp.adapters.mcp.streams import EventStore

_LAST_NUMBER = (1 << 64) - 1  # the largest sequence part a stream entry id may have

# KEYS: meta, events; ARGV: data, max events, ttl (ms). Numbers and stores the next event; runs
# once per call (a replay must not store the event twice under another number).
_APPEND = """
local seq = redis.call('HINCRBY', KEYS[1], 'next', 1)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], '0-' .. seq, 'd', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return seq
"""

# KEYS: meta, events; ARGV: ttl (ms). Idempotent as it is.
_CLOSE = """
redis.call('HSET', KEYS[1], 'closed', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1
"""


def _number(entry_id: bytes) -> int:
    return int(entry_id.rpartition(b"-")[2])


class RedisEventStore:
    """An `EventStore` in Redis: a stream (`XADD`, ids `0-<number>`) and a small hash per stream.

    The hash holds the next number and the closed flag; the stream is trimmed to `max_events`
    exactly. Appending and closing renew both keys' TTL, reading does not — as in memory, a
    stream is forgotten `ttl_seconds` after it was last written. Keys hash the owner together
    with the stream id, so they name nobody; that digest anchors both keys of a stream in one
    slot of a cluster. An append runs once per call, however often the client sends it.

    Args:
        redis: the shared client.
        prefix: the key prefix.
        max_events: events kept per stream (the oldest are dropped beyond it).
        ttl_seconds: a stream unused for this long is forgotten.
    """

    def __init__(
        self,
        redis: RedisClient,
        *,
        prefix: str = DEFAULT_PREFIX,
        max_events: int = 5000,
        ttl_seconds: float = 900.0,
    ) -> None:
        if max_events < 1 or ttl_seconds <= 0:
            raise ValueError("an event store keeps at least one event for a positive time")
        self._redis = redis
        self._keys = key_space(redis, prefix)
        self._max_events = max_events
        self._ttl_ms = max(1, round(ttl_seconds * 1000))
        self._append = OnceScript(redis, _APPEND)
        self._close = redis.register_script(_CLOSE)

    def _stream_keys(self, owner: str, stream_id: str) -> list[str]:
        part = hashed(f"{owner}\n{stream_id}")
        return [
            self._keys.given("stream", part, ":meta"),
            self._keys.given("stream", part, ":events"),
        ]

    async def append(self, owner: str, stream_id: str, data: bytes) -> int:
        """Store the next event of a stream (creating it); return its number."""
        seq = await self._append(
            self._stream_keys(owner, stream_id), [data, self._max_events, self._ttl_ms]
        )
        return int(seq)

    async def close(self, owner: str, stream_id: str) -> None:
        """Mark the stream complete (creating it, as the in-memory store does)."""
        with reaching_redis():
            await self._close(keys=self._stream_keys(owner, stream_id), args=[self._ttl_ms])

    async def read_after(self, owner: str, stream_id: str, after: int) -> StoredEvents | None:
        """The events numbered above `after`, or None for an unknown stream."""
        meta, events = self._stream_keys(owner, stream_id)
        start = "-" if after <= 0 else f"(0-{min(after, _LAST_NUMBER - 1)}"
        with reaching_redis():
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.exists(meta)
                pipe.hget(meta, "closed")
                pipe.xrange(events, start, "+")
                exists, closed, entries = await pipe.execute()
        if not exists:
            return None
        return StoredEvents(
            tuple((_number(entry_id), fields[b"d"]) for entry_id, fields in entries),
            closed is not None,
        )


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_event_store: type[EventStore] = RedisEventStore
