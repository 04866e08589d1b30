"""Resumable streams over Redis: a client follows at one replica what another replica sends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from jamf_mcp.adapters.mcp.streams import StreamBroker, StreamEvent, new_stream_id
from jamf_mcp.adapters.redis import RedisEventStore, RedisSignalRouter
from tests.contract.redis_support import RedisSpace

OWNER = "https://idp.example#alice|session-1"


@pytest.fixture
async def brokers(redis_space: RedisSpace) -> AsyncIterator[tuple[StreamBroker, StreamBroker]]:
    """Two replicas' brokers, each over its own connections to the one Redis."""
    routers = [RedisSignalRouter(redis_space.connect(), prefix=redis_space.prefix) for _ in "ab"]
    for router in routers:
        await router.start()
    made = [
        StreamBroker(RedisEventStore(redis_space.connect(), prefix=redis_space.prefix), router)
        for router in routers
    ]
    try:
        yield made[0], made[1]
    finally:
        for router in routers:
            await router.aclose()


async def _collect(events: AsyncIterator[StreamEvent]) -> list[StreamEvent]:
    return [event async for event in events]


async def test_a_follower_at_one_replica_gets_stored_then_live_events_from_another(
    brokers: tuple[StreamBroker, StreamBroker],
) -> None:
    following, working = brokers
    stream = new_stream_id()
    await working.send(OWNER, stream, b"one")
    follower = asyncio.create_task(_collect(following.follow(OWNER, stream)))
    await asyncio.sleep(0.1)  # the follower has replayed what was stored and waits for more
    await working.send(OWNER, stream, b"two")
    await working.send(OWNER, stream, b"three")
    await working.finish(OWNER, stream)
    events = await asyncio.wait_for(follower, 5)
    assert [e.data for e in events] == [b"one", b"two", b"three"]
    assert [e.event_id for e in events] == [f"{stream}.{n}" for n in (1, 2, 3)]


async def test_a_client_resumes_at_another_replica_after_the_last_event_it_saw(
    brokers: tuple[StreamBroker, StreamBroker],
) -> None:
    first, second = brokers
    stream = new_stream_id()
    for data in (b"a", b"b", b"c"):
        await first.send(OWNER, stream, data)
    await first.finish(OWNER, stream)
    assert await second.exists(OWNER, stream)
    resumed = await asyncio.wait_for(_collect(second.follow(OWNER, stream, after=1)), 5)
    assert [e.data for e in resumed] == [b"b", b"c"]
