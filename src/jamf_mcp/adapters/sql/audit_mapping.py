"""Rows of the audit tables back into records and events (the inverse of `audit_columns`)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.audit import (
    AuditAction,
    AuditActor,
    AuditOutcome,
    ClientInfo,
    ConfirmationChannel,
    DeviceResult,
    OutcomeStatus,
)
from jamf_mcp.domain.audit_records import AuditEvent, AuditEventKind, AuditRecord, RefusalReason
from jamf_mcp.domain.devices import DeviceKind

ToTime = Callable[[Any], datetime]
Row = Sequence[Any]


def _results(raw: object) -> tuple[DeviceResult, ...]:
    items = json.loads(raw) if isinstance(raw, str | bytes) else raw
    if not isinstance(items, list):
        return ()
    return tuple(
        DeviceResult(
            item["target_id"],
            OutcomeStatus(item["status"]),
            item.get("detail") or "",
            item.get("reference"),
            DeviceKind(item.get("kind", DeviceKind.COMPUTER.value)),
        )
        for item in items
    )


def event_from_row(row: Row, to_time: ToTime) -> AuditEvent:
    """An event from an events-table row in `EVENT_COLUMNS` order."""
    (event_id, record_id, kind, at, issuer, subject, oauth_client_id, display_name, channel,
     client_name, client_version, expires_at, reason, detail, status, results) = row  # fmt: skip
    when = to_time(at)
    outcome = None
    if status is not None:
        outcome = AuditOutcome(OutcomeStatus(status), when, _results(results))
    return AuditEvent(
        event_id=event_id,
        record_id=record_id,
        kind=AuditEventKind(kind),
        at=when,
        actor=AuditActor(issuer, subject, oauth_client_id, display_name),
        channel=None if channel is None else ConfirmationChannel(channel),
        client=ClientInfo(client_name, client_version),
        expires_at=None if expires_at is None else to_time(expires_at),
        reason=None if reason is None else RefusalReason(reason),
        detail=detail or "",
        outcome=outcome,
    )


def _target(row: Row) -> ActionTarget:
    _, _, kind, jamf_id, name, serial, management_id, user_name = row
    return ActionTarget(DeviceKind(kind), jamf_id, name, serial, management_id, user_name)


def assemble_records(
    records: Sequence[Row], targets: Sequence[Row], events: Sequence[Row], to_time: ToTime
) -> list[AuditRecord]:
    """Records (rows of `seq, recorded_at, *RECORD_COLUMNS`) with their targets (in position
    order) and events (in order), keeping the order of `records`."""
    targets_of: dict[str, list[ActionTarget]] = defaultdict(list)
    for row in targets:
        targets_of[row[0]].append(_target(row))
    events_of: dict[str, list[AuditEvent]] = defaultdict(list)
    for row in events:
        events_of[row[1]].append(event_from_row(row, to_time))
    assembled = []
    for row in records:
        seq, recorded_at, record_id, kind, command, policy_id, policy_name, digest, summary = row[
            :9
        ]
        action = AuditAction(
            kind=ActionKind(kind),
            targets=tuple(targets_of[record_id]),
            digest=digest,
            summary=summary,
            command=command,
            policy_id=policy_id,
            policy_name=policy_name,
        )
        assembled.append(
            AuditRecord(
                record_id=record_id,
                recorded_at=to_time(recorded_at),
                action=action,
                events=tuple(events_of[record_id]),
                position=int(seq),
            )
        )
    return assembled
