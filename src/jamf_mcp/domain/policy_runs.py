"""When a policy can run on a computer: its execution frequency against the computer's policy log.

Jamf Pro's "Execution Frequency for Policies" (learn.jamf.com, Jamf Pro Documentation 11.16.0):
"Once per computer — … If a log entry exists for a given computer in the policy's history, the
policy will not run again for that computer until the log is flushed." "Once every day — This
policy runs if the scoped computer has not submitted a policy log to Jamf Pro in the past day (24
hours)" (week: 168 hours, month: 720 hours). "Ongoing — This policy runs each time the specified
trigger takes place." Jamf stores an unknown frequency as "Once per computer", and so do we.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

import attrs

from jamf_mcp.domain.jamf_operations import PolicyRun

ONGOING = "Ongoing"
ONCE_PER_COMPUTER = "Once per computer"
PERIODS: dict[str, timedelta] = {
    "Once every day": timedelta(hours=24),
    "Once every week": timedelta(hours=168),
    "Once every month": timedelta(hours=720),
}
ONCE_ONLY = frozenset({ONCE_PER_COMPUTER, "Once per user per computer", "Once per user"})


def normalized(frequency: str | None) -> str:
    """Jamf's spelling of a frequency; anything unknown counts as "Once per computer"."""
    text = (frequency or "").strip()
    known = {ONGOING, *PERIODS, *ONCE_ONLY}
    return next((name for name in known if name.casefold() == text.casefold()), ONCE_PER_COMPUTER)


@attrs.frozen
class RunEligibility:
    """Whether a policy runs at a computer's next check-in, and why not when it does not.

    Attributes:
        due: True when the policy runs at the next check-in (once the computer is in scope).
        frequency: The policy's execution frequency, as Jamf spells it.
        last_run: The newest entry of this policy in the computer's policy log, if any.
        due_again_at: For a periodic policy that is not due: when it is due again.
    """

    due: bool
    frequency: str
    last_run: PolicyRun | None = None
    due_again_at: datetime | None = None


def eligibility(frequency: str | None, runs: Sequence[PolicyRun], now: datetime) -> RunEligibility:
    """The policy's eligibility on one computer, from its runs there (any order, any status).

    A failed run is a log entry too: Jamf counts it (only "retry on failure" re-runs it).
    """
    name = normalized(frequency)
    last = max(runs, key=lambda run: run.completed_at, default=None)
    if name == ONGOING or last is None:
        return RunEligibility(True, name, last)
    period = PERIODS.get(name)
    if period is not None:
        again = last.completed_at + period
        return RunEligibility(again <= now, name, last, None if again <= now else again)
    return RunEligibility(False, name, last)


def describe_run(run: PolicyRun) -> str:
    """`2026-08-20 10:15 UTC (Completed)`."""
    return f"{run.completed_at.strftime('%Y-%m-%d %H:%M UTC')} ({run.status})"


class DeviceRunState(StrEnum):
    """Where a queued policy run stands on one computer (`getActionStatus`).

    `queued`: in the dedicated group, not yet seen in the computer's policy log; `ran` / `failed`:
    the policy log shows a run after the request (Jamf's status says which); `expired`: no run
    within the configured time, so the computer left the group and the run is reported not run.
    """

    QUEUED = "queued"
    RAN = "ran"
    FAILED = "failed"
    EXPIRED = "expired"


@attrs.frozen
class DeviceRun:
    """One computer of a tracked run."""

    computer_id: str
    name: str
    state: DeviceRunState = DeviceRunState.QUEUED
    detail: str = ""
    at: datetime | None = None


@attrs.frozen
class TrackedPolicyRun:
    """A confirmed policy run the reconciler follows until every computer ran or expired.

    Attributes:
        record_id: The audit record of the confirmed action.
        policy_id, policy_name: The policy.
        group_id: The policy's dedicated static group the computers were added to.
        requested_at: When the computers were queued (runs logged after this count).
        expires_at: After this a computer still queued is reported not run and leaves the group.
        devices: Every queued computer.
    """

    record_id: str
    policy_id: int
    policy_name: str
    group_id: str
    requested_at: datetime
    expires_at: datetime
    devices: tuple[DeviceRun, ...]

    @property
    def is_open(self) -> bool:
        """True while a computer is still queued."""
        return any(device.state is DeviceRunState.QUEUED for device in self.devices)

    def queued_ids(self) -> frozenset[str]:
        """The computers still queued."""
        return frozenset(d.computer_id for d in self.devices if d.state is DeviceRunState.QUEUED)

    def settle(self, settled: Sequence[DeviceRun]) -> TrackedPolicyRun:
        """A copy with these computers' new states (others unchanged)."""
        by_id = {device.computer_id: device for device in settled}
        return attrs.evolve(self, devices=tuple(by_id.get(d.computer_id, d) for d in self.devices))


def settle_device(
    run: TrackedPolicyRun, device: DeviceRun, runs: Sequence[PolicyRun], now: datetime
) -> DeviceRun | None:
    """The new state of a queued computer from its runs of the policy since the request, or None
    while it stays queued."""
    if runs:
        last = max(runs, key=lambda r: r.completed_at)
        state = DeviceRunState.RAN if last.succeeded else DeviceRunState.FAILED
        return attrs.evolve(device, state=state, detail=describe_run(last), at=last.completed_at)
    if now >= run.expires_at:
        return attrs.evolve(
            device,
            state=DeviceRunState.EXPIRED,
            detail=f"not run: no run in its policy log by {run.expires_at:%Y-%m-%d %H:%M} UTC",
            at=now,
        )
    return None
