"""The audit trail's values: who did what to which devices, how they confirmed, and what happened."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs

from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.principal import Principal


class ConfirmationChannel(StrEnum):
    """How the user confirmed an action."""

    ELICITATION = "elicitation"
    TOKEN = "token"
    INPUT_REQUIRED = "input_required"


class OutcomeStatus(StrEnum):
    """What happened to an action, as a whole or on one device."""

    QUEUED = "queued"
    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    FAILED = "failed"
    UNKNOWN = "unknown"


@attrs.frozen
class AuditActor:
    """Who acted: identifiers only — never a token, an email address or scopes."""

    issuer: str
    subject: str
    client_id: str | None = None
    display_name: str | None = None

    @classmethod
    def from_principal(cls, principal: Principal) -> AuditActor:
        """The audit identity of a signed-in principal."""
        return cls(principal.issuer, principal.subject, principal.client_id, principal.display_name)

    @property
    def label(self) -> str:
        """The display name if known, else `issuer#subject`."""
        return self.display_name or f"{self.issuer}#{self.subject}"


@attrs.frozen
class AuditEntry:
    """The intent of a confirmed action, recorded before anything is sent to Jamf."""

    actor: AuditActor
    action_kind: ActionKind
    targets: tuple[ActionTarget, ...]
    digest: str
    summary: str
    channel: ConfirmationChannel
    confirmed_at: datetime

    @classmethod
    def for_action(
        cls,
        actor: AuditActor,
        action: GatedAction,
        channel: ConfirmationChannel,
        confirmed_at: datetime,
    ) -> AuditEntry:
        """The entry for `action` as confirmed by `actor`."""
        return cls(
            actor,
            action.kind,
            action.targets,
            action.digest,
            action.summary(),
            channel,
            confirmed_at,
        )


@attrs.frozen
class DeviceResult:
    """What happened on one device."""

    target_id: str
    status: OutcomeStatus
    detail: str = ""


@attrs.frozen
class AuditOutcome:
    """What happened to a recorded intent, overall and per device."""

    status: OutcomeStatus
    at: datetime
    results: tuple[DeviceResult, ...] = ()


@attrs.frozen
class AuditRecord:
    """A recorded intent with every outcome appended to it so far (oldest first)."""

    record_id: str
    recorded_at: datetime
    entry: AuditEntry
    outcomes: tuple[AuditOutcome, ...] = ()

    @property
    def status(self) -> OutcomeStatus | None:
        """The latest outcome's status; None while no outcome was recorded."""
        return self.outcomes[-1].status if self.outcomes else None
