"""The confirmation gate: nothing that changes a device runs without the person's confirmation.

Every device-changing use case prepares a `GatedAction` (no writes), then hands it to
`ConfirmationGate.run` with the work to do. The gate decides, by the rules below, whether the
person has confirmed exactly this action; only then does it write the audit intent, run the work
and append the outcome.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

import attrs

from jamf_mcp.application.ports import (
    AuditLog,
    Clock,
    ConfirmationAnswer,
    ConfirmationStore,
    Confirmer,
    DigestKeys,
)
from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.actions import GatedAction
from jamf_mcp.domain.audit import (
    AuditActor,
    AuditEntry,
    AuditOutcome,
    ConfirmationChannel,
    DeviceResult,
    OutcomeStatus,
    overall_status,
)
from jamf_mcp.domain.confirmations import (
    DEFAULT_TTL,
    new_confirmation,
    new_confirmation_token,
)
from jamf_mcp.domain.principal import Principal

_log = logging.getLogger(__name__)


@attrs.frozen
class PreparedAction:
    """An action ready to be put to the person, with anything else they should know first."""

    action: GatedAction
    notes: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """The summary followed by the notes."""
        return " ".join((self.action.summary(), *self.notes))


@attrs.frozen
class ConfirmationInput:
    """How the caller can prove the person confirmed.

    Attributes:
        token: a confirmation token the server issued earlier for this action (the two-step
            call's `confirmationToken`, or the state of a 2026-07-28 input-required round trip).
        channel: which channel `token` came through.
        confirmer: a way to ask the person right now (MCP elicitation), if the client has one.
    """

    token: str | None = None
    channel: ConfirmationChannel = ConfirmationChannel.TOKEN
    confirmer: Confirmer | None = None


@attrs.frozen
class ConfirmationRequired:
    """Nothing was done: the person must confirm, then the call is repeated with `token`."""

    prepared: PreparedAction
    token: str = attrs.field(repr=False)
    expires_at: datetime


@attrs.frozen
class NotConfirmed:
    """Nothing was done: the person declined or dismissed the confirmation."""

    prepared: PreparedAction
    answer: ConfirmationAnswer


@attrs.frozen
class Dispatched:
    """What the work reports: per-device results and anything worth telling the person."""

    results: tuple[DeviceResult, ...]
    notes: tuple[str, ...] = ()
    cancelled: bool = False


@attrs.frozen
class ActionReport:
    """A confirmed action that ran (wholly, partly, or not at all when it failed)."""

    prepared: PreparedAction
    record_id: str
    channel: ConfirmationChannel
    status: OutcomeStatus
    results: tuple[DeviceResult, ...]
    started_at: datetime
    finished_at: datetime
    notes: tuple[str, ...] = ()
    cancelled: bool = False

    def count(self, status: OutcomeStatus) -> int:
        """How many devices ended with `status`."""
        return sum(1 for result in self.results if result.status is status)


GatedOutcome = ConfirmationRequired | NotConfirmed | ActionReport
Work = Callable[[], Awaitable[Dispatched]]
Salvage = Callable[[], Sequence[DeviceResult]]
"""What is known about each device if the work is torn down before it returns."""


class ConfirmationGate:
    """Decides whether an action was confirmed, and runs it with an audit trail if so.

    Rules:
    - A token is redeemed atomically for this principal and this action's keyed binding to the
      token, once, before it expires; any refusal (unknown, expired, used, another user's, other
      arguments) raises and nothing runs.
    - Without a token, a confirmer (elicitation) is asked; only "accepted" runs the action,
      "declined"/"dismissed" run nothing. A confirmer that cannot ask falls back to a token.
    - Otherwise a new single-use token bound to the principal and the action (secret parameters
      included, under the server's digest key) is issued and nothing runs.
    - Before any work, the intent (who, what, keyed digest without secrets, channel, time) is
      written durably; after the work — or when it is torn down — the per-device outcome is
      appended. No secret parameter value is stored anywhere.

    Args:
        confirmations: pending confirmation tokens.
        audit: the durable trail.
        clock: the time of confirmations and records.
        keys: the server's digest key.
        ttl: how long an issued token stays valid.
    """

    def __init__(
        self,
        confirmations: ConfirmationStore,
        audit: AuditLog,
        clock: Clock,
        keys: DigestKeys,
        ttl: timedelta = DEFAULT_TTL,
    ) -> None:
        self._confirmations = confirmations
        self._audit = audit
        self._clock = clock
        self._keys = keys
        self._ttl = ttl

    async def run(
        self,
        prepared: PreparedAction,
        principal: Principal,
        confirmation: ConfirmationInput,
        work: Work,
        salvage: Salvage,
    ) -> GatedOutcome:
        """Confirm `prepared` by the rules above, then run `work` and record what happened."""
        action = prepared.action
        key = await self._keys.key()
        channel: ConfirmationChannel | None = None
        if confirmation.token is not None:
            await self._confirmations.redeem(
                confirmation.token,
                principal,
                key.binding(action, confirmation.token),
                self._clock.now(),
            )
            channel = confirmation.channel
        elif confirmation.confirmer is not None:
            answer = await confirmation.confirmer.ask(prepared.message)
            if answer is ConfirmationAnswer.ACCEPTED:
                channel = ConfirmationChannel.ELICITATION
            elif answer is not ConfirmationAnswer.UNAVAILABLE:
                return NotConfirmed(prepared, answer)
        if channel is None:
            now = self._clock.now()
            token = new_confirmation_token()
            binding = key.binding(action, token)
            pending = new_confirmation(principal, binding, now, self._ttl, token=token)
            await self._confirmations.put(pending)
            return ConfirmationRequired(prepared, pending.token, pending.expires_at)
        return await self._run_confirmed(prepared, principal, key, channel, work, salvage)

    async def _run_confirmed(
        self,
        prepared: PreparedAction,
        principal: Principal,
        key: DigestKey,
        channel: ConfirmationChannel,
        work: Work,
        salvage: Salvage,
    ) -> ActionReport:
        started = self._clock.now()
        entry = AuditEntry.for_action(
            AuditActor.from_principal(principal), prepared.action, key, channel, started
        )
        record_id = await self._audit.record_intent(entry)
        try:
            dispatched = await work()
        except BaseException:
            # Torn down (cancelled task, crash in the work): record what is known, then let go.
            results = tuple(salvage())
            outcome = AuditOutcome(overall_status(results), self._clock.now(), results)
            await asyncio.shield(self._record_outcome(record_id, outcome))
            raise
        finished = self._clock.now()
        status = overall_status(dispatched.results)
        outcome = AuditOutcome(status, finished, dispatched.results)
        await asyncio.shield(self._record_outcome(record_id, outcome))
        return ActionReport(
            prepared=prepared,
            record_id=record_id,
            channel=channel,
            status=status,
            results=dispatched.results,
            started_at=started,
            finished_at=finished,
            notes=dispatched.notes,
            cancelled=dispatched.cancelled,
        )

    async def _record_outcome(self, record_id: str, outcome: AuditOutcome) -> None:
        try:
            await self._audit.record_outcome(record_id, outcome)
        except Exception:  # the intent is on disk; a lost outcome must not hide the result
            _log.exception("Could not append the outcome of audit record %s", record_id)
