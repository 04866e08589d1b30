"""Running a policy on chosen computers the way Jamf allows: scope, log flush, blank push.

Jamf has no API that runs a policy now. For each chunk of computers: add them to the policy's
dedicated static group (already in the policy's scope; members are checked first, so nothing is
added twice), flush the policy's log for those computers only (so a "Once per computer" policy
runs again), and send a blank push so they check in soon. The policy then runs at their next
check-in. At the end the group is read back once: a computer Jamf did not keep is added again
(membership is idempotent) and reported failed if it is still missing.
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
from jamf_mcp.application.ports import Cancellation, Clock, PolicyHistory, PolicyRunner
from jamf_mcp.domain.actions import ActionTarget
from jamf_mcp.domain.audit import DeviceResult, OutcomeStatus
from jamf_mcp.domain.errors import JamfMcpError
from jamf_mcp.domain.jamf_operations import ScopeGroup
from jamf_mcp.domain.policies import PolicyRef

CHECK_IN_NOTE = "runs at its next check-in"
CLOCK_SKEW = timedelta(minutes=5)
"""Slack for a Jamf clock behind ours when matching fresh policy logs (logs were flushed)."""


@attrs.frozen
class PolicyRunPlan:
    """One policy run over some computers (all of one run's computer targets)."""

    policy: PolicyRef
    targets: tuple[ActionTarget, ...]


class PolicyDispatcher:
    """Queues policy runs and, on request, waits for the computers to report them.

    Args:
        runner: Jamf's scope, log-flush and blank-push mechanisms.
        history: computers' policy logs (for waiting).
        clock: the time runs are matched against.
        limits: chunking and concurrency.
        poll_seconds: how often the policy logs are read while waiting.
    """

    def __init__(
        self,
        runner: PolicyRunner,
        history: PolicyHistory,
        clock: Clock,
        limits: DispatchLimits,
        poll_seconds: float = 3.0,
    ) -> None:
        self._runner = runner
        self._history = history
        self._clock = clock
        self._limits = limits
        self._poll_seconds = poll_seconds

    async def queue(
        self,
        plan: PolicyRunPlan,
        ledger: DispatchLedger,
        pacer: ProgressPacer,
        cancellation: Cancellation,
    ) -> tuple[str, ...]:
        """Queue the run on every computer of `plan`; results go to `ledger`. Returns notes."""
        policy_id = plan.policy.policy_id
        try:
            group = await self._runner.scope_group(policy_id)
        except JamfMcpError as error:
            for result in results_for_error(plan.targets, error, "the policy's scope group"):
                ledger.record(result)
            return ()

        async def work(chunk: Sequence[ActionTarget]) -> list[DeviceResult]:
            return await self._queue_chunk(group, chunk)

        await dispatch_in_chunks(
            ledger,
            plan.targets,
            work,
            limits=self._limits,
            pacer=pacer,
            cancellation=cancellation,
        )
        await self._verify_membership(group, plan.targets, ledger)
        return (
            f"The computers are in the static group '{_group_label(group)}', which is in the "
            f"policy's scope, so the policy also runs on them at its regular frequency.",
        )

    async def _queue_chunk(
        self, group: ScopeGroup, chunk: Sequence[ActionTarget]
    ) -> list[DeviceResult]:
        ids = [target.jamf_id for target in chunk]
        try:
            await self._runner.add_to_group(group, ids)
        except JamfMcpError as error:
            return results_for_error(chunk, error, "adding to the policy's scope")
        try:
            await self._runner.flush_policy_logs(group.policy_id, ids)
        except JamfMcpError as error:
            return [
                result_for(
                    target,
                    OutcomeStatus.UNKNOWN,
                    "in the policy's scope, but its policy log could not be cleared "
                    f"({error.message}); it runs only if the policy is due on it",
                )
                for target in chunk
            ]
        woken = await self._wake(chunk)
        return [
            result_for(
                target,
                OutcomeStatus.QUEUED,
                CHECK_IN_NOTE
                if target.jamf_id in woken
                else f"{CHECK_IN_NOTE} (not woken early: the blank push failed)",
            )
            for target in chunk
        ]

    async def _wake(self, chunk: Sequence[ActionTarget]) -> set[str]:
        """Blank-push the chunk; the ids of computers Jamf accepted the push for."""
        addressed = {t.management_id: t.jamf_id for t in chunk if t.management_id}
        try:
            errors = set(await self._runner.blank_push(list(addressed)))
        except JamfMcpError:
            return set()
        return {jamf_id for mid, jamf_id in addressed.items() if mid not in errors}

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
