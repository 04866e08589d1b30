"""The shared Redis client: how it is opened and closed, its health check, and its failures.

One `redis.asyncio.Redis` (with its connection pool) serves every Redis adapter of a process.
It fails fast: connecting and each reply wait at most `socket_timeout` seconds, a dropped
connection is retried once at once (a pooled connection may have gone stale), and whatever is
left of a failure becomes `StateUnavailable` — never a silent fallback to this process's memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ReadOnlyError
from redis.exceptions import TimeoutError as RedisTimeoutError

from jamf_mcp.domain.errors import StateUnavailable

DEFAULT_TIMEOUT_SECONDS = 2.0
"""How long connecting, and waiting for any one reply, may take."""

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ReadOnlyError, OSError)
"""Failures that mean "the store cannot serve now" (a read-only replica counts: mid-failover)."""


MAX_CONNECTIONS = 200
"""Connections one process may open; beyond that a command waits (up to the timeout) for one."""


def open_redis(
    url: str,
    *,
    socket_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_connections: int = MAX_CONNECTIONS,
) -> Redis:
    """A client for `url` (`redis://`, `rediss://` or `unix://`) that fails fast.

    Nothing is connected until the first command; close it with `aclose()` (or use
    `redis_client`). Replies are bytes: the adapters decode what they read themselves. The pool
    is a blocking one: a burst beyond `max_connections` waits for a free connection (at most
    `socket_timeout`) instead of failing at once, as redis-py's default pool would.

    Args:
        url: where the Redis server is; credentials may be part of it (never logged here).
        socket_timeout: seconds allowed for connecting, for each reply, and for a free connection.
        max_connections: the pool's size.
    """
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=socket_timeout,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        # Once, at once, and only for a broken connection: a timeout is not retried, so no call
        # waits much longer than `socket_timeout`.
        retry=Retry(NoBackoff(), retries=1, supported_errors=(RedisConnectionError,)),
        decode_responses=False,
    )
    return Redis.from_pool(pool)  # the client owns the pool and closes it with itself


@asynccontextmanager
async def redis_client(
    url: str, *, socket_timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> AsyncIterator[Redis]:
    """`open_redis` for the length of an `async with` block; the pool is closed on the way out."""
    client = open_redis(url, socket_timeout=socket_timeout)
    try:
        yield client
    finally:
        await client.aclose()


async def ping(client: Redis) -> None:
    """Succeed when Redis answers (a readiness check).

    Raises:
        StateUnavailable: it does not, within the client's timeout.
    """
    with reaching_redis():
        await client.ping()


@contextmanager
def reaching_redis() -> Iterator[None]:
    """Turn "Redis cannot be reached" inside the block into `StateUnavailable`.

    Only the exception's class is put in the message (it is shown to users); the original stays
    chained for the logs. Other Redis errors (a script bug, a wrong type) propagate unchanged.
    """
    try:
        yield
    except _UNREACHABLE as error:
        raise StateUnavailable(f"redis: {type(error).__name__}") from error
