"""The `PolicyRunTracker` contract, run against the in-memory tracker and the Redis one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from jamf_mcp.adapters.memory import InMemoryPolicyRunTracker
from jamf_mcp.adapters.redis import RedisPolicyRunTracker
from jamf_mcp.application.ports import PolicyRunTracker
from jamf_mcp.domain.policy_runs import DeviceRun, DeviceRunState, TrackedPolicyRun
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[PolicyRunTracker]:
    if request.param == "memory":
        memory = InMemoryPolicyRunTracker()
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisPolicyRunTracker(space.connect(), prefix=space.prefix))


def _run(record_id: str, *devices: str) -> TrackedPolicyRun:
    return TrackedPolicyRun(
        record_id=record_id,
        policy_id=12,
        policy_name="Inventory on Request",
        group_id="9",
        requested_at=NOW,
        expires_at=NOW + timedelta(hours=24),
        devices=tuple(DeviceRun(cid, f"MAC-{cid}") for cid in devices),
    )


async def test_a_tracked_run_reads_back_the_same_on_another_replica(
    replicas: Replicas[PolicyRunTracker],
) -> None:
    run = _run("rec-1", "5", "6")
    await replicas.first.track(run)
    assert await replicas.another().get("rec-1") == run
    assert await replicas.another().get("rec-unknown") is None


async def test_only_runs_with_a_queued_computer_are_open(
    replicas: Replicas[PolicyRunTracker],
) -> None:
    tracker = replicas.first
    one, two = _run("rec-1", "5"), _run("rec-2", "6")
    await tracker.track(one)
    await tracker.track(two)
    ran = DeviceRun("5", "MAC-5", DeviceRunState.RAN, "2026-12-02 10:00 UTC (Completed)", NOW)
    await tracker.save(one.settle([ran]))

    assert [r.record_id for r in await replicas.another().open_runs()] == ["rec-2"]
    finished = await replicas.another().get("rec-1")
    assert finished is not None
    assert finished.devices == (ran,)


async def test_one_replica_at_a_time_holds_the_reconciler_lease(
    replicas: Replicas[PolicyRunTracker], request: pytest.FixtureRequest
) -> None:
    first, second = replicas.first, replicas.another()
    await second.get("warm-up")  # a new client's first command (a cluster's slot map) is slow
    assert await first.lead("replica-a", 1.0)
    assert await first.lead("replica-a", 1.0)  # renewed by its holder
    if first is second:  # one process: it is the whole fleet, and always leads
        assert await second.lead("replica-b", 1.0)
        return
    assert not await second.lead("replica-b", 1.0)
    await asyncio.sleep(1.3)  # the holder stopped renewing
    assert await second.lead("replica-b", 1.0)
    assert not await first.lead("replica-a", 1.0)
