"""Execution frequency against a computer's policy log (Jamf's "Execution Frequency for Policies")."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jamf_mcp.domain.jamf_operations import PolicyRun
from jamf_mcp.domain.policy_runs import (
    DeviceRun,
    DeviceRunState,
    TrackedPolicyRun,
    eligibility,
    normalized,
    settle_device,
)
from tests.builders import NOW


def ran(hours_ago: float, status: str = "Completed") -> PolicyRun:
    return PolicyRun(7, NOW - timedelta(hours=hours_ago), status)


def test_an_ongoing_policy_is_always_due() -> None:
    assert eligibility("Ongoing", [ran(0.1)], NOW).due


@pytest.mark.parametrize("frequency", ["Once per computer", "Once per user per computer"])
def test_a_once_per_policy_is_due_only_where_its_log_is_empty(frequency: str) -> None:
    assert eligibility(frequency, [], NOW).due
    status = eligibility(frequency, [ran(24 * 400)], NOW)
    assert not status.due
    assert status.due_again_at is None
    assert status.last_run == ran(24 * 400)


def test_a_failed_run_is_a_log_entry_too() -> None:
    # Jamf: "If a log entry exists … the policy will not run again … until the log is flushed."
    assert not eligibility("Once per computer", [ran(2, "Failed")], NOW).due


@pytest.mark.parametrize(
    ("frequency", "hours"),
    [("Once every day", 24), ("Once every week", 168), ("Once every month", 720)],
)
def test_a_periodic_policy_is_due_again_after_its_period(frequency: str, hours: int) -> None:
    recent = eligibility(frequency, [ran(hours - 1)], NOW)
    assert not recent.due
    assert recent.due_again_at == NOW + timedelta(hours=1)
    assert eligibility(frequency, [ran(hours)], NOW).due


def test_an_unknown_frequency_counts_as_once_per_computer_as_jamf_stores_it() -> None:
    assert normalized("every other Tuesday") == "Once per computer"
    assert normalized("once EVERY day") == "Once every day"


def _tracked(expires_in: timedelta) -> TrackedPolicyRun:
    return TrackedPolicyRun(
        "rec-1", 7, "Chrome", "12", NOW, NOW + expires_in, (DeviceRun("5", "MAC-5"),)
    )


def test_a_queued_computer_settles_as_ran_or_failed_from_its_newest_run() -> None:
    run = _tracked(timedelta(hours=24))
    device = run.devices[0]
    done = settle_device(run, device, [PolicyRun(7, NOW + timedelta(minutes=3), "Completed")], NOW)
    failed = settle_device(run, device, [PolicyRun(7, NOW + timedelta(minutes=3), "Failed")], NOW)
    assert done is not None and done.state is DeviceRunState.RAN
    assert failed is not None and failed.state is DeviceRunState.FAILED
    assert settle_device(run, device, [], NOW + timedelta(hours=1)) is None


def test_a_computer_without_a_run_by_the_expiry_is_reported_not_run() -> None:
    run = _tracked(timedelta(hours=1))
    expired = settle_device(run, run.devices[0], [], NOW + timedelta(hours=1))
    assert expired is not None
    assert expired.state is DeviceRunState.EXPIRED
    assert expired.detail.startswith("not run")
    assert not run.settle([expired]).is_open
