"""Deciding, per computer, whether a policy run can be queued: frequency against policy history.

Jamf cannot re-run one policy on one computer. A computer where the policy is due (Ongoing, never
ran, or its period has passed) is queued; one where a once-per policy already ran is left out and
the person is told so, with the last run — unless they chose Jamf's documented way: flush ALL
policy logs of that computer (every once-per policy in its scope then runs again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import attrs

from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_policies import CheckInSchedule, PolicyHistory
from jamf_mcp.domain.actions import ActionTarget
from jamf_mcp.domain.errors import InvalidRequest
from jamf_mcp.domain.jamf_operations import CheckInSettings, PolicyRun
from jamf_mcp.domain.policies import Policy
from jamf_mcp.domain.policy_runs import ONGOING, RunEligibility, describe_run, eligibility

FLUSH_ARGUMENT = "flushComputerPolicyLogs"
MAX_NAMED = 8
MAX_HISTORY_READS = 2000
"""Computers whose policy logs one action may read (one request each, five at a time)."""


@attrs.frozen
class TargetPlan:
    """One computer: its eligibility, and whether its policy logs are flushed first."""

    target: ActionTarget
    eligibility: RunEligibility
    flush: bool = False
    logged_policies: tuple[str, ...] = ()


@attrs.frozen
class RunPlanning:
    """What a confirmed run would do on each computer named."""

    policy: Policy
    check_in: CheckInSettings
    queued: tuple[TargetPlan, ...]
    skipped: tuple[TargetPlan, ...]

    @property
    def flushed(self) -> tuple[TargetPlan, ...]:
        """The queued computers whose policy logs are flushed first."""
        return tuple(plan for plan in self.queued if plan.flush)

    def notes(self) -> tuple[str, ...]:
        """What the person must know before confirming (skips, flush side effects, timing)."""
        notes = [_skip_note(self.policy, plan) for plan in self.skipped[:MAX_NAMED]]
        if len(self.skipped) > MAX_NAMED:
            notes.append(
                f"… and {len(self.skipped) - MAX_NAMED} more computers where it already ran."
            )
        if self.skipped:
            notes.append(_choices(self.skipped))
        notes += [_flush_note(plan) for plan in self.flushed[:MAX_NAMED]]
        if not self.check_in.known:
            notes.append(
                "This Jamf Pro's check-in frequency could not be read (the API client needs "
                "'Read Computer Check-In'); Jamf's default of 15 minutes is assumed."
            )
        return tuple(notes)


async def plan_run(
    policy: Policy,
    targets: Sequence[ActionTarget],
    *,
    history: PolicyHistory,
    schedule: CheckInSchedule,
    clock: Clock,
    flush: bool,
) -> RunPlanning:
    """Read the check-in frequency and (unless the policy is Ongoing) every computer's policy log,
    concurrently, and sort the computers into queued and skipped.

    Raises:
        InvalidRequest: the policy already ran on every computer and no flush was chosen
            (nothing would be done); the message says so and offers the choices. Or more than
            `MAX_HISTORY_READS` computers' logs would have to be read.
    """
    needs_history = eligibility(policy.frequency, (), clock.now()).frequency != ONGOING
    if needs_history and len(targets) > MAX_HISTORY_READS:
        raise InvalidRequest(
            f"'{policy.name}' runs {eligibility(policy.frequency, (), clock.now()).frequency}, "
            "so whether it can run must be read from each computer's policy log, and "
            f"{len(targets)} computers is more than one action reads ({MAX_HISTORY_READS}). "
            "Narrow the selection, or use an Ongoing policy (for inventory, an Ongoing recon "
            "policy: see JAMF_MCP_INVENTORY_POLICY)."
        )
    check_in, logs = await asyncio.gather(
        schedule.settings(),
        asyncio.gather(*(history.history(t.jamf_id) for t in targets if needs_history)),
    )
    now = clock.now()
    queued: list[TargetPlan] = []
    skipped: list[TargetPlan] = []
    for index, target in enumerate(targets):
        entries: Sequence[PolicyRun] = logs[index] if needs_history else ()
        mine = [run for run in entries if run.policy_id == policy.policy_id]
        status = eligibility(policy.frequency, mine, now)
        if status.due:
            queued.append(TargetPlan(target, status))
        elif flush:
            queued.append(TargetPlan(target, status, True, _policy_names(entries)))
        else:
            skipped.append(TargetPlan(target, status))
    planning = RunPlanning(policy, check_in, tuple(queued), tuple(skipped))
    if not queued:
        raise InvalidRequest("Nothing was done. " + " ".join(planning.notes()))
    return planning


def _policy_names(entries: Sequence[PolicyRun]) -> tuple[str, ...]:
    names = dict.fromkeys(run.policy_name or f"policy {run.policy_id}" for run in entries)
    return tuple(names)


def _skip_note(policy: Policy, plan: TargetPlan) -> str:
    status = plan.eligibility
    assert status.last_run is not None  # skipped only when the policy ran there
    when = describe_run(status.last_run)
    text = (
        f"Left out: {plan.target.label} — '{policy.name}' ({status.frequency}) already ran "
        f"there on {when}."
    )
    if status.due_again_at is not None:
        return text + (
            f" At its frequency it can run again after {status.due_again_at:%Y-%m-%d %H:%M} UTC, "
            "at the first check-in after that if the computer is in the policy's scope then "
            "(it is not added to the scope now)."
        )
    return text + " Jamf Pro cannot run one policy again on one computer."


def _choices(skipped: Sequence[TargetPlan]) -> str:
    which = "that computer" if len(skipped) == 1 else "those computers"
    return (
        f"The only choices Jamf Pro offers: do nothing for {which}, or call again with "
        f"{FLUSH_ARGUMENT}: true — that flushes ALL policy logs of {which}, so every once-per "
        "policy in their scope runs again at the next check-in (not only this one)."
    )


def _flush_note(plan: TargetPlan) -> str:
    names = plan.logged_policies
    shown = ", ".join(f"'{name}'" for name in names[:MAX_NAMED])
    more = f" and {len(names) - MAX_NAMED} more" if len(names) > MAX_NAMED else ""
    return (
        f"{plan.target.label}: ALL its policy logs are flushed first. Its log lists "
        f"{len(names)} policies ({shown}{more}); each one still in its scope with a once-per or "
        "periodic frequency runs again at its next trigger."
    )
