"""What the approval page may show and do for the person in front of it (ADR 0032)."""

from __future__ import annotations

from enum import StrEnum

import attrs

from jamf_mcp.application.approval_path import approved_event_id, declined_event_id
from jamf_mcp.application.approvals import ApprovalStore
from jamf_mcp.application.audit_recorder import ActionAudit
from jamf_mcp.application.ports import AuditLog, Clock
from jamf_mcp.domain.approvals import Approval, ApprovalClosed, ApprovalState
from jamf_mcp.domain.audit import AuditActor
from jamf_mcp.domain.audit_records import AuditEventKind, RefusalReason
from jamf_mcp.domain.errors import AuditUnavailable


@attrs.frozen
class PageViewer:
    """The person signed in to the page (a browser session, never a bearer token)."""

    issuer: str
    subject: str
    display_name: str | None = None


class Verdict(StrEnum):
    """What the page tells the person."""

    OPEN = "open"
    """Theirs and pending: show Approve and Decline."""
    APPROVED = "approved"
    DECLINED = "declined"
    USED = "used"
    """Approved and carried out (or being carried out) by the tool call."""
    EXPIRED = "expired"
    NOT_YOURS = "not_yours"
    UNKNOWN = "unknown"
    ALREADY_DECIDED = "already_decided"
    """A decision sent again (a second tab, a replayed form): nothing changed."""
    UNRECORDED = "unrecorded"
    """Decided, but the audit trail could not be written: the action will not run without it."""


@attrs.frozen
class ApprovalView:
    """An approval as this viewer may see it (`approval` is None unless it is theirs)."""

    verdict: Verdict
    approval: Approval | None = None


_STATE_VERDICTS = {
    ApprovalState.APPROVED: Verdict.APPROVED,
    ApprovalState.DECLINED: Verdict.DECLINED,
    ApprovalState.USED: Verdict.USED,
}


class ApprovalDesk:
    """Shows approvals to the person who asked for them, and records their decision.

    Rules:
    - Only the requesting user (same issuer and subject; this server's tokens stand for the
      upstream provider's users, `same_person_issuers`) sees the summary and may decide; anyone
      else gets "not yours" and the attempt is recorded as `refused` (wrong user), showing
      nothing of the action.
    - A decision is atomic and final: of two tabs (or replicas) exactly one wins; a decision on
      one already decided is recorded as `refused` (replay), after its deadline as `refused`
      (expired). Approving records `approved` (the run writes the same event again before any
      work, so the record holds one), declining records `declined`; both with the page channel
      the approval was reached through, the viewer and the requesting client.

    Args:
        approvals: the store.
        audit: the trail.
        clock: decision times.
        same_person_issuers: issuers whose subjects name the same people.
    """

    def __init__(
        self,
        approvals: ApprovalStore,
        audit: AuditLog,
        clock: Clock,
        same_person_issuers: frozenset[str],
    ) -> None:
        self._approvals = approvals
        self._audit = audit
        self._clock = clock
        self._same = same_person_issuers

    def _trail(self, approval: Approval, viewer: PageViewer) -> ActionAudit:
        actor = AuditActor(viewer.issuer, viewer.subject, None, viewer.display_name)
        return ActionAudit(self._audit, self._clock, approval.action, actor, approval.client)

    async def _theirs(self, approval_id: str, viewer: PageViewer) -> ApprovalView:
        approval = await self._approvals.get(approval_id)
        if approval is None:
            return ApprovalView(Verdict.UNKNOWN)
        if not approval.asked_by(viewer.issuer, viewer.subject, self._same):
            trail = self._trail(approval, viewer)
            await trail.refused(approval.record_id, RefusalReason.WRONG_USER, approval.channel)
            return ApprovalView(Verdict.NOT_YOURS)
        if approval.state is ApprovalState.PENDING:
            verdict = Verdict.EXPIRED if approval.expired(self._clock.now()) else Verdict.OPEN
            return ApprovalView(verdict, approval)
        return ApprovalView(_STATE_VERDICTS[approval.state], approval)

    async def view(self, approval_id: str, viewer: PageViewer) -> ApprovalView:
        """The approval for the page (a stranger's visit is recorded as refused)."""
        return await self._theirs(approval_id, viewer)

    async def decide(self, approval_id: str, viewer: PageViewer, approve: bool) -> ApprovalView:
        """Approve or decline by the rules above."""
        seen = await self._theirs(approval_id, viewer)
        approval = seen.approval
        if approval is None:
            return seen
        trail = self._trail(approval, viewer)
        try:
            decided = await self._approvals.decide(approval_id, approve, self._clock.now())
        except ApprovalClosed as closed:
            reason = RefusalReason.EXPIRED if closed.state is None else RefusalReason.REPLAY
            await trail.refused(approval.record_id, reason, approval.channel)
            current = await self._approvals.get(approval_id) or approval
            if closed.state is None:
                return ApprovalView(Verdict.EXPIRED, current)
            return ApprovalView(Verdict.ALREADY_DECIDED, current)
        except KeyError:
            return ApprovalView(Verdict.UNKNOWN)
        record_id = decided.record_id
        if not approve:
            await trail.answered(
                record_id,
                AuditEventKind.DECLINED,
                decided.channel,
                "declined on the approval page",
                event_id=declined_event_id(record_id),
            )
            return ApprovalView(Verdict.DECLINED, decided)
        try:
            await trail.approved(
                record_id,
                decided.channel,
                self._clock.now(),
                event_id=approved_event_id(record_id),
                detail="approved on the approval page",
            )
        except AuditUnavailable:
            return ApprovalView(Verdict.UNRECORDED, decided)
        return ApprovalView(Verdict.APPROVED, decided)
