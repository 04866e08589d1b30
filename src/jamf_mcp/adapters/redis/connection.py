"""The shared Redis client: how it is opened and closed, its health check, and its failures.

One client (with its connection pool) serves every Redis adapter of a process: a
`redis.asyncio.Redis` for one server (or a primary with replicas), a
`redis.asyncio.cluster.RedisCluster` for Redis Cluster (ElastiCache in cluster mode). It fails
fast: connecting and each reply wait at most `socket_timeout` seconds, a failed command is sent
once more at once (a pooled connection may have gone stale; the cluster client also re-reads the
cluster's layout first), and whatever is left of a failure becomes `StateUnavailable` — never a
silent fallback to this process's memory.

Because of that one retry a command may run twice (its first reply lost with the connection):
every write the adapters send is safe to run twice (see the package docstring and `once.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeAlias

from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ClusterDownError, ClusterError, ReadOnlyError, RedisClusterException
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from jamf_mcp.domain.errors import StateUnavailable

RedisClient: TypeAlias = Redis | RedisCluster
"""What every Redis adapter takes: one server's client or a cluster's."""

DEFAULT_TIMEOUT_SECONDS = 2.0
"""How long connecting, and waiting for any one reply, may take."""

_UNREACHABLE = (
    RedisConnectionError,
    RedisTimeoutError,
    ReadOnlyError,  # a replica answering: mid-failover
    ClusterDownError,  # a cluster without a primary for some slot, or mid-failover
    ClusterError,  # the cluster kept redirecting the command
    OSError,
)
"""Failures that mean "the store cannot serve now"."""


MAX_CONNECTIONS = 200
"""Connections one process may open (to each node of a cluster)."""


def open_redis(
    url: str,
    *,
    cluster: bool = False,
    socket_timeout: float = DEFAULT_TIMEOUT_SECONDS,
    max_connections: int = MAX_CONNECTIONS,
) -> RedisClient:
    """A client for `url` (`redis://`, `rediss://`, or `unix://` for one server) that fails fast.

    Nothing is connected until the first command; close it with `aclose()` (or use
    `redis_client`). Replies are bytes: the adapters decode what they read themselves. For one
    server the pool is a blocking one: a burst beyond `max_connections` waits for a free
    connection (at most `socket_timeout`) instead of failing at once. A cluster client learns
    the cluster's nodes from the one in `url` (ElastiCache: the configuration endpoint) and
    keeps a pool per node, which fails a burst beyond `max_connections` at once.

    Args:
        url: where the Redis server is; credentials may be part of it (never logged here).
        cluster: the server is a Redis Cluster (`JAMF_MCP_REDIS_CLUSTER`).
        socket_timeout: seconds allowed for connecting, for each reply, and for a free connection.
        max_connections: the pool's size (per node of a cluster).
    """
    # Once, at once: no call waits much longer than twice `socket_timeout`.
    retry = Retry(NoBackoff(), retries=1, supported_errors=(RedisConnectionError,))
    if cluster:
        return _ClusterClient.from_url(
            url,
            max_connections=max_connections,
            socket_timeout=socket_timeout,
            socket_connect_timeout=socket_timeout,
            retry=retry,
            decode_responses=False,
        )
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=max_connections,
        timeout=socket_timeout,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        # Only for a broken connection: a timeout is not retried.
        retry=retry,
        decode_responses=False,
    )
    return Redis.from_pool(pool)  # the client owns the pool and closes it with itself


class _ClusterClient(RedisCluster):
    """A `RedisCluster` whose first command runs alone.

    redis-py 8.1's async cluster client fails commands that race its first one (they find a
    connection it closes while it learns the cluster's layout: `AttributeError` on a closed
    writer). Later layout refreshes do not show it, so only the first command is serialised.
    """

    _first: asyncio.Lock | None = None
    _started = False

    async def execute_command(self, *args: Any, **kwargs: Any) -> Any:
        if not self._started:
            if self._first is None:
                self._first = asyncio.Lock()
            async with self._first:
                if not self._started:
                    try:
                        return await super().execute_command(*args, **kwargs)
                    finally:
                        self._started = not self._initialize  # it has learnt the layout
        return await super().execute_command(*args, **kwargs)


def is_cluster(client: RedisClient) -> bool:
    """True for a Redis Cluster client (its keys must keep each command within one slot)."""
    return isinstance(client, RedisCluster)


@asynccontextmanager
async def redis_client(
    url: str, *, cluster: bool = False, socket_timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> AsyncIterator[RedisClient]:
    """`open_redis` for the length of an `async with` block; the pool is closed on the way out."""
    client = open_redis(url, cluster=cluster, socket_timeout=socket_timeout)
    try:
        yield client
    finally:
        await client.aclose()


async def ping(client: RedisClient) -> None:
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
    chained for the logs. Other Redis errors (a script bug, a wrong type, keys of a command in
    different slots of a cluster) propagate unchanged.
    """
    try:
        yield
    except _UNREACHABLE as error:
        raise StateUnavailable(f"redis: {type(error).__name__}") from error
    except RedisClusterException as error:
        # The cluster client could not learn the cluster's layout from any node.
        if not isinstance(error.__cause__, _UNREACHABLE):
            raise
        raise StateUnavailable(f"redis: {type(error.__cause__).__name__}") from error
