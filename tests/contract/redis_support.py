"""The Redis the contract and Redis integration tests run against: one fresh key prefix per test.

The Redis-backed tests never skip: without a reachable Redis they fail, saying how to start one.
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Generic, TypeVar

import attrs
import pytest
from redis.asyncio import Redis

from jamf_mcp.adapters.redis import KeySpace, open_redis, ping
from jamf_mcp.domain.errors import StateUnavailable

REDIS_URL = os.environ.get("JAMF_MCP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
START_REDIS = (
    'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no '
    "--dir /var/lib/redis --logfile /var/log/redis/ci.log"
)

T = TypeVar("T")


@attrs.define
class RedisSpace:
    """A test's share of the Redis: its key prefix, and new connections (one per "replica")."""

    url: str
    prefix: str
    clients: list[Redis] = attrs.field(factory=list)

    def connect(self) -> Redis:
        """A new client with its own connection pool, as another replica would have."""
        client = open_redis(self.url)
        self.clients.append(client)
        return client

    async def keys(self) -> list[bytes]:
        """Every key under this test's prefix."""
        client = self.clients[0] if self.clients else self.connect()
        return [key async for key in client.scan_iter(match=KeySpace(self.prefix).pattern("*"))]

    async def aclose(self) -> None:
        keys = await self.keys()
        if keys:
            await self.clients[0].delete(*keys)
        for client in self.clients:
            await client.aclose()


@pytest.fixture
async def redis_space() -> AsyncIterator[RedisSpace]:
    """A fresh prefix on the test Redis; its keys are deleted and its clients closed afterwards."""
    space = RedisSpace(REDIS_URL, f"jamf-mcp-test:{uuid.uuid4().hex}:")
    try:
        await ping(space.connect())
        reachable = True
    except StateUnavailable:
        reachable = False
    if not reachable:
        await space.clients[0].aclose()
        pytest.fail(
            f"The Redis-backed tests need a Redis at {REDIS_URL} and cannot reach it. Start one "
            f"with `{START_REDIS}` (.ci/run does), or point JAMF_MCP_TEST_REDIS_URL at one.",
            pytrace=False,
        )
    try:
        yield space
    finally:
        await space.aclose()


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
