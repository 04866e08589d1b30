"""Mapping audit values to and from SQLite rows (JSON text for targets and per-device results)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.audit import (
    AuditActor,
    AuditEntry,
    AuditOutcome,
    ConfirmationChannel,
    DeviceResult,
    OutcomeStatus,
)
from jamf_mcp.domain.devices import DeviceKind

INTENT_COLUMNS = (
    "record_id",
    "recorded_at",
    "issuer",
    "subject",
    "client_id",
    "display_name",
    "action_kind",
    "targets",
    "digest",
    "summary",
    "channel",
    "confirmed_at",
)
OUTCOME_COLUMNS = ("record_id", "recorded_at", "status", "results")


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def intent_row(record_id: str, recorded_at: datetime, entry: AuditEntry) -> tuple[str | None, ...]:
    """The intents-table row for `entry`, in `INTENT_COLUMNS` order."""
    targets = [
        {
            "kind": target.kind.value,
            "jamf_id": target.jamf_id,
            "name": target.name,
            "serial_number": target.serial_number,
            "management_id": target.management_id,
            "user_name": target.user_name,
        }
        for target in entry.targets
    ]
    return (
        record_id,
        recorded_at.isoformat(),
        entry.actor.issuer,
        entry.actor.subject,
        entry.actor.client_id,
        entry.actor.display_name,
        entry.action_kind.value,
        _json(targets),
        entry.digest,
        entry.summary,
        entry.channel.value,
        entry.confirmed_at.isoformat(),
    )


def outcome_row(record_id: str, outcome: AuditOutcome) -> tuple[str, ...]:
    """The outcomes-table row for `outcome`, in `OUTCOME_COLUMNS` order."""
    results = [
        {
            "target_id": result.target_id,
            "kind": result.kind.value,
            "status": result.status.value,
            "detail": result.detail,
            "reference": result.reference,
        }
        for result in outcome.results
    ]
    return (record_id, outcome.at.isoformat(), outcome.status.value, _json(results))


def entry_from_row(row: Sequence[Any]) -> AuditEntry:
    """The entry of an intents-table row (`INTENT_COLUMNS` order)."""
    (_, _, issuer, subject, client_id, display_name, kind, targets, digest, summary, channel,
     confirmed_at) = row  # fmt: skip
    return AuditEntry(
        actor=AuditActor(issuer, subject, client_id, display_name),
        action_kind=ActionKind(kind),
        targets=tuple(
            ActionTarget(
                kind=DeviceKind(item["kind"]),
                jamf_id=item["jamf_id"],
                name=item["name"],
                serial_number=item["serial_number"],
                management_id=item["management_id"],
                user_name=item["user_name"],
            )
            for item in json.loads(targets)
        ),
        digest=digest,
        summary=summary,
        channel=ConfirmationChannel(channel),
        confirmed_at=datetime.fromisoformat(confirmed_at),
    )


def outcome_from_row(row: Sequence[Any]) -> AuditOutcome:
    """The outcome of an outcomes-table row (`OUTCOME_COLUMNS` order)."""
    _, at, status, results = row
    return AuditOutcome(
        status=OutcomeStatus(status),
        at=datetime.fromisoformat(at),
        results=tuple(
            DeviceResult(
                item["target_id"],
                OutcomeStatus(item["status"]),
                item["detail"],
                item.get("reference"),
                DeviceKind(item.get("kind", DeviceKind.COMPUTER.value)),
            )
            for item in json.loads(results)
        ),
    )
