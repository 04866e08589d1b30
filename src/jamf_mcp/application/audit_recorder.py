"""Writing one action's audit events: the ones that must be durable first, and the rest.

The confirmation gate tells an `ActionAudit` what happened; it builds the events (who, when,
which channel and client) and writes them. A request and an approval are *required*: if they
cannot be written, `AuditUnavailable` propagates and nothing is asked or sent. Declines,
cancellations, refusals and outcomes are written *best effort*: nothing more will be sent either
way, so a failure is logged (without secrets) instead of hiding the answer from the person.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import datetime

from jamf_mcp.application.ports import AuditLog, Clock
from jamf_mcp.domain.audit import (
    AuditAction,
    AuditActor,
    AuditOutcome,
    ClientInfo,
    ConfirmationChannel,
)
from jamf_mcp.domain.audit_records import AuditEvent, AuditEventKind, RefusalReason
from jamf_mcp.domain.errors import (
    ConfirmationAlreadyUsed,
    ConfirmationExpired,
    ConfirmationMismatch,
    ConfirmationNotYours,
    ConfirmationUnknown,
    JamfMcpError,
)

_log = logging.getLogger(__name__)

OUTCOME_WRITE_SECONDS = 30.0
"""How long a torn-down run may spend recording its outcome before letting go."""


def refusal_reason(error: JamfMcpError) -> RefusalReason | None:
    """The audit reason for a refused confirmation, or None for any other error."""
    if isinstance(error, ConfirmationNotYours):
        return RefusalReason.WRONG_USER
    if isinstance(error, ConfirmationAlreadyUsed):
        return RefusalReason.REPLAY
    if isinstance(error, ConfirmationExpired):
        return RefusalReason.EXPIRED
    if isinstance(error, ConfirmationMismatch):
        return RefusalReason.OTHER_ARGUMENTS
    if isinstance(error, ConfirmationUnknown):
        return RefusalReason.UNKNOWN_CONFIRMATION
    return None


class ActionAudit:
    """The audit events of one action, as one person's request through one client.

    Args:
        log: the trail.
        clock: event times.
        action: what was put to the person.
        actor: who is calling now.
        client: the MCP client carrying the call.
    """

    def __init__(
        self,
        log: AuditLog,
        clock: Clock,
        action: AuditAction,
        actor: AuditActor,
        client: ClientInfo,
    ) -> None:
        self._log = log
        self._clock = clock
        self._action = action
        self._actor = actor
        self._client = client

    def _event(
        self,
        record_id: str,
        kind: AuditEventKind,
        channel: ConfirmationChannel | None,
        *,
        event_id: str | None = None,
        at: datetime | None = None,
        expires_at: datetime | None = None,
        reason: RefusalReason | None = None,
        detail: str = "",
        outcome: AuditOutcome | None = None,
    ) -> AuditEvent:
        return AuditEvent(
            event_id=event_id or uuid.uuid4().hex,
            record_id=record_id,
            kind=kind,
            at=at or self._clock.now(),
            actor=self._actor,
            channel=channel,
            client=self._client,
            expires_at=expires_at,
            reason=reason,
            detail=detail,
            outcome=outcome,
        )

    async def requested(
        self, record_id: str, channel: ConfirmationChannel, expires_at: datetime, detail: str = ""
    ) -> None:
        """The person is being asked (required: raises `AuditUnavailable`)."""
        event = self._event(
            record_id, AuditEventKind.REQUESTED, channel, expires_at=expires_at, detail=detail
        )
        await self._log.record(self._action, event)

    async def approved(
        self,
        record_id: str,
        channel: ConfirmationChannel,
        at: datetime,
        *,
        event_id: str | None = None,
        detail: str = "",
    ) -> None:
        """The write-ahead intent (required: raises `AuditUnavailable`; then nothing is sent).

        `event_id` makes it one event however often it is written (the approval page writes
        it when the person approves, the run writes it again before any work)."""
        event = self._event(
            record_id, AuditEventKind.APPROVED, channel, event_id=event_id, at=at, detail=detail
        )
        await self._log.record(self._action, event)

    async def answered(
        self,
        record_id: str,
        kind: AuditEventKind,
        channel: ConfirmationChannel,
        detail: str = "",
        *,
        event_id: str | None = None,
    ) -> None:
        """Declined, cancelled or expired (best effort)."""
        await self._best_effort(
            self._event(record_id, kind, channel, event_id=event_id, detail=detail)
        )

    async def refused(
        self, record_id: str, reason: RefusalReason, channel: ConfirmationChannel
    ) -> None:
        """An attempt to confirm was refused (best effort)."""
        await self._best_effort(
            self._event(record_id, AuditEventKind.REFUSED, channel, reason=reason)
        )

    async def outcome(self, record_id: str, outcome: AuditOutcome) -> None:
        """Per-device results (best effort, shielded from cancellation, bounded in time)."""
        event = self._event(record_id, AuditEventKind.OUTCOME, None, at=outcome.at, outcome=outcome)
        write = asyncio.ensure_future(self._best_effort(event))
        try:
            await asyncio.shield(write)
        except asyncio.CancelledError:
            # Torn down while writing: let the write finish on its own (bounded), then go.
            await asyncio.wait({write}, timeout=OUTCOME_WRITE_SECONDS)
            raise

    async def _best_effort(self, event: AuditEvent) -> None:
        try:
            async with asyncio.timeout(OUTCOME_WRITE_SECONDS):
                await self._log.record(self._action, event)
        except Exception:  # nothing more is sent either way; the person still gets the answer
            counts = ""
            if event.outcome is not None:
                counts = f" ({event.outcome.status.value}, {len(event.outcome.results)} devices)"
            _log.exception(
                "Could not record the %s event of audit record %s%s",
                event.kind.value,
                event.record_id,
                counts,
            )
