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
    """How many of the most recent records to show, and after which one (a later page).

    Attributes:
        limit: the most records in the page.
        after: the `position` the previous page ended at (`AuditRecordsPage.next_after`);
            None for the newest records. The trail only grows, so a position stays put where an
            offset would shift with every new record.
    """

    limit: int = attrs.field(validator=attrs.validators.in_(range(1, MAX_RECORDS + 1)))
    after: int | None = None


@attrs.frozen
class AuditRecordsPage:
    """One page of the trail, newest first, and where the next one starts (None: no more)."""

    records: tuple[AuditRecord, ...]
    next_after: int | None


class ListAuditRecords:
    """Show what was recently done through this server, and how it turned out.

    Rules:
    - Needs `read:jamf`: the trail names people, devices and outcomes, never secrets.
    - At most `limit` records, newest first, each with every event recorded so far: asked,
      approved, declined, cancelled, expired, refused attempts and outcomes.
    - Pages by position, not offset: one more record than asked is read to know whether
      another page follows.
    """

    required_scopes = READ

    def __init__(self, audit: AuditTrail) -> None:
        self._audit = audit

    async def execute(self, request: AuditRecordsRequest, principal: Principal) -> AuditRecordsPage:
        """The newest `request.limit` records after `request.after`, newest first."""
        require(principal, self.required_scopes)
        query = AuditQuery(limit=request.limit + 1, newest_first=True, cursor=request.after)
        records = tuple(await self._audit.search(query))
        page = records[: request.limit]
        more = len(records) > request.limit and bool(page)
        return AuditRecordsPage(page, page[-1].position if more else None)
