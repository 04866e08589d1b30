"""Audit events, the record they make up, and the questions asked of the trail.

Events are only ever appended. A record's state is read from them: the latest outcome if the
action ran, else how the confirmation ended (approved, declined, cancelled, expired), else
"requested" while it is open.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs

from jamf_mcp.domain.actions import ActionKind
from jamf_mcp.domain.audit import (
    AuditAction,
    AuditActor,
    AuditOutcome,
    ClientInfo,
    ConfirmationChannel,
    OutcomeStatus,
)


class AuditEventKind(StrEnum):
    """What an audit event says happened.

    `REQUESTED`: the person was asked (a token issued, a form shown, a page offered).
    `APPROVED`: they confirmed; written durably before anything is sent to Jamf (the intent).
    `DECLINED`: they said no. `CANCELLED`: they dismissed the question or the call was cancelled
    while it was open. `EXPIRED`: no answer before the deadline (see `expires_at`).
    `REFUSED`: an attempt to confirm was turned down (see `RefusalReason`); nothing ran.
    `OUTCOME`: what happened on each device after the approval (several may follow).
    """

    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REFUSED = "refused"
    OUTCOME = "outcome"


RESOLUTIONS = frozenset(
    {
        AuditEventKind.APPROVED,
        AuditEventKind.DECLINED,
        AuditEventKind.CANCELLED,
        AuditEventKind.EXPIRED,
    }
)
"""The kinds that end a confirmation; a record has at most one of them."""


class RefusalReason(StrEnum):
    """Why an attempt to confirm was refused."""

    WRONG_USER = "wrong_user"
    REPLAY = "replay"
    EXPIRED = "expired"
    OTHER_ARGUMENTS = "other_arguments"
    UNKNOWN_CONFIRMATION = "unknown_confirmation"


@attrs.frozen
class AuditEvent:
    """One thing that happened to a record.

    Attributes:
        event_id: unique, chosen by the writer, so writing the same event twice stores it once.
        record_id: the record (one action put to a person) this event belongs to.
        kind: what happened.
        at: when it happened (the server's clock).
        actor: who did it (for `REFUSED`, whoever tried — not necessarily the requester).
        channel: how the person was asked or answered, when that applies.
        client: the MCP client that carried the request.
        expires_at: for `REQUESTED`, when the question stops being answerable.
        reason: for `REFUSED`, why.
        detail: a short note safe to store (never a token or secret).
        outcome: for `OUTCOME`, the overall and per-device results.
    """

    event_id: str
    record_id: str
    kind: AuditEventKind
    at: datetime
    actor: AuditActor
    channel: ConfirmationChannel | None = None
    client: ClientInfo = attrs.field(factory=ClientInfo)
    expires_at: datetime | None = None
    reason: RefusalReason | None = None
    detail: str = ""
    outcome: AuditOutcome | None = None

    def __attrs_post_init__(self) -> None:
        if (self.kind is AuditEventKind.OUTCOME) != (self.outcome is not None):
            raise ValueError("an outcome event carries an outcome, and only it does")
        if self.outcome is not None and self.outcome.at != self.at:
            raise ValueError("an outcome event happens when its outcome does")
        if (self.kind is AuditEventKind.REFUSED) != (self.reason is not None):
            raise ValueError("a refused event carries a reason, and only it does")


@attrs.frozen
class AuditRecord:
    """One action put to a person, with every event recorded for it so far (oldest first).

    Attributes:
        record_id: the record's id (shown to users as the audit record id).
        recorded_at: when the store first saw it (the store's clock).
        action: what was put to the person.
        events: its events, oldest first.
        position: the store's ordering of records (higher is newer); a paging cursor.
    """

    record_id: str
    recorded_at: datetime
    action: AuditAction
    events: tuple[AuditEvent, ...] = ()
    position: int = 0

    @property
    def outcomes(self) -> tuple[AuditOutcome, ...]:
        """Every outcome appended after the action ran, oldest first."""
        return tuple(event.outcome for event in self.events if event.outcome is not None)

    @property
    def status(self) -> OutcomeStatus | None:
        """The latest outcome's status; None while the action has no outcome."""
        outcomes = self.outcomes
        return outcomes[-1].status if outcomes else None

    @property
    def resolution(self) -> AuditEvent | None:
        """The event that ended the confirmation (approved, declined, …), if any yet."""
        return next((event for event in self.events if event.kind in RESOLUTIONS), None)

    @property
    def approval(self) -> AuditEvent | None:
        """The approval (the write-ahead intent), if the action was approved."""
        resolution = self.resolution
        return resolution if resolution and resolution.kind is AuditEventKind.APPROVED else None

    @property
    def requester(self) -> AuditActor:
        """Who the action was put to: the first event's actor."""
        return self.events[0].actor if self.events else AuditActor("", "")

    @property
    def state(self) -> str:
        """The latest outcome's status, else how the confirmation ended, else `requested`."""
        if self.status is not None:
            return self.status.value
        resolution = self.resolution
        if resolution is not None:
            return resolution.kind.value
        if self.events and all(event.kind is AuditEventKind.REFUSED for event in self.events):
            return AuditEventKind.REFUSED.value
        return AuditEventKind.REQUESTED.value


@attrs.frozen
class AuditQuery:
    """Which records to read, and in what order.

    Time bounds apply to events: a record matches when one of its events falls in
    [`since`, `until`); every other filter is about the record.

    Attributes:
        user: an `issuer#subject`, a subject or a display name (case-insensitive) of anyone
            who acted on the record.
        device: a Jamf id, a device name (case-insensitive) or a serial number.
        action: an action kind (`mdm_command`) or an MDM command (`ERASE_DEVICE`), any case.
        since, until: the event-time window.
        limit: the most records returned.
        newest_first: the order; `cursor` continues from a previous page's last `position`.
    """

    user: str | None = None
    device: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int = attrs.field(default=50, validator=attrs.validators.in_(range(1, 10_001)))
    newest_first: bool = True
    cursor: int | None = None

    @property
    def action_kind(self) -> ActionKind | None:
        """`action` when it names an action kind."""
        value = (self.action or "").strip().lower()
        return ActionKind(value) if value in ActionKind._value2member_map_ else None

    @property
    def command(self) -> str | None:
        """`action` as an MDM command name, when it is not an action kind."""
        if self.action is None or self.action_kind is not None:
            return None
        return self.action.strip().upper() or None
