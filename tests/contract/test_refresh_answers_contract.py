"""The `RefreshAnswers` contract (answers kept for retried refreshes), in memory and in Redis."""

from __future__ import annotations

import asyncio

import pytest

from jamf_mcp.adapters.oauth_server.refresh_retries import (
    InMemoryRefreshAnswers,
    RefreshAnswers,
    RememberedAnswer,
)
from jamf_mcp.adapters.redis.refresh_answers import RedisRefreshAnswers
from jamf_mcp.adapters.system.clock import SystemClock
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

ANSWER = RememberedAnswer(client_id="jmc_abc", request_digest="d" * 64, sealed="sealed-bytes")


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[RefreshAnswers]:
    if request.param == "memory":
        memory = InMemoryRefreshAnswers(SystemClock())
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisRefreshAnswers(space.connect(), prefix=space.prefix))


async def test_an_answer_kept_at_one_replica_is_recalled_at_another(
    replicas: Replicas[RefreshAnswers],
) -> None:
    await replicas.first.remember("lookup", ANSWER, 10)
    assert await replicas.another().recall("lookup") == ANSWER
    assert await replicas.another().recall("other") is None


async def test_remembering_again_replaces_the_answer(replicas: Replicas[RefreshAnswers]) -> None:
    await replicas.first.remember("lookup", ANSWER, 10)
    await replicas.first.remember("lookup", ANSWER, 10)  # a retried write
    assert await replicas.another().recall("lookup") == ANSWER


async def test_an_answer_is_gone_after_its_time(replicas: Replicas[RefreshAnswers]) -> None:
    await replicas.first.remember("lookup", ANSWER, 0.05)
    await asyncio.sleep(0.1)  # the time to live itself is the behaviour under test
    assert await replicas.another().recall("lookup") is None
