"""An in-memory audit trail for use-case tests: records and their events, inspectable.

It follows the same contract as the durable stores (tests/contract/test_audit_contract.py),
except durability; `unavailable` makes every call fail as an unreachable database would.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from jamf_mcp.adapters.memory.audit_matching import EXPIRY_LOOKBACK, overdue, record_matches
from jamf_mcp.domain.audit import AuditAction
from jamf_mcp.domain.audit_records import (
    AuditEvent,
    AuditEventKind,
    AuditQuery,
    AuditRecord,
)
from jamf_mcp.domain.errors import AuditUnavailable

if TYPE_CHECKING:
    from jamf_mcp.application.ports.audit import AuditLog, AuditTrail


@attrs.define
class InMemoryAuditLog:
    """Keeps records in a list, in the order they were made (implements `AuditLog` and
    `AuditTrail`).

    Attributes:
        records: every record, oldest first.
        unavailable: when True, every call raises `AuditUnavailable`.
    """

    records: list[AuditRecord] = attrs.field(factory=list)
    unavailable: bool = False

    def _check(self) -> None:
        if self.unavailable:
            raise AuditUnavailable("the in-memory trail was switched off")

    @property
    def events(self) -> list[AuditEvent]:
        """Every event of every record, record by record."""
        return [event for record in self.records for event in record.events]

    async def record(self, action: AuditAction, event: AuditEvent) -> None:
        """Append `event`, creating its record on first sight; a repeated event id is ignored."""
        self._check()
        if any(known.event_id == event.event_id for known in self.events):
            return
        for index, record in enumerate(self.records):
            if record.record_id == event.record_id:
                self.records[index] = attrs.evolve(record, events=(*record.events, event))
                return
        position = len(self.records) + 1
        self.records.append(
            AuditRecord(event.record_id, datetime.now(UTC), action, (event,), position)
        )

    async def expire_overdue(self, now: datetime, grace: timedelta) -> int:
        """Append `expired` to each open record whose last deadline passed `grace` ago."""
        self._check()
        expired = 0
        for record in list(self.records):
            requested = overdue(record, now - grace, now - EXPIRY_LOOKBACK)
            if requested is None or requested.expires_at is None:
                continue
            event = AuditEvent(
                event_id=f"expired:{record.record_id}",
                record_id=record.record_id,
                kind=AuditEventKind.EXPIRED,
                at=requested.expires_at,
                actor=record.requester,
                channel=requested.channel,
                client=requested.client,
                detail="no answer before the deadline",
            )
            await self.record(record.action, event)
            expired += 1
        return expired

    async def get(self, record_id: str) -> AuditRecord | None:
        """The record with this id, or None."""
        self._check()
        return next((r for r in self.records if r.record_id == record_id), None)

    async def search(self, query: AuditQuery) -> Sequence[AuditRecord]:
        """Matching records in the query's order, after its cursor."""
        self._check()
        ordered = list(reversed(self.records)) if query.newest_first else list(self.records)
        if query.cursor is not None:
            if query.newest_first:
                ordered = [r for r in ordered if r.position < query.cursor]
            else:
                ordered = [r for r in ordered if r.position > query.cursor]
        return [r for r in ordered if record_matches(r, query)][: query.limit]


if TYPE_CHECKING:  # mypy proves the ports are implemented; nothing happens at runtime
    _implements_audit_log: type[AuditLog] = InMemoryAuditLog
    _implements_audit_trail: type[AuditTrail] = InMemoryAuditLog
