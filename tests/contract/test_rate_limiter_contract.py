"""The `RateLimiter` contract, run against the in-memory limiter and the Redis one.

Both run on real time (the in-memory one on the monotonic clock, the Redis one on the Redis
server's clock), so refill tests use a capacity that refills within a fraction of a second.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest

from jamf_mcp.adapters.memory import InMemoryRateLimiter
from jamf_mcp.adapters.redis import RedisRateLimiter
from jamf_mcp.application.ports import RateDecision, RateLimiter
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

FAST = 120
"""Two tokens a second: refills are visible within a test."""


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[RateLimiter]:
    if request.param == "memory":
        memory = InMemoryRateLimiter()
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisRateLimiter(space.connect(), prefix=space.prefix))


@pytest.fixture
def limiter(replicas: Replicas[RateLimiter]) -> RateLimiter:
    return replicas.first


@pytest.fixture
def key() -> str:
    return f"https://idp.example#{uuid.uuid4()}"


async def _drain(limiter: RateLimiter, key: str, capacity: int) -> None:
    for _ in range(capacity):
        assert (await limiter.take(key, capacity)).allowed


async def test_a_full_bucket_allows_capacity_requests_then_refuses(
    limiter: RateLimiter, key: str
) -> None:
    decisions = [await limiter.take(key, 3) for _ in range(4)]
    assert [(d.allowed, d.remaining) for d in decisions] == [
        (True, 2),
        (True, 1),
        (True, 0),
        (False, 0),
    ]
    assert decisions[0].retry_after_seconds == 0.0


async def test_a_refusal_says_how_long_until_a_token_is_back(
    limiter: RateLimiter, key: str
) -> None:
    await _drain(limiter, key, 3)
    refused = await limiter.take(key, 3)
    assert not refused.allowed
    assert 19.0 < refused.retry_after_seconds <= 20.0  # 3 per minute: one every 20 s


async def test_tokens_come_back_continuously(limiter: RateLimiter, key: str) -> None:
    await _drain(limiter, key, FAST)
    refused = await limiter.take(key, FAST)
    assert not refused.allowed
    assert 0.0 < refused.retry_after_seconds <= 0.5
    await asyncio.sleep(refused.retry_after_seconds + 0.05)
    assert (await limiter.take(key, FAST)).allowed
    assert not (await limiter.take(key, FAST)).allowed


async def test_a_bucket_never_holds_more_than_its_capacity(limiter: RateLimiter, key: str) -> None:
    assert await limiter.take(key, FAST) == RateDecision(True, 0.0, FAST - 1)
    await asyncio.sleep(0.6)
    assert (await limiter.take(key, FAST)).remaining == FAST - 1


async def test_keys_have_independent_buckets(limiter: RateLimiter, key: str) -> None:
    await _drain(limiter, key, 2)
    assert not (await limiter.take(key, 2)).allowed
    assert (await limiter.take(key + "-other", 2)).allowed


async def test_replicas_share_one_bucket_per_key(replicas: Replicas[RateLimiter], key: str) -> None:
    limiters = [replicas.first, replicas.another()]
    decisions = [await limiters[i % 2].take(key, 4) for i in range(6)]
    assert [d.allowed for d in decisions] == [True, True, True, True, False, False]


async def test_concurrent_takes_never_hand_out_more_than_the_capacity(
    replicas: Replicas[RateLimiter], key: str
) -> None:
    limiters = [replicas.first, replicas.another()]
    decisions = await asyncio.gather(*(limiters[i % 2].take(key, 10) for i in range(30)))
    assert sum(d.allowed for d in decisions) == 10
