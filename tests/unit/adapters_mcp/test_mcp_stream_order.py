"""A stream's events keep the order they were sent in, even when the store answers out of order.

A shared store reached over a connection pool can finish a later append before an earlier one;
progress reported by concurrent chunks must still arrive increasing.
"""

from __future__ import annotations

import asyncio

from jamf_mcp.adapters.mcp.signals import InMemorySignalRouter
from jamf_mcp.adapters.mcp.streams import InMemoryEventStore, StoredEvents, StreamBroker

OWNER = "https://idp.example#alice|session-1"
STREAM = "0123456789abcdef"


class SlowFirstStore:
    """An in-memory store whose earlier appends take longer than later ones."""

    def __init__(self) -> None:
        self._store = InMemoryEventStore()
        self._delays = iter([0.05, 0.03, 0.01, 0.0] + [0.0] * 100)

    async def append(self, owner: str, stream_id: str, data: bytes) -> int:
        await asyncio.sleep(next(self._delays))
        return await self._store.append(owner, stream_id, data)

    async def close(self, owner: str, stream_id: str) -> None:
        await self._store.close(owner, stream_id)

    async def read_after(self, owner: str, stream_id: str, after: int) -> StoredEvents | None:
        return await self._store.read_after(owner, stream_id, after)


async def test_concurrent_sends_to_one_stream_are_numbered_in_the_order_they_were_made() -> None:
    broker = StreamBroker(SlowFirstStore(), InMemorySignalRouter())
    sent = await asyncio.gather(
        *(broker.send(OWNER, STREAM, b"progress %d" % n) for n in range(1, 5))
    )
    await broker.finish(OWNER, STREAM)

    assert [event.data for event in sent] == [b"progress %d" % n for n in range(1, 5)]
    assert [event.event_id for event in sent] == [f"{STREAM}.{n}" for n in range(1, 5)]
    replayed = [event.data async for event in broker.follow(OWNER, STREAM)]
    assert replayed == [b"progress %d" % n for n in range(1, 5)]


async def test_sends_to_different_streams_do_not_wait_for_each_other() -> None:
    broker = StreamBroker(SlowFirstStore(), InMemorySignalRouter())
    slow = asyncio.create_task(broker.send(OWNER, STREAM, b"slow"))
    await asyncio.sleep(0)
    other = await asyncio.wait_for(broker.send(OWNER, "fedcba9876543210", b"quick"), 0.04)
    assert other.data == b"quick" and not slow.done()
    await slow
