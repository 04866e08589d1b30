"""Two replicas reconcile tracked policy runs through Redis: one leads, the work is done once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from jamf_mcp.adapters.memory import FixedClock, InMemoryPolicyHistory, InMemoryPolicyRunner
from jamf_mcp.adapters.redis import RedisPolicyRunTracker
from jamf_mcp.application.policy_run_reconciler import PolicyRunReconciler
from jamf_mcp.domain.jamf_operations import PolicyRun
from jamf_mcp.domain.policy_runs import DeviceRun, DeviceRunState, TrackedPolicyRun
from tests.contract.redis_support import RedisSpace

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


async def test_of_two_replicas_one_cleans_up_a_run_that_ran_and_the_other_sees_it(
    redis_space: RedisSpace,
) -> None:
    runner = InMemoryPolicyRunner(policies={12}, groups={12: {"5", "6"}})
    history = InMemoryPolicyHistory()
    clock = FixedClock(NOW)
    trackers = [
        RedisPolicyRunTracker(redis_space.connect(), prefix=redis_space.prefix) for _ in range(2)
    ]
    run = TrackedPolicyRun(
        "rec-1", 12, "Inventory on Request", "12", NOW, NOW + timedelta(hours=24),
        (DeviceRun("5", "MAC-5"), DeviceRun("6", "MAC-6")),
    )  # fmt: skip
    await trackers[0].track(run)
    history.log("5", PolicyRun(12, NOW + timedelta(minutes=4), "Completed"))
    history.log("6", PolicyRun(12, NOW + timedelta(minutes=7), "Failed"))
    replicas = [PolicyRunReconciler(t, runner, history, clock) for t in trackers]

    reports = await asyncio.gather(*(replica.reconcile_once() for replica in replicas))

    assert sorted(report.leader for report in reports) == [False, True]
    assert runner.calls_to("remove_from_group") == [("5", "6")]  # once, by the leader
    assert runner.groups[12] == set() and runner.released == {12}
    seen = await trackers[1].get("rec-1")
    assert seen is not None
    assert {d.computer_id: d.state for d in seen.devices} == {
        "5": DeviceRunState.RAN,
        "6": DeviceRunState.FAILED,
    }
    assert await trackers[1].open_runs() == []
