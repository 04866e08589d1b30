"""The Redis the contract and Redis integration tests run against: one fresh key prefix per test,
on the machine's Redis (one server) and on a real three-node Redis Cluster started for the session.

A store's contract suite runs on both just by taking its backends from `STORE_BACKENDS` (or
`REDIS_BACKENDS` for Redis-only tests) and its space from `shared_space(request)`; the contract
conftest refuses a suite that runs on Redis but not on the cluster. The Redis-backed tests never
skip: without a reachable Redis, or without `redis-server` for the cluster, they fail, saying how
to fix it.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Generic, TypeVar

import attrs
import pytest

from jamf_mcp.adapters.redis import KeySpace, RedisClient, open_redis, ping
from jamf_mcp.domain.errors import StateUnavailable
from tests.support.redis_cluster import local_redis_cluster

REDIS_URL = os.environ.get("JAMF_MCP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
START_REDIS = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)

REDIS_BACKENDS = ("redis", "redis-cluster")
"""The Redis deployments every Redis-backed store is tested on: one server, and a cluster."""
STORE_BACKENDS = ("memory", *REDIS_BACKENDS)
"""A contract suite's backends: the in-memory twin and both Redis deployments."""

T = TypeVar("T")


@attrs.define
class RedisSpace:
    """A test's share of a Redis: its key prefix, and new connections (one per "replica")."""

    url: str
    prefix: str
    cluster: bool = False
    clients: list[RedisClient] = attrs.field(factory=list)

    def connect(self) -> RedisClient:
        """A new client with its own connection pool, as another replica would have."""
        client = open_redis(self.url, cluster=self.cluster)
        self.clients.append(client)
        return client

    async def keys(self) -> list[bytes]:
        """Every key under this test's prefix (on a cluster: on every node)."""
        client = self.clients[0] if self.clients else self.connect()
        pattern = KeySpace(self.prefix).pattern("*")
        return sorted([key async for key in client.scan_iter(match=pattern)])

    async def aclose(self) -> None:
        keys = await self.keys()
        if keys:
            await self.clients[0].delete(*keys)
        for client in self.clients:
            await client.aclose()


async def _space(url: str, cluster: bool) -> RedisSpace:
    space = RedisSpace(url, f"jamf-mcp-test:{uuid.uuid4().hex}:", cluster)
    try:
        await ping(space.connect())
    except StateUnavailable:
        await space.clients[0].aclose()
        where = "the test Redis Cluster" if cluster else f"a Redis at {url}"
        pytest.fail(
            f"The Redis-backed tests need {where} and cannot reach it. Start one with "
            f"`{START_REDIS}` (.ci/run does), or point JAMF_MCP_TEST_REDIS_URL at one.",
            pytrace=False,
        )
    return space


@pytest.fixture
async def redis_space() -> AsyncIterator[RedisSpace]:
    """A fresh prefix on the test Redis; its keys are deleted and its clients closed afterwards."""
    space = await _space(REDIS_URL, cluster=False)
    try:
        yield space
    finally:
        await space.aclose()


@pytest.fixture(scope="session")
def redis_cluster_url() -> Iterator[str]:
    """A real three-node Redis Cluster for this test session (started here, stopped after)."""
    with local_redis_cluster() as ports:
        yield f"redis://127.0.0.1:{ports[0]}"


@pytest.fixture
async def redis_cluster_space(redis_cluster_url: str) -> AsyncIterator[RedisSpace]:
    """A fresh prefix on the test Redis Cluster, cleaned up as `redis_space` is."""
    space = await _space(redis_cluster_url, cluster=True)
    try:
        yield space
    finally:
        await space.aclose()


def shared_space(request: pytest.FixtureRequest) -> RedisSpace | None:
    """The space of the backend a test is parametrized with: None for "memory"."""
    backend = request.param
    if backend == "memory":
        return None
    if backend == "redis":
        space: RedisSpace = request.getfixturevalue("redis_space")
        return space
    if backend == "redis-cluster":
        space = request.getfixturevalue("redis_cluster_space")
        return space
    raise ValueError(f"unknown store backend {backend!r}")


@pytest.fixture(params=REDIS_BACKENDS)
def any_redis_space(request: pytest.FixtureRequest) -> RedisSpace:
    """One server, then the cluster: for Redis-only tests."""
    space = shared_space(request)
    assert space is not None
    return space


@attrs.define
class Replicas(Generic[T]):
    """Instances of one implementation that share their state, as the replicas of a fleet do.

    For a process-local implementation the fleet is one process, so "another replica" is the
    same instance; for a shared one it is a new instance over a new connection.
    """

    make: Callable[[], T]
    first: T = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.first = self.make()

    def another(self) -> T:
        """One more replica's instance."""
        return self.make()


async def eventually(condition: Callable[[], bool], within: float = 3.0) -> None:
    """Wait until `condition()` holds (signals over Redis arrive asynchronously)."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {within} s")
        await asyncio.sleep(0.005)
