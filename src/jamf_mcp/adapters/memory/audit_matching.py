"""The audit trail's query and expiry rules, in Python, for the in-memory trail.

The SQLite and PostgreSQL stores say the same in SQL; the contract suite holds them together.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from jamf_mcp.domain.audit_records import AuditEvent, AuditEventKind, AuditQuery, AuditRecord

EXPIRY_LOOKBACK = timedelta(days=7)
"""How far back an expiry sweep looks for open requests (keeps each sweep's work bounded)."""


def overdue(record: AuditRecord, cutoff: datetime, oldest: datetime) -> AuditEvent | None:
    """The record's last request when its deadline is before `cutoff` (and after `oldest`) and
    nothing ended the confirmation yet; else None."""
    if record.resolution is not None:
        return None
    requests = [e for e in record.events if e.kind is AuditEventKind.REQUESTED]
    if not requests or requests[-1].expires_at is None:
        return None
    deadline = requests[-1].expires_at
    return requests[-1] if oldest <= deadline < cutoff else None


def _user_matches(event: AuditEvent, user: str) -> bool:
    actor = event.actor
    wanted = user.casefold()
    return (
        f"{actor.issuer}#{actor.subject}" == user
        or actor.subject.casefold() == wanted
        or (actor.display_name or "").casefold() == wanted
    )


def _device_matches(record: AuditRecord, device: str) -> bool:
    wanted = device.casefold()
    return any(
        t.jamf_id == device
        or t.name.casefold() == wanted
        or (t.serial_number or "").casefold() == wanted
        for t in record.action.targets
    )


def record_matches(record: AuditRecord, query: AuditQuery) -> bool:
    """True when `record` answers `query` (every filter but order, cursor and limit)."""
    if query.user and not any(_user_matches(e, query.user) for e in record.events):
        return False
    if query.device and not _device_matches(record, query.device):
        return False
    if query.action_kind is not None and record.action.kind is not query.action_kind:
        return False
    if query.command is not None and (record.action.command or "").upper() != query.command:
        return False
    if query.since is not None or query.until is not None:
        return any(
            (query.since is None or e.at >= query.since)
            and (query.until is None or e.at < query.until)
            for e in record.events
        )
    return True
