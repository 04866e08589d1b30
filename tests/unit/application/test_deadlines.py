"""The call deadline: it cancels what the call waits on, pauses for the person, restarts on progress."""

from __future__ import annotations

import asyncio
import math

import pytest

from jamf_mcp.application.deadlines import CallDeadline, current_deadline
from jamf_mcp.domain.errors import CallTimedOut


async def test_running_out_cancels_the_wait_and_raises_a_clear_error() -> None:
    cancelled = asyncio.Event()

    async def jamf_request() -> None:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    with pytest.raises(CallTimedOut) as late:
        async with CallDeadline(0.05).running():
            await jamf_request()
    assert cancelled.is_set()
    assert "0.05 s deadline" in late.value.message


async def test_the_deadline_is_current_inside_the_call_and_in_the_tasks_it_starts() -> None:
    assert current_deadline() is None
    async with CallDeadline(5).running() as deadline:
        seen = await asyncio.create_task(asyncio.sleep(0, result=current_deadline()))
        assert seen is deadline
        assert 0 < deadline.remaining() <= 5
    assert current_deadline() is None


async def test_waiting_on_the_person_does_not_count_and_the_clock_restarts_after() -> None:
    async with CallDeadline(0.1).running() as deadline:
        with deadline.paused():
            assert deadline.remaining() == math.inf
            await asyncio.sleep(0.3)  # three times the budget, thinking
        assert deadline.remaining() > 0.05


async def test_progress_restarts_the_clock() -> None:
    async with CallDeadline(0.2).running() as deadline:
        for _ in range(4):  # 0.4 s in all, each step well within the budget
            await asyncio.sleep(0.1)
            deadline.restart()


async def test_an_error_of_the_call_itself_is_not_taken_for_the_deadline() -> None:
    with pytest.raises(TimeoutError):
        async with CallDeadline(5).running():
            raise TimeoutError("the elicitation's own timeout")


def test_a_deadline_needs_a_positive_budget() -> None:
    with pytest.raises(ValueError, match="positive"):
        CallDeadline(0)
