"""The `AssertionReplayCache` contract (single-use client assertions), in memory and in Redis."""

from __future__ import annotations

import asyncio

import pytest

from jamf_mcp.adapters.oauth_server.assertion_replay import (
    AssertionReplayCache,
    InMemoryAssertionReplays,
)
from jamf_mcp.adapters.redis.assertion_replays import RedisAssertionReplays
from jamf_mcp.adapters.system.clock import SystemClock
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[AssertionReplayCache]:
    if request.param == "memory":
        memory = InMemoryAssertionReplays(SystemClock())
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisAssertionReplays(space.connect(), prefix=space.prefix))


async def test_an_assertion_used_at_one_replica_is_refused_at_another(
    replicas: Replicas[AssertionReplayCache],
) -> None:
    assert await replicas.first.first_use("jti-digest", 60, "request-1") is True
    assert await replicas.another().first_use("jti-digest", 60, "request-2") is False
    assert await replicas.first.first_use("other-jti", 60, "request-3") is True


async def test_a_retry_of_the_same_request_is_still_its_first_use(
    replicas: Replicas[AssertionReplayCache],
) -> None:
    assert await replicas.first.first_use("jti-digest", 60, "request-1") is True
    assert await replicas.another().first_use("jti-digest", 60, "request-1") is True


async def test_of_many_concurrent_uses_exactly_one_is_first(
    replicas: Replicas[AssertionReplayCache],
) -> None:
    caches = [replicas.another() for _ in range(8)]
    answers = await asyncio.gather(
        *(cache.first_use("raced", 60, f"request-{n}") for n, cache in enumerate(caches))
    )
    assert sorted(answers) == [False] * 7 + [True]


async def test_an_assertion_is_forgotten_once_it_has_expired(
    replicas: Replicas[AssertionReplayCache],
) -> None:
    assert await replicas.first.first_use("short", 0.05, "request-1") is True
    await asyncio.sleep(0.1)  # the time to live itself is the behaviour under test
    assert await replicas.another().first_use("short", 60, "request-2") is True
