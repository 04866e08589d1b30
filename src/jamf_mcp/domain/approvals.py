"""Approvals: an action put to a person on this server's own page, decided there once.

An approval is the person-facing half of a confirmation that never passes through the model: the
tool call creates it (pending), the person signed in as the requesting user approves or declines
it on `/confirm/{id}`, and exactly one tool call then claims an approved one and runs the action.
The id is in the link but is not a capability: only the requesting user, signed in, may decide.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

import attrs

from jamf_mcp.domain.audit import AuditAction, AuditActor, ClientInfo, ConfirmationChannel
from jamf_mcp.domain.confirmations import TOKEN_BYTES, audit_record_id

PERSON_ONLY_COMMANDS = frozenset({"ERASE_DEVICE", "DEVICE_LOCK"})
"""MDM commands that are never confirmed with a token the model holds (ADR 0034)."""


class ApprovalState(StrEnum):
    """Where an approval stands: pending until decided; approved until one call claims it."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"
    USED = "used"


@attrs.frozen
class Approval:
    """One action waiting for (or decided by) the person who asked for it.

    Attributes:
        approval_id: 256 random bits, URL-safe; the audit record id derives from it.
        requester: who asked (issuer and subject of the bearer token).
        client: the MCP client the request came through.
        action: the safe view of the action (devices, policy or command, summary).
        message: everything the person is shown (summary and notes).
        binding: the action's keyed binding to `approval_id`, secrets included: the call that
            claims the approval must carry exactly these arguments.
        lookup: a keyed digest of requester and action, so the same call made again finds it.
        channel: how the person was sent to the page (approval page link or URL elicitation).
        created_at, expires_at: the question's lifetime (the confirmation TTL).
        state: see `ApprovalState`.
        decided_at: when it was approved or declined.
    """

    approval_id: str = attrs.field(repr=False)
    requester: AuditActor
    client: ClientInfo
    action: AuditAction
    message: str
    binding: str = attrs.field(repr=False)
    lookup: str = attrs.field(repr=False)
    channel: ConfirmationChannel
    created_at: datetime
    expires_at: datetime
    state: ApprovalState = ApprovalState.PENDING
    decided_at: datetime | None = None

    @property
    def record_id(self) -> str:
        """The id of this approval's audit record (the same derivation as a token's)."""
        return audit_record_id(self.approval_id)

    def expired(self, now: datetime) -> bool:
        """True when it can no longer be decided (`now` at or after `expires_at`)."""
        return now >= self.expires_at

    def open(self, now: datetime) -> bool:
        """True while the person may still decide."""
        return self.state is ApprovalState.PENDING and not self.expired(now)

    def asked_by(self, issuer: str, subject: str, same_person_issuers: frozenset[str]) -> bool:
        """Whether `issuer`+`subject` (a browser sign-in) is the user who asked.

        `same_person_issuers` are issuers whose subjects name the same people: this server's
        own tokens carry the upstream identity provider's subject, so a browser signed in at the
        upstream is the same person as a bearer token of ours with that subject.
        """
        if not secrets.compare_digest(subject, self.requester.subject):
            return False
        if issuer == self.requester.issuer:
            return True
        return {issuer, self.requester.issuer} <= same_person_issuers

    def decided(self, approve: bool, now: datetime) -> Approval:
        """The copy after the person's decision.

        Raises:
            ApprovalClosed: it was already decided, used, or it expired.
        """
        if self.state is not ApprovalState.PENDING:
            raise ApprovalClosed(self.state)
        if self.expired(now):
            raise ApprovalClosed(None)
        state = ApprovalState.APPROVED if approve else ApprovalState.DECLINED
        return attrs.evolve(self, state=state, decided_at=now)

    def claimed(self) -> Approval:
        """The copy once a call has taken an approved approval to run it.

        Raises:
            ApprovalClosed: it is not (or no longer) approved.
        """
        if self.state is not ApprovalState.APPROVED:
            raise ApprovalClosed(self.state)
        return attrs.evolve(self, state=ApprovalState.USED)


class ApprovalClosed(Exception):
    """The approval cannot change that way; `state` is where it stands (None: it expired)."""

    def __init__(self, state: ApprovalState | None) -> None:
        super().__init__("expired" if state is None else state.value)
        self.state = state


def new_approval_id() -> str:
    """An unguessable approval id (URL-safe text)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def approval_lifetime(created_at: datetime, ttl: timedelta) -> datetime:
    """When an approval created at `created_at` expires."""
    if ttl <= timedelta(0):
        raise ValueError("an approval needs a positive lifetime")
    return created_at + ttl
