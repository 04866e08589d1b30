"""The audit trail: the append-only write side and the read side."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from jamf_mcp.domain.audit import AuditAction
from jamf_mcp.domain.audit_records import AuditEvent, AuditQuery, AuditRecord


class AuditLog(Protocol):
    """The append-only audit trail, write side: events of records, never changed or removed.

    Entries carry identifiers, device names and results, never tokens, scopes, email addresses
    or command secrets. Every method may raise `AuditUnavailable` when the store cannot be
    written; callers that must not act without a record (the confirmation gate) stop there.
    """

    async def record(self, action: AuditAction, event: AuditEvent) -> None:
        """Append `event` to the record of `action`, creating the record with its first event.

        Durable before it returns: committed to disk, or to the database with synchronous
        commit, so it survives this process (and the store's host) crashing. Idempotent on
        `event.event_id`: recording an event again stores nothing new, so a write whose reply
        was lost may be retried. When the record exists, `action` is not written again.

        Raises:
            AuditUnavailable: the store cannot be reached or refused the write.
        """
        ...

    async def expire_overdue(self, now: datetime, grace: timedelta) -> int:
        """Append `expired` to every record whose last request's deadline is more than `grace`
        before `now` and that has no approval, decline, cancellation or expiry; return how many.

        Idempotent and safe to run from every replica at once: a record expires at most once.
        Looks back a bounded window (a week), so the work does not grow with the trail.

        Raises:
            AuditUnavailable: the store cannot be reached or refused the write.
        """
        ...


class AuditTrail(Protocol):
    """The audit trail, read side (idempotent reads)."""

    async def get(self, record_id: str) -> AuditRecord | None:
        """One record with all its events, or None when no record has this id.

        Raises:
            AuditUnavailable: the store cannot be reached.
        """
        ...

    async def search(self, query: AuditQuery) -> Sequence[AuditRecord]:
        """At most `query.limit` matching records with all their events, in `query`'s order,
        continuing after `query.cursor` (a previous page's last `position`).

        Raises:
            AuditUnavailable: the store cannot be reached.
        """
        ...
