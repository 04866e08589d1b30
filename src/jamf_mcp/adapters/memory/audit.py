"""An in-memory `AuditLog` for use-case tests: the intents and outcomes, inspectable."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import attrs

from jamf_mcp.domain.audit import AuditEntry, AuditOutcome, AuditRecord
from jamf_mcp.domain.errors import AuditRecordUnknown

if TYPE_CHECKING:
    from jamf_mcp.application.ports import AuditLog


@attrs.define
class InMemoryAuditLog:
    """Keeps records in a list, in the order they were made (implements `AuditLog`)."""

    records: list[AuditRecord] = attrs.field(factory=list)

    async def record_intent(self, entry: AuditEntry) -> str:
        """Append an intent."""
        record_id = f"record-{len(self.records) + 1}"
        self.records.append(AuditRecord(record_id, datetime.now(UTC), entry))
        return record_id

    async def record_outcome(self, record_id: str, outcome: AuditOutcome) -> None:
        """Append an outcome to a record."""
        for index, record in enumerate(self.records):
            if record.record_id == record_id:
                outcomes = (*record.outcomes, outcome)
                self.records[index] = attrs.evolve(record, outcomes=outcomes)
                return
        raise AuditRecordUnknown(record_id)

    async def tail(self, limit: int) -> Sequence[AuditRecord]:
        """The newest records, oldest first."""
        return self.records[-limit:] if limit > 0 else []


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_audit_log: type[AuditLog] = InMemoryAuditLog
