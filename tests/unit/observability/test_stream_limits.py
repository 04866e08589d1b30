"""Long-lived streams per user (a new one ends the oldest) and in all (a new one is refused)."""

from __future__ import annotations

import asyncio

import pytest

from jamf_mcp.adapters.asgi_mcp.stream_limits import (
    EVICTED,
    StreamLimits,
    TooManyStreams,
)


async def test_a_users_newest_stream_ends_their_oldest_and_no_one_elses() -> None:
    limits = StreamLimits(per_principal=2, total=10)
    queues = [asyncio.Queue[object]() for _ in range(3)]
    first, second = limits.admit("alice"), limits.admit("alice")
    bobs = limits.admit("bob")
    for slot, queue in zip((first, second, bobs), queues, strict=True):
        slot.attach(queue)
    third = limits.admit("alice")
    assert queues[0].get_nowait() is EVICTED
    assert queues[1].empty() and queues[2].empty()
    assert len(limits) == 3
    first.release()  # the evicted stream ending later frees nothing twice
    assert len(limits) == 3
    third.release()
    second.release()
    bobs.release()
    assert len(limits) == 0


def test_a_full_process_refuses_a_new_user_but_lets_a_user_replace_their_own() -> None:
    limits = StreamLimits(per_principal=2, total=3)
    limits.admit("alice")
    limits.admit("bob")
    limits.admit("bob")
    with pytest.raises(TooManyStreams):
        limits.admit("carol")
    replaced = limits.admit("bob")  # bob's oldest makes room
    assert replaced.owner == "bob"
    assert len(limits) == 3


def test_an_evicted_stream_that_attaches_late_still_hears_it() -> None:
    limits = StreamLimits(per_principal=1, total=5)
    old = limits.admit("alice")
    limits.admit("alice")
    queue = asyncio.Queue[object]()
    old.attach(queue)
    assert queue.get_nowait() is EVICTED
