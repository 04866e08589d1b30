"""The confirmation gate: nothing that changes a device runs without the person's confirmation.

Every device-changing use case prepares a `GatedAction` (no writes), then hands it to
`ConfirmationGate.run` with the work to do. The gate decides, by the rules below, whether the
person has confirmed exactly this action; only then does it write the audit intent, run the work
and append the outcome. Every step of the confirmation is an audit event of one record (see
`domain/audit_records.py`): requested, approved, declined, cancelled, expired, refused, outcome.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

import attrs

from jamf_mcp.application.approval_path import (
    ApprovalPath,
    ApprovalRequired,
    ApprovalRoute,
    approved_event_id,
)
from jamf_mcp.application.approvals import ApprovalStore
from jamf_mcp.application.audit_recorder import ActionAudit, refusal_reason
from jamf_mcp.application.ports import (
    AuditLog,
    Clock,
    ConfirmationAnswer,
    ConfirmationStore,
    Confirmer,
    DigestKeys,
)
from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.actions import ActionKind, GatedAction
from jamf_mcp.domain.approvals import PERSON_ONLY_COMMANDS, Approval
from jamf_mcp.domain.audit import (
    AuditAction,
    AuditActor,
    AuditOutcome,
    ClientInfo,
    ConfirmationChannel,
    DeviceResult,
    OutcomeStatus,
    overall_status,
)
from jamf_mcp.domain.audit_records import AuditEventKind
from jamf_mcp.domain.confirmations import (
    DEFAULT_TTL,
    audit_record_id,
    new_confirmation,
    new_confirmation_token,
)
from jamf_mcp.domain.errors import ConfirmationByPersonOnly, JamfMcpError
from jamf_mcp.domain.principal import Principal


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
    """How the caller can prove the person confirmed, and where the call comes from.

    Attributes:
        token: a confirmation token the server issued earlier for this action (the two-step
            call's `confirmationToken`, or the state of a 2026-07-28 input-required round trip).
        channel: which channel the person is asked through (with no token) or answered through
            (with one).
        confirmer: a way to ask the person right now (MCP elicitation), if the client has one.
        answer: what the person said about `token` (an input-required retry carries the answer
            with the token; only `ACCEPTED` runs anything).
        client: the MCP client carrying the call, for the audit trail.
        approval: the way to this server's approval page, when the person decides there.
        tokens_allowed: whether the operator allows the model-held token (ADR 0034); without
            it, no token is issued or redeemed, except a 2026-07-28 round trip's state.
    """

    token: str | None = None
    channel: ConfirmationChannel = ConfirmationChannel.TOKEN
    confirmer: Confirmer | None = None
    answer: ConfirmationAnswer = ConfirmationAnswer.ACCEPTED
    client: ClientInfo = attrs.field(factory=ClientInfo)
    approval: ApprovalRoute | None = None
    tokens_allowed: bool = True


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


GatedOutcome = ConfirmationRequired | ApprovalRequired | NotConfirmed | ActionReport
Work = Callable[[str], Awaitable[Dispatched]]
"""The confirmed work; it gets the id of the audit record written for it (runs are tracked by it)."""
Salvage = Callable[[], Sequence[DeviceResult]]
"""What is known about each device if the work is torn down before it returns."""


_ANSWER_EVENTS = {
    ConfirmationAnswer.DECLINED: (AuditEventKind.DECLINED, ""),
    ConfirmationAnswer.DISMISSED: (AuditEventKind.CANCELLED, "the question was dismissed"),
    ConfirmationAnswer.TIMED_OUT: (AuditEventKind.EXPIRED, "no answer before the deadline"),
}


class ConfirmationGate:
    """Decides whether an action was confirmed, and runs it with an audit trail if so.

    Rules:
    - A token is redeemed atomically for this principal and this action's keyed binding to the
      token (secret parameters included, under the server's digest key), once, before it expires; any refusal (unknown, expired, used, another user's, other arguments) is
      recorded as `refused` with its reason, then raised, and nothing runs. A token that comes
      back with a "no" (input-required retry) is used up and the answer recorded.
    - Without a token, a confirmer (elicitation) is asked; only "accepted" runs the action;
      "declined", "dismissed" and no answer in time run nothing and are recorded as declined,
      cancelled and expired. A confirmer that cannot ask falls back to a token.
    - With an approval route (ADR 0032/0033), the person decides on this server's page, signed
      in as the same user; see `ApprovalPath` for its rules.
    - A token the model holds is issued or accepted only when the operator allowed it, and
      never for `ERASE_DEVICE` or `DEVICE_LOCK` (`ConfirmationByPersonOnly`, ADR 0034).
    - Otherwise a new single-use token bound to the principal and the action (secret parameters
      included, under the server's digest key) is issued and nothing runs.
    - Every question is recorded (`requested`, with its deadline) before it is asked, and the
      approval (who, what, keyed digest without secrets, channel, client, time) before any work: if either cannot be
      written (`AuditUnavailable`), nothing is asked or sent. After the work — or when it is
      torn down — the per-device outcome is appended.
    - One record per question: its id derives from the confirmation token, so a request, its
      approval and refused attempts meet on one record whichever replica serves them.

    Args:
        confirmations: pending confirmation tokens.
        audit: the durable trail.
        clock: the time of confirmations and records.
        keys: the server's digest key.
        ttl: how long an issued token (and an elicitation, and an approval) stays answerable.
        approvals: the approval page's store; None when this server has no page (stdio).
    """

    def __init__(
        self,
        confirmations: ConfirmationStore,
        audit: AuditLog,
        clock: Clock,
        keys: DigestKeys,
        ttl: timedelta = DEFAULT_TTL,
        approvals: ApprovalStore | None = None,
    ) -> None:
        self._approvals = approvals
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
        trail = ActionAudit(
            self._audit,
            self._clock,
            AuditAction.of(action, key),
            AuditActor.from_principal(principal),
            confirmation.client,
        )
        if confirmation.token is not None:
            if not self._token_allowed(action, confirmation):
                raise ConfirmationByPersonOnly()
            binding = key.binding(action, confirmation.token)
            return await self._redeem(
                prepared, principal, confirmation, binding, trail, work, salvage
            )
        token = new_confirmation_token()
        pending = new_confirmation(
            principal, key.binding(action, token), self._clock.now(), self._ttl, token=token
        )
        record_id = pending.record_id
        detail = ""
        if confirmation.confirmer is not None:
            channel = ConfirmationChannel.ELICITATION
            await trail.requested(record_id, channel, pending.expires_at)
            try:
                answer = await confirmation.confirmer.ask(prepared.message)
            except asyncio.CancelledError:
                await asyncio.shield(
                    trail.answered(
                        record_id,
                        AuditEventKind.CANCELLED,
                        channel,
                        "the call was cancelled while the question was open",
                    )
                )
                raise
            if answer is ConfirmationAnswer.ACCEPTED:
                return await self._run_confirmed(prepared, record_id, channel, trail, work, salvage)
            if answer is not ConfirmationAnswer.UNAVAILABLE:
                await self._record_answer(trail, record_id, answer, channel)
                return NotConfirmed(prepared, answer)
            detail = "the client could not show the question; a confirmation token was issued"
            if confirmation.approval is not None:
                await trail.answered(
                    record_id,
                    AuditEventKind.CANCELLED,
                    channel,
                    "the client could not show the question; the approval page was offered",
                )
        if confirmation.approval is not None and self._approvals is not None:
            return await self._by_approval(
                prepared, principal, confirmation, key, trail, work, salvage
            )
        if not self._token_allowed(action, confirmation):
            raise ConfirmationByPersonOnly()
        await trail.requested(record_id, confirmation.channel, pending.expires_at, detail)
        await self._confirmations.put(pending)
        return ConfirmationRequired(prepared, pending.token, pending.expires_at)

    @staticmethod
    def _token_allowed(action: GatedAction, confirmation: ConfirmationInput) -> bool:
        """Tokens the model holds: only by the operator's opt-in, never for erase or lock.

        A 2026-07-28 round trip's state carries the answer of the client's own form, so it is
        not a token the model confirms with.
        """
        if confirmation.channel is ConfirmationChannel.INPUT_REQUIRED:
            return True
        person_only = (
            action.kind is ActionKind.MDM_COMMAND
            and action.parameter("command") in PERSON_ONLY_COMMANDS
        )
        return confirmation.tokens_allowed and not person_only

    async def _by_approval(
        self,
        prepared: PreparedAction,
        principal: Principal,
        confirmation: ConfirmationInput,
        key: DigestKey,
        trail: ActionAudit,
        work: Work,
        salvage: Salvage,
    ) -> GatedOutcome:
        assert confirmation.approval is not None
        assert self._approvals is not None
        path = ApprovalPath(self._approvals, self._clock, self._ttl)
        route = confirmation.approval
        settled = await path.settle(prepared, principal, route, key, trail, confirmation.client)
        if isinstance(settled, ApprovalRequired):
            return settled
        if isinstance(settled, Approval):
            try:
                return await self._run_confirmed(
                    prepared,
                    settled.record_id,
                    settled.channel,
                    trail,
                    work,
                    salvage,
                    event_id=approved_event_id(settled.record_id),
                )
            finally:
                if route.prompt is not None:
                    await route.prompt.done(settled)
        return NotConfirmed(prepared, settled)

    async def _redeem(
        self,
        prepared: PreparedAction,
        principal: Principal,
        confirmation: ConfirmationInput,
        binding: str,
        trail: ActionAudit,
        work: Work,
        salvage: Salvage,
    ) -> GatedOutcome:
        assert confirmation.token is not None
        record_id = audit_record_id(confirmation.token)
        channel = confirmation.channel
        accepted = confirmation.answer is ConfirmationAnswer.ACCEPTED
        try:
            await self._confirmations.redeem(
                confirmation.token, principal, binding, self._clock.now()
            )
        except JamfMcpError as error:
            reason = refusal_reason(error)
            if reason is None:
                raise
            await trail.refused(record_id, reason, channel)
            if accepted:
                raise
            return NotConfirmed(prepared, confirmation.answer)
        if not accepted:
            await self._record_answer(trail, record_id, confirmation.answer, channel)
            return NotConfirmed(prepared, confirmation.answer)
        return await self._run_confirmed(prepared, record_id, channel, trail, work, salvage)

    @staticmethod
    async def _record_answer(
        trail: ActionAudit,
        record_id: str,
        answer: ConfirmationAnswer,
        channel: ConfirmationChannel,
    ) -> None:
        kind, detail = _ANSWER_EVENTS.get(answer, (AuditEventKind.CANCELLED, answer.value))
        await trail.answered(record_id, kind, channel, detail)

    async def _run_confirmed(
        self,
        prepared: PreparedAction,
        record_id: str,
        channel: ConfirmationChannel,
        trail: ActionAudit,
        work: Work,
        salvage: Salvage,
        *,
        event_id: str | None = None,
    ) -> ActionReport:
        started = self._clock.now()
        await trail.approved(record_id, channel, started, event_id=event_id)
        try:
            dispatched = await work(record_id)
        except BaseException:
            # Torn down (cancelled task, crash in the work): record what is known, then let go.
            results = tuple(salvage())
            await trail.outcome(
                record_id, AuditOutcome(overall_status(results), self._clock.now(), results)
            )
            raise
        finished = self._clock.now()
        status = overall_status(dispatched.results)
        await trail.outcome(record_id, AuditOutcome(status, finished, dispatched.results))
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
