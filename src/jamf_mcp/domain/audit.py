"""The audit trail's values: who did what to which devices, how they confirmed, and what happened."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

import attrs

from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.principal import Principal


class ConfirmationChannel(StrEnum):
    """How the user confirmed an action."""

    ELICITATION = "elicitation"
    TOKEN = "token"
    INPUT_REQUIRED = "input_required"


class OutcomeStatus(StrEnum):
    """What happened to an action, as a whole or on one device.

    Per device: `QUEUED` (Jamf accepted it; the device acts later), `COMPLETED` (seen done),
    `FAILED` (Jamf refused or failed it; nothing was applied), `UNKNOWN` (sent, but no definite
    answer came back — it may or may not have happened), `NOT_SENT` (skipped because the run was
    cancelled). Overall: see `overall_status`.
    """

    QUEUED = "queued"
    COMPLETED = "completed"
    PARTIALLY_COMPLETED = "partially_completed"
    FAILED = "failed"
    UNKNOWN = "unknown"
    NOT_SENT = "not_sent"
    CANCELLED = "cancelled"


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
    """The keyed audit digest (`DigestKey.audit_digest`): it depends on no secret value."""
    summary: str
    channel: ConfirmationChannel
    confirmed_at: datetime

    @classmethod
    def for_action(
        cls,
        actor: AuditActor,
        action: GatedAction,
        key: DigestKey,
        channel: ConfirmationChannel,
        confirmed_at: datetime,
    ) -> AuditEntry:
        """The entry for `action` as confirmed by `actor`, its digest keyed with `key`."""
        return cls(
            actor,
            action.kind,
            action.targets,
            key.audit_digest(action),
            action.summary(),
            channel,
            confirmed_at,
        )


@attrs.frozen
class DeviceResult:
    """What happened on one device.

    Attributes:
        target_id: The device's Jamf id (as in `ActionTarget.jamf_id`).
        status: One of the per-device statuses of `OutcomeStatus`.
        detail: A short explanation safe to show and to store (never a secret).
        reference: Jamf's handle for the work, e.g. an MDM command uuid, when there is one.
        kind: Which device family `target_id` belongs to (ids repeat across families).
    """

    target_id: str
    status: OutcomeStatus
    detail: str = ""
    reference: str | None = None
    kind: DeviceKind = DeviceKind.COMPUTER


_SUCCESS = frozenset({OutcomeStatus.QUEUED, OutcomeStatus.COMPLETED})


def overall_status(results: Sequence[DeviceResult]) -> OutcomeStatus:
    """The status of a whole action from its per-device results.

    All completed → completed; all queued or completed → queued; nothing sent at all (cancelled
    before the first device) → cancelled; all failed → failed; any other mix (some done, some
    failed, unknown or not sent) → partially completed.
    """
    statuses = {result.status for result in results}
    if not statuses:
        return OutcomeStatus.CANCELLED
    if statuses == {OutcomeStatus.COMPLETED}:
        return OutcomeStatus.COMPLETED
    if statuses <= _SUCCESS:
        return OutcomeStatus.QUEUED
    if statuses == {OutcomeStatus.NOT_SENT}:
        return OutcomeStatus.CANCELLED
    if statuses == {OutcomeStatus.FAILED}:
        return OutcomeStatus.FAILED
    if statuses == {OutcomeStatus.UNKNOWN}:
        return OutcomeStatus.UNKNOWN
    return OutcomeStatus.PARTIALLY_COMPLETED


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
