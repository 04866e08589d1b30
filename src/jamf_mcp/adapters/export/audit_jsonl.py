"""The audit trail as JSON documents, one per event, for JSON Lines export to a SIEM.

Each document stands alone: the record's action rides along, with the devices it named (or,
for an outcome, each device's result with its name and serial number).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from jamf_mcp.adapters.export.audit_lines import stamp
from jamf_mcp.domain.actions import ActionTarget
from jamf_mcp.domain.audit_records import AuditEvent, AuditRecord


def _target(target: ActionTarget) -> dict[str, Any]:
    return {
        "kind": target.kind.value,
        "id": target.jamf_id,
        "name": target.name,
        "serialNumber": target.serial_number,
        "user": target.user_name,
    }


def _event(record: AuditRecord, event: AuditEvent) -> dict[str, Any]:
    action, actor = record.action, event.actor
    document: dict[str, Any] = {
        "recordId": record.record_id,
        "eventId": event.event_id,
        "event": event.kind.value,
        "at": stamp(event.at),
        "user": {
            "issuer": actor.issuer,
            "subject": actor.subject,
            "name": actor.display_name,
            "oauthClient": actor.client_id,
        },
        "client": {"name": event.client.name, "version": event.client.version},
        "channel": None if event.channel is None else event.channel.value,
        "action": {
            "kind": action.kind.value,
            "command": action.command,
            "policyId": action.policy_id,
            "policyName": action.policy_name,
            "digest": action.digest,
            "summary": action.summary,
            "targetCount": len(action.targets),
        },
    }
    if event.expires_at is not None:
        document["expiresAt"] = stamp(event.expires_at)
    if event.reason is not None:
        document["reason"] = event.reason.value
    if event.detail:
        document["detail"] = event.detail
    if event.outcome is None:
        document["devices"] = [_target(target) for target in action.targets]
        return document
    by_key = {(t.kind, t.jamf_id): t for t in action.targets}
    document["status"] = event.outcome.status.value
    document["devices"] = [
        {
            **(
                _target(by_key[(r.kind, r.target_id)])
                if (r.kind, r.target_id) in by_key
                else {"kind": r.kind.value, "id": r.target_id}
            ),
            "status": r.status.value,
            "detail": r.detail,
            "reference": r.reference,
        }
        for r in event.outcome.results
    ]
    return document


def event_documents(
    record: AuditRecord, since: datetime | None = None, until: datetime | None = None
) -> Iterator[dict[str, Any]]:
    """The record's events as documents, oldest first, limited to [since, until) when given."""
    for event in record.events:
        if since is not None and event.at < since:
            continue
        if until is not None and event.at >= until:
            continue
        yield _event(record, event)
