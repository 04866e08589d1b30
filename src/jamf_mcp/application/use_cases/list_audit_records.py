"""Use case: the most recent actions put to people, from the audit trail, newest first."""

from __future__ import annotations

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports.audit import AuditTrail
from jamf_mcp.domain.audit_records import AuditQuery, AuditRecord
from jamf_mcp.domain.principal import Principal

MAX_RECORDS = 500


@attrs.frozen
class AuditRecordsRequest:
    """How many of the most recent records to show."""

    limit: int = attrs.field(default=50, validator=attrs.validators.in_(range(1, MAX_RECORDS + 1)))


class ListAuditRecords:
    """Show what was recently done through this server, and how it turned out.

    Rules:
    - Needs `read:jamf`: the trail names people, devices and outcomes, never secrets.
    - At most `limit` records, newest first, each with every event recorded so far: asked,
      approved, declined, cancelled, expired, refused attempts and outcomes.
    """

    required_scopes = READ

    def __init__(self, audit: AuditTrail) -> None:
        self._audit = audit

    async def execute(
        self, request: AuditRecordsRequest, principal: Principal
    ) -> tuple[AuditRecord, ...]:
        """The newest `request.limit` records, newest first."""
        require(principal, self.required_scopes)
        records = await self._audit.search(AuditQuery(limit=request.limit, newest_first=True))
        return tuple(records[: request.limit])
