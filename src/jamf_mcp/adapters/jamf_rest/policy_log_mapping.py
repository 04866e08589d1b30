"""Named translations from Classic computer history (`subset/PolicyLogs`) to domain policy runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jamf_mcp.adapters.jamf_rest.json_fields import Json, instant, items, number, section, text
from jamf_mcp.domain.jamf_operations import PolicyRun

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def policy_runs_from_history(body: Json) -> tuple[PolicyRun, ...]:
    """The readable `policy_logs` entries of a `GET /JSSResource/computerhistory/…`, oldest first.

    Accepts `{"computer_history": {...}}` or the inner object. An entry without a policy id or
    a completion time is skipped: it cannot be matched to a request.
    """
    history = section(body, "computer_history") or body
    runs = [
        run
        for entry in items(history, "policy_logs", "policy_log")
        if (run := policy_run_from_log(entry)) is not None
    ]
    return tuple(sorted(runs, key=lambda run: run.completed_at))


def policy_run_from_log(entry: Json) -> PolicyRun | None:
    """One `policy_logs` entry (`policy_id`, `date_completed_epoch|_utc`, `status`), if readable."""
    policy_id = number(entry, "policy_id")
    completed_at = _completed_at(entry)
    if policy_id is None or completed_at is None:
        return None
    return PolicyRun(
        policy_id=policy_id,
        completed_at=completed_at,
        status=(text(entry, "status") or "Unknown").strip(),
        policy_name=(text(entry, "policy_name") or "").strip(),
    )


def _completed_at(entry: Json) -> datetime | None:
    """When the run finished: `date_completed_epoch` (ms), else `date_completed_utc`.

    The bare `date_completed` is server-local time without a zone, so it is never guessed at.
    """
    epoch_ms = number(entry, "date_completed_epoch")
    if epoch_ms:
        return _EPOCH + timedelta(milliseconds=epoch_ms)
    return instant(entry, "date_completed_utc")
