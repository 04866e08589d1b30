"""Mapping Classic computer history `policy_logs` entries to domain policy runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jamf_mcp.adapters.jamf_rest.policy_log_mapping import (
    policy_run_from_log,
    policy_runs_from_history,
)
from jamf_mcp.domain.jamf_operations import PolicyRun

EPOCH_MS = 1_780_000_000_123
WHEN = datetime.fromtimestamp(EPOCH_MS / 1000, tz=UTC)


def log(**fields: Any) -> dict[str, Any]:
    """One `policy_logs` entry as Jamf's Classic JSON has it."""
    entry: dict[str, Any] = {
        "policy_id": 45,
        "policy_name": "Software Update",
        "username": "jsmith",
        "date_completed": "2026-05-28 20:26:40",
        "date_completed_epoch": EPOCH_MS,
        "date_completed_utc": "2026-05-28T20:26:40.123+0000",
        "status": "Completed",
    }
    entry.update(fields)
    return entry


def test_an_entry_becomes_a_run_at_its_epoch_time() -> None:
    assert policy_run_from_log(log()) == PolicyRun(45, WHEN, "Completed", "Software Update")


def test_the_utc_text_is_used_when_the_epoch_is_missing_or_zero() -> None:
    for epoch in (None, 0, ""):
        assert policy_run_from_log(log(date_completed_epoch=epoch)) == PolicyRun(
            45, WHEN, "Completed", "Software Update"
        )


def test_an_entry_with_only_the_zoneless_local_date_is_skipped() -> None:
    entry = log(date_completed_epoch=None, date_completed_utc=None)
    assert policy_run_from_log(entry) is None


def test_an_entry_without_a_policy_id_is_skipped() -> None:
    assert policy_run_from_log(log(policy_id=None)) is None


def test_a_failed_run_is_not_a_success() -> None:
    run = policy_run_from_log(log(status="Failed"))
    assert run is not None and not run.succeeded


def test_a_history_body_gives_every_run_oldest_first_whatever_the_wrapping() -> None:
    newer = log(date_completed_epoch=EPOCH_MS + 1000, policy_id="7")
    body = {"computer_history": {"policy_logs": [newer, {"policy_log": log()}, {"junk": 1}]}}
    runs = policy_runs_from_history(body)
    assert [(run.policy_id, run.completed_at) for run in runs] == [
        (45, WHEN),
        (7, datetime.fromtimestamp((EPOCH_MS + 1000) / 1000, tz=UTC)),
    ]


def test_a_history_without_policy_logs_has_no_runs() -> None:
    assert policy_runs_from_history({"computer_history": {"policy_logs": []}}) == ()
    assert policy_runs_from_history({}) == ()
