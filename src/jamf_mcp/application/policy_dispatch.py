"""Queuing a policy run the way Jamf allows: the policy's dedicated group, in its scope.

Jamf has no API that runs a policy now. For each chunk of computers: add them to the policy's
dedicated static group (already in the policy's scope; members are checked first, so nothing is
added twice) and — only for computers where the person chose it — flush ALL their policy logs
(Jamf's documented computer form; every once-per policy in their scope runs again). The policy
then runs at their next check-in. No blank push is sent: it wakes the MDM channel, not the jamf
binary that runs policies (ADR 0021). At the end the group is read back once: a computer Jamf
did not keep is added again (membership is idempotent) and reported failed if still missing. The
run is handed to the tracker, whose reconciler takes each computer out of the group once it ran
(or expired).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime, timedelta

import attrs

from jamf_mcp.application.bulk_dispatch import (
    DispatchLedger,
    DispatchLimits,
    ProgressPacer,
    dispatch_in_chunks,
    result_for,
    results_for_error,
)
from jamf_mcp.application.ports.call_control import Cancellation
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_policies import PolicyHistory, PolicyRunner
from jamf_mcp.application.ports.policy_runs import PolicyRunTracker
from jamf_mcp.domain.actions import ActionTarget
from jamf_mcp.domain.audit import DeviceResult, OutcomeStatus
from jamf_mcp.domain.errors import JamfMcpError
from jamf_mcp.domain.jamf_operations import ScopeGroup
from jamf_mcp.domain.policies import PolicyRef
from jamf_mcp.domain.policy_runs import DeviceRun, DeviceRunState, TrackedPolicyRun

CHECK_IN_NOTE = "runs at its next check-in"
FLUSHED_NOTE = "all its policy logs were flushed; " + CHECK_IN_NOTE
CLOCK_SKEW = timedelta(minutes=5)
"""Slack for a Jamf clock behind ours when matching fresh policy logs."""


@attrs.frozen
class PolicyRunPlan:
    """One policy run over some computers, and the computers whose policy logs are flushed."""

    policy: PolicyRef
    targets: tuple[ActionTarget, ...]
    flush_ids: frozenset[str] = frozenset()


class PolicyDispatcher:
    """Queues policy runs, hands them to the tracker and, on request, waits for them.

    Args:
        runner: Jamf's scope-group and log-flush mechanisms.
        history: computers' policy logs (for waiting).
        tracker: where queued runs are followed until they ran or expired.
        clock: the time runs are matched against.
        limits: chunking and concurrency.
        expiry: how long a queued computer may take to run the policy before it is reported not
            run and leaves the group.
        poll_seconds: how often the policy logs are read while waiting.
    """

    def __init__(
        self,
        runner: PolicyRunner,
        history: PolicyHistory,
        tracker: PolicyRunTracker,
        clock: Clock,
        limits: DispatchLimits,
        expiry: timedelta = timedelta(hours=24),
        poll_seconds: float = 3.0,
    ) -> None:
        self._runner = runner
        self._history = history
        self._tracker = tracker
        self._clock = clock
        self._limits = limits
        self._expiry = expiry
        self._poll_seconds = poll_seconds

    async def queue(
        self,
        plan: PolicyRunPlan,
        ledger: DispatchLedger,
        pacer: ProgressPacer,
        cancellation: Cancellation,
        record_id: str,
    ) -> tuple[str, ...]:
        """Queue the run on every computer of `plan`; results go to `ledger`. Returns notes."""
        policy_id = plan.policy.policy_id
        try:
            group = await self._runner.scope_group(policy_id)
        except JamfMcpError as error:
            for result in results_for_error(plan.targets, error, "the policy's scope group"):
                ledger.record(result)
            return ()
        run = self._tracked(plan, group, record_id)
        await self._tracker.track(run)

        async def work(chunk: Sequence[ActionTarget]) -> list[DeviceResult]:
            return await self._queue_chunk(group, chunk, plan.flush_ids)

        try:
            await dispatch_in_chunks(
                ledger,
                plan.targets,
                work,
                limits=self._limits,
                pacer=pacer,
                cancellation=cancellation,
            )
            await self._verify_membership(group, plan.targets, ledger)
        finally:
            await self._settle_unqueued(run, ledger)
        return (
            f"The computers are in the static group '{_group_label(group)}' (in the policy's "
            "scope) until their policy log shows the run, or for at most "
            f"{_hours(self._expiry)}; follow them with getActionStatus(auditRecordId).",
        )

    def _tracked(self, plan: PolicyRunPlan, group: ScopeGroup, record_id: str) -> TrackedPolicyRun:
        now = self._clock.now()
        return TrackedPolicyRun(
            record_id=record_id,
            policy_id=plan.policy.policy_id,
            policy_name=plan.policy.name,
            group_id=group.group_id,
            requested_at=now,
            expires_at=now + self._expiry,
            devices=tuple(DeviceRun(t.jamf_id, t.name) for t in plan.targets),
        )

    async def _settle_unqueued(self, run: TrackedPolicyRun, ledger: DispatchLedger) -> None:
        """Computers that did not end up queued are not followed (they are not in the group)."""
        settled = []
        for target in ledger.targets:
            result = ledger.get(target)
            if result is not None and result.status is OutcomeStatus.QUEUED:
                continue
            detail = "not queued: " + (result.detail if result is not None else "not sent")
            settled.append(
                DeviceRun(target.jamf_id, target.name, DeviceRunState.FAILED, detail, None)
            )
        if settled:
            await asyncio.shield(self._tracker.save(run.settle(settled)))

    async def _queue_chunk(
        self, group: ScopeGroup, chunk: Sequence[ActionTarget], flush_ids: frozenset[str]
    ) -> list[DeviceResult]:
        ids = [target.jamf_id for target in chunk]
        try:
            await self._runner.add_to_group(group, ids)
        except JamfMcpError as error:
            return results_for_error(chunk, error, "adding to the policy's scope")
        flush = [cid for cid in ids if cid in flush_ids]
        if flush:
            try:
                await self._runner.flush_computer_logs(flush)
            except JamfMcpError as error:
                return [
                    result_for(
                        target,
                        OutcomeStatus.UNKNOWN,
                        "in the policy's scope, but its policy logs could not be flushed "
                        f"({error.message}); the policy already ran there, so it may not run",
                    )
                    if target.jamf_id in flush_ids
                    else result_for(target, OutcomeStatus.QUEUED, CHECK_IN_NOTE)
                    for target in chunk
                ]
        return [
            result_for(
                target,
                OutcomeStatus.QUEUED,
                FLUSHED_NOTE if target.jamf_id in flush_ids else CHECK_IN_NOTE,
            )
            for target in chunk
        ]

    async def _verify_membership(
        self, group: ScopeGroup, targets: Sequence[ActionTarget], ledger: DispatchLedger
    ) -> None:
        queued = [t for t in targets if _status(ledger, t) is OutcomeStatus.QUEUED]
        if not queued or all(t.jamf_id in group.members for t in queued):
            return  # nothing was added by this run, so nothing can have been lost
        try:
            members = await self._runner.group_members(group.group_id)
            missing = [t for t in queued if t.jamf_id not in members]
            if missing:
                await self._runner.add_to_group(
                    attrs.evolve(group, members=members), [t.jamf_id for t in missing]
                )
                members = await self._runner.group_members(group.group_id)
        except JamfMcpError:
            return  # the chunks' own answers stand
        for target in queued:
            if target.jamf_id not in members:
                ledger.record(
                    result_for(
                        target,
                        OutcomeStatus.FAILED,
                        "Jamf Pro did not keep the computer in the policy's scope group",
                    )
                )

    async def wait_for_runs(
        self,
        plan: PolicyRunPlan,
        ledger: DispatchLedger,
        since: datetime,
        wait_seconds: float,
        pacer: ProgressPacer,
        cancellation: Cancellation,
    ) -> None:
        """Poll the policy logs of queued computers until each reports the run, or time is up."""
        pending = [t for t in plan.targets if _status(ledger, t) is OutcomeStatus.QUEUED]
        total = len(ledger.targets)
        deadline = asyncio.get_running_loop().time() + wait_seconds
        finished = 0
        while pending and not cancellation.cancelled:
            pacer.enter_phase(
                f"waiting for {len(pending)} computer(s) to check in and run "
                f"'{plan.policy.name}' ({finished}/{total} reported)"
            )
            outcomes = await asyncio.gather(
                *(self._seen_run(plan.policy.policy_id, t, since) for t in pending)
            )
            still = []
            for target, result in zip(pending, outcomes, strict=True):
                if result is None:
                    still.append(target)
                    continue
                ledger.record(result)
                finished += 1
                await pacer.report(
                    total + finished, f"{finished}/{total} {target.name} {result.status.value}"
                )
            pending = still
            remaining = deadline - asyncio.get_running_loop().time()
            if not pending or remaining <= 0:
                break
            await asyncio.sleep(min(self._poll_seconds, remaining))

    async def _seen_run(
        self, policy_id: int, target: ActionTarget, since: datetime
    ) -> DeviceResult | None:
        try:
            runs = await self._history.runs(target.jamf_id, policy_id, since - CLOCK_SKEW)
        except JamfMcpError:
            return None
        if not runs:
            return None
        last = runs[-1]
        when = last.completed_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        if last.succeeded:
            return result_for(target, OutcomeStatus.COMPLETED, f"ran at {when}")
        return result_for(
            target, OutcomeStatus.FAILED, f"ran at {when} and reported: {last.status}"
        )


def _status(ledger: DispatchLedger, target: ActionTarget) -> OutcomeStatus | None:
    result = ledger.get(target)
    return None if result is None else result.status


def _group_label(group: ScopeGroup) -> str:
    return group.name or f"group {group.group_id}"


def _hours(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    return f"{hours:g} hour{'s' if hours != 1 else ''}"
