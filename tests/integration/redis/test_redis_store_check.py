"""The doctor's Redis check against the real Redis, and against a port where nothing listens."""

from __future__ import annotations

import socket

import pytest

from jamf_mcp.adapters.redis import open_redis
from jamf_mcp.adapters.redis.store_check import RedisStoreCheck
from jamf_mcp.domain.diagnostics import StoreProblem
from tests.contract.redis_support import RedisSpace


async def test_the_real_redis_answers_with_its_version(redis_space: RedisSpace) -> None:
    answer = await RedisStoreCheck(redis_space.connect()).check()
    assert answer.startswith("Redis ")
    assert answer.endswith(" answers")


async def test_a_redis_that_does_not_answer_is_a_problem_without_the_url() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    redis = open_redis(f"redis://:s3cret@127.0.0.1:{port}/0", socket_timeout=0.5)
    try:
        with pytest.raises(StoreProblem) as problem:
            await RedisStoreCheck(redis).check()
    finally:
        await redis.aclose()
    assert "does not answer" in str(problem.value)
    assert "s3cret" not in str(problem.value)


async def test_a_cluster_answers_in_cluster_mode(redis_cluster_space: RedisSpace) -> None:
    answer = await RedisStoreCheck(redis_cluster_space.connect()).check()
    assert answer.startswith("Redis ")
    assert answer.endswith(" answers, cluster mode")


async def test_a_cluster_reached_as_one_server_names_the_setting_to_change(
    redis_cluster_url: str,
) -> None:
    redis = open_redis(redis_cluster_url)
    try:
        with pytest.raises(StoreProblem, match="set JAMF_MCP_REDIS_CLUSTER=true"):
            await RedisStoreCheck(redis).check()
    finally:
        await redis.aclose()


async def test_one_server_reached_as_a_cluster_names_the_setting_to_change(
    redis_space: RedisSpace,
) -> None:
    redis = open_redis(redis_space.url, cluster=True)
    try:
        with pytest.raises(StoreProblem, match="not a cluster: unset it"):
            await RedisStoreCheck(redis).check()
    finally:
        await redis.aclose()
