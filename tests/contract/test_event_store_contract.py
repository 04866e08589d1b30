"""The `EventStore` contract, run against the in-memory store and the Redis one.

Forgetting idle streams is tested in real time with a short TTL (the in-memory store reads the
monotonic clock, the Redis one lets keys expire).
"""

from __future__ import annotations

import asyncio

import pytest

from jamf_mcp.adapters.mcp.streams import (
    EventStore,
    InMemoryEventStore,
    StoredEvents,
    new_stream_id,
)
from jamf_mcp.adapters.redis import RedisEventStore
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

OWNER = "https://idp.example#alice|session-1"
OTHER_OWNER = "https://idp.example#bob|session-2"


def _replicas(
    kind: str, request: pytest.FixtureRequest, max_events: int = 50, ttl: float = 60.0
) -> Replicas[EventStore]:
    if kind == "memory":
        memory = InMemoryEventStore(max_events=max_events, ttl_seconds=ttl)
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(
        lambda: RedisEventStore(
            space.connect(), prefix=space.prefix, max_events=max_events, ttl_seconds=ttl
        )
    )


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[EventStore]:
    return _replicas(request.param, request)


@pytest.fixture
def store(replicas: Replicas[EventStore]) -> EventStore:
    return replicas.first


@pytest.fixture(params=STORE_BACKENDS)
def bounded_store(request: pytest.FixtureRequest) -> EventStore:
    return _replicas(request.param, request, max_events=3).first


@pytest.fixture(params=STORE_BACKENDS)
def short_lived_store(request: pytest.FixtureRequest) -> EventStore:
    return _replicas(request.param, request, ttl=0.3).first


async def test_events_are_numbered_from_one_in_the_order_they_were_appended(
    store: EventStore,
) -> None:
    stream = new_stream_id()
    numbers = [await store.append(OWNER, stream, b'{"n":%d}' % i) for i in range(4)]
    assert numbers == [1, 2, 3, 4]
    assert await store.read_after(OWNER, stream, 0) == StoredEvents(
        ((1, b'{"n":0}'), (2, b'{"n":1}'), (3, b'{"n":2}'), (4, b'{"n":3}')), closed=False
    )


async def test_reading_after_an_event_returns_only_the_later_ones(store: EventStore) -> None:
    stream = new_stream_id()
    for i in range(5):
        await store.append(OWNER, stream, b"e%d" % i)
    assert await store.read_after(OWNER, stream, 3) == StoredEvents(((4, b"e3"), (5, b"e4")), False)
    assert await store.read_after(OWNER, stream, 5) == StoredEvents((), False)
    assert await store.read_after(OWNER, stream, 1 << 62) == StoredEvents((), False)


async def test_event_data_comes_back_byte_for_byte(store: EventStore) -> None:
    stream = new_stream_id()
    data = b'data: {"x": "\xe2\x9c\x93"}\n\n\x00\xff'
    await store.append(OWNER, stream, data)
    stored = await store.read_after(OWNER, stream, 0)
    assert stored is not None
    assert stored.events == ((1, data),)


async def test_streams_are_numbered_independently(store: EventStore) -> None:
    first, second = new_stream_id(), new_stream_id()
    assert await store.append(OWNER, first, b"a") == 1
    assert await store.append(OWNER, second, b"b") == 1
    assert await store.append(OWNER, first, b"c") == 2


async def test_an_unknown_stream_is_none(store: EventStore) -> None:
    assert await store.read_after(OWNER, new_stream_id(), 0) is None


async def test_another_owners_stream_is_unknown(store: EventStore) -> None:
    stream = new_stream_id()
    await store.append(OWNER, stream, b"mine")
    assert await store.read_after(OTHER_OWNER, stream, 0) is None
    assert await store.append(OTHER_OWNER, stream, b"theirs") == 1


async def test_a_closed_stream_reads_as_closed_with_its_events(store: EventStore) -> None:
    stream = new_stream_id()
    await store.append(OWNER, stream, b"last")
    await store.close(OWNER, stream)
    assert await store.read_after(OWNER, stream, 0) == StoredEvents(((1, b"last"),), closed=True)
    assert await store.read_after(OWNER, stream, 1) == StoredEvents((), closed=True)


async def test_only_the_latest_events_are_kept_beyond_the_bound(bounded_store: EventStore) -> None:
    stream = new_stream_id()
    for i in range(5):
        await bounded_store.append(OWNER, stream, b"e%d" % i)
    assert await bounded_store.read_after(OWNER, stream, 0) == StoredEvents(
        ((3, b"e2"), (4, b"e3"), (5, b"e4")), False
    )
    assert await bounded_store.append(OWNER, stream, b"e5") == 6


async def test_a_stream_unused_for_its_ttl_is_forgotten(short_lived_store: EventStore) -> None:
    stream = new_stream_id()
    await short_lived_store.append(OWNER, stream, b"e")
    await asyncio.sleep(0.5)
    assert await short_lived_store.read_after(OWNER, stream, 0) is None


async def test_writing_to_a_stream_keeps_it_alive(short_lived_store: EventStore) -> None:
    stream = new_stream_id()
    for i in range(4):
        await short_lived_store.append(OWNER, stream, b"e%d" % i)
        await asyncio.sleep(0.15)
    await short_lived_store.close(OWNER, stream)
    await asyncio.sleep(0.15)
    stored = await short_lived_store.read_after(OWNER, stream, 0)
    assert stored is not None
    assert [seq for seq, _ in stored.events] == [1, 2, 3, 4]


async def test_events_appended_at_one_replica_are_read_at_another(
    replicas: Replicas[EventStore],
) -> None:
    stream = new_stream_id()
    writer, reader = replicas.first, replicas.another()
    await writer.append(OWNER, stream, b"one")
    assert await replicas.another().append(OWNER, stream, b"two") == 2
    await writer.close(OWNER, stream)
    assert await reader.read_after(OWNER, stream, 0) == StoredEvents(
        ((1, b"one"), (2, b"two")), closed=True
    )


async def test_concurrent_appends_get_distinct_consecutive_numbers(
    replicas: Replicas[EventStore],
) -> None:
    stream = new_stream_id()
    writers = [replicas.first, replicas.another()]
    numbers = await asyncio.gather(
        *(writers[i % 2].append(OWNER, stream, b"%d" % i) for i in range(20))
    )
    assert sorted(numbers) == list(range(1, 21))
    stored = await replicas.first.read_after(OWNER, stream, 0)
    assert stored is not None
    assert [seq for seq, _ in stored.events] == list(range(1, 21))
