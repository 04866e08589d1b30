"""The audit trail's values: who asked for what on which devices, how it was answered, and what
happened on each device.

A *record* is one device-changing action put to a person. Its *events* follow it through its
life: requested, then approved (the write-ahead intent), declined, cancelled or expired; refused
attempts to confirm it; and one or more outcomes with a result per device. See
`domain/audit_records.py` for the events and the assembled record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

import attrs

from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.principal import Principal

MAX_LABEL = 200
"""The longest client-supplied label (client name or version) kept; longer ones are cut."""


def _label(value: str | None) -> str | None:
    if value is None:
        return None
    flat = " ".join(str(value).split())[:MAX_LABEL]
    return flat or None


class ConfirmationChannel(StrEnum):
    """How a person was asked, and answered.

    `ELICITATION`: a form their MCP client showed (MCP elicitation, form mode).
    `TOKEN`: the two-step call; the model showed the summary and passed a token back.
    `INPUT_REQUIRED`: the 2026-07-28 multi-round-trip request (an elicitation answered on retry).
    `APPROVAL_PAGE`: the server's own approval web page (reached by URL-mode elicitation or a
    link), where the person signs in and approves or declines.
    `URL_ELICITATION`: the same page, reached through a URL-mode elicitation the client showed.
    """

    ELICITATION = "elicitation"
    TOKEN = "token"
    INPUT_REQUIRED = "input_required"
    APPROVAL_PAGE = "approval_page"
    URL_ELICITATION = "url_elicitation"


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
class ClientInfo:
    """Which MCP client carried the request (its `clientInfo`), when it said.

    Client-supplied, so only ever a label: whitespace is folded and each value cut to
    `MAX_LABEL` characters.
    """

    name: str | None = attrs.field(default=None, converter=_label)
    version: str | None = attrs.field(default=None, converter=_label)

    @property
    def label(self) -> str:
        """`name version`, or `unknown client`."""
        if self.name is None:
            return "unknown client"
        return f"{self.name} {self.version}" if self.version else self.name


@attrs.frozen
class AuditAction:
    """What was put to the person: the subject of one audit record.

    Only what is safe to keep: the kind, the resolved devices, the digest they confirmed, the
    summary they saw, the MDM command or the policy. Other parameters (e.g. a lock PIN) are
    covered by the digest and never stored.
    """

    kind: ActionKind
    targets: tuple[ActionTarget, ...]
    digest: str
    """The keyed audit digest (`DigestKey.audit_digest`): it depends on no secret value."""
    summary: str
    command: str | None = None
    policy_id: int | None = None
    policy_name: str | None = None

    @classmethod
    def of(cls, action: GatedAction, key: DigestKey) -> AuditAction:
        """The audit view of a gated action, its digest keyed with `key` (no secret values)."""
        policy = action.policy
        return cls(
            kind=action.kind,
            targets=action.targets,
            digest=key.audit_digest(action),
            summary=action.summary(),
            command=action.parameter("command"),
            policy_id=None if policy is None else policy.policy_id,
            policy_name=None if policy is None else policy.name,
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
    """What happened to an approved action, overall and per device."""

    status: OutcomeStatus
    at: datetime
    results: tuple[DeviceResult, ...] = ()
