"""The audit tables' columns, and the values a record, its targets and an event put in them.

Timestamps stay `datetime`s and results a JSON text here; each store converts what it must.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from jamf_mcp.domain.audit import AuditAction, AuditOutcome
from jamf_mcp.domain.audit_records import AuditEvent

RECORD_COLUMNS = (
    "record_id",
    "action_kind",
    "command",
    "policy_id",
    "policy_name",
    "digest",
    "summary",
    "target_count",
)
TARGET_COLUMNS = (
    "record_id",
    "position",
    "device_kind",
    "jamf_id",
    "name",
    "serial_number",
    "management_id",
    "user_name",
)
EVENT_COLUMNS = (
    "event_id",
    "record_id",
    "kind",
    "at",
    "issuer",
    "subject",
    "oauth_client_id",
    "display_name",
    "channel",
    "client_name",
    "client_version",
    "expires_at",
    "reason",
    "detail",
    "status",
    "results",
)

Value = str | int | object | None


def record_values(record_id: str, action: AuditAction) -> tuple[Value, ...]:
    """A records-table row, in `RECORD_COLUMNS` order."""
    return (
        record_id,
        action.kind.value,
        action.command,
        action.policy_id,
        action.policy_name,
        action.digest,
        action.summary,
        len(action.targets),
    )


def target_rows(record_id: str, action: AuditAction) -> list[tuple[Value, ...]]:
    """One targets-table row per device, in `TARGET_COLUMNS` order."""
    return [
        (
            record_id,
            position,
            target.kind.value,
            target.jamf_id,
            target.name,
            target.serial_number,
            target.management_id,
            target.user_name,
        )
        for position, target in enumerate(action.targets)
    ]


def results_json(outcome: AuditOutcome | None) -> str | None:
    """The per-device results as compact JSON, or None for an event without an outcome."""
    if outcome is None:
        return None
    items = [
        {
            "target_id": result.target_id,
            "kind": result.kind.value,
            "status": result.status.value,
            "detail": result.detail,
            "reference": result.reference,
        }
        for result in outcome.results
    ]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))


def event_values(event: AuditEvent) -> tuple[Value, ...]:
    """An events-table row, in `EVENT_COLUMNS` order."""
    actor, outcome = event.actor, event.outcome
    return (
        event.event_id,
        event.record_id,
        event.kind.value,
        event.at,
        actor.issuer,
        actor.subject,
        actor.client_id,
        actor.display_name,
        None if event.channel is None else event.channel.value,
        event.client.name,
        event.client.version,
        event.expires_at,
        None if event.reason is None else event.reason.value,
        event.detail,
        None if outcome is None else outcome.status.value,
        results_json(outcome),
    )


def columns(names: Sequence[str], prefix: str = "") -> str:
    """`a, b, c` (each with `prefix`)."""
    return ", ".join(f"{prefix}{name}" for name in names)
