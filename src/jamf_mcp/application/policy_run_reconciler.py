"""Cleaning up after queued policy runs, so a policy does not keep running where it was asked once.

A computer queued for a policy stays in the policy's dedicated group only until its policy log
shows a run after the request (reported `ran` or `failed`), or until the run's expiry (reported
`expired`, "not run"). Then it leaves the group — unless another open run still needs it there —
and a group left empty, with no open run for its policy, leaves the policy's scope. Across
replicas one leader reconciles at a time (the tracker's lease); every step is idempotent, so a
leader that dies midway leaves nothing the next one cannot finish.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence

import attrs

from jamf_mcp.application.policy_dispatch import CLOCK_SKEW
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_policies import PolicyHistory, PolicyRunner
from jamf_mcp.application.ports.policy_runs import PolicyRunTracker
from jamf_mcp.domain.errors import DeviceNotFound, JamfMcpError
from jamf_mcp.domain.policy_runs import DeviceRun, TrackedPolicyRun, settle_device

_log = logging.getLogger(__name__)


@attrs.frozen
class ReconcileReport:
    """What one pass did."""

    leader: bool
    settled: int = 0
    removed: int = 0
    released_scopes: int = 0


async def refresh_run(
    run: TrackedPolicyRun, history: PolicyHistory, clock: Clock
) -> tuple[DeviceRun, ...]:
    """The queued computers of `run` whose state changed (read from their policy logs now)."""
    queued = [d for d in run.devices if d.computer_id in run.queued_ids()]

    async def check(device: DeviceRun) -> DeviceRun | None:
        try:
            runs = await history.runs(
                device.computer_id, run.policy_id, run.requested_at - CLOCK_SKEW
            )
        except DeviceNotFound:
            runs = ()
        except JamfMcpError:
            return None  # Jamf unavailable: ask again next time
        return settle_device(run, device, runs, clock.now())

    changed = await asyncio.gather(*(check(device) for device in queued))
    return tuple(device for device in changed if device is not None)


class PolicyRunReconciler:
    """Settles tracked runs and takes finished computers out of the dedicated groups.

    Args:
        tracker: the tracked runs (and the leader lease).
        runner: Jamf's group and scope mechanisms.
        history: computers' policy logs.
        clock: now.
        lease_seconds: how long a leader's claim lasts without renewal.
    """

    def __init__(
        self,
        tracker: PolicyRunTracker,
        runner: PolicyRunner,
        history: PolicyHistory,
        clock: Clock,
        lease_seconds: float = 120.0,
    ) -> None:
        self._tracker = tracker
        self._runner = runner
        self._history = history
        self._clock = clock
        self._lease = lease_seconds
        self.owner = uuid.uuid4().hex

    async def reconcile_once(self) -> ReconcileReport:
        """One pass over every open run (only by the leader)."""
        if not await self._tracker.lead(self.owner, self._lease):
            return ReconcileReport(leader=False)
        runs = await self._tracker.open_runs()
        updated = [
            run.settle(changes)
            for run in runs
            if (changes := await refresh_run(run, self._history, self._clock))
        ]
        by_id = {run.record_id: run for run in updated}
        current = [by_id.get(run.record_id, run) for run in runs]
        removed = released = 0
        for (policy_id, group_id), group_runs in _by_group(runs).items():
            still = {cid for r in current if r.policy_id == policy_id for cid in r.queued_ids()}
            finished = {
                cid
                for r in group_runs
                if r.record_id in by_id
                for cid in r.queued_ids() - by_id[r.record_id].queued_ids()
            } - still
            try:
                if finished:
                    await self._runner.remove_from_group(group_id, sorted(finished))
                    removed += len(finished)
                if not still and not await self._runner.group_members(group_id):
                    await self._runner.release_scope(policy_id, group_id)
                    released += 1
            except JamfMcpError as error:
                _log.warning("Cleaning up policy %s's group failed: %s", policy_id, error.message)
                for run in group_runs:
                    by_id.pop(run.record_id, None)  # settle again next pass
        for run in by_id.values():
            await self._tracker.save(run)
        settled = sum(
            len(r.queued_ids()) - len(by_id[r.record_id].queued_ids())
            for r in runs
            if r.record_id in by_id
        )
        return ReconcileReport(True, settled, removed, released)

    async def run_forever(self, interval: float) -> None:
        """Reconcile every `interval` seconds until cancelled; a failed pass is logged, not fatal."""
        while True:
            try:
                await self.reconcile_once()
            except Exception:
                _log.exception("Policy run reconciliation failed")
            await asyncio.sleep(interval)


def _by_group(runs: Sequence[TrackedPolicyRun]) -> dict[tuple[int, str], list[TrackedPolicyRun]]:
    groups: dict[tuple[int, str], list[TrackedPolicyRun]] = defaultdict(list)
    for run in runs:
        groups[(run.policy_id, run.group_id)].append(run)
    return groups
