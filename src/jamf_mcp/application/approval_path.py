"""The confirmation gate's path through the approval page (ADR 0032, 0033).

The person decides on this server's page, signed in as the requesting user; the tool call only
asks the store how it stands. Nothing the caller holds can approve: the approval id in a link or
an argument only names the question.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

import attrs

from jamf_mcp.application.approvals import ApprovalStore
from jamf_mcp.application.audit_recorder import ActionAudit
from jamf_mcp.application.deadlines import current_deadline
from jamf_mcp.application.ports import Clock, ConfirmationAnswer
from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.approvals import (
    Approval,
    ApprovalClosed,
    ApprovalState,
    approval_lifetime,
    new_approval_id,
)
from jamf_mcp.domain.audit import AuditAction, AuditActor, ClientInfo, ConfirmationChannel
from jamf_mcp.domain.audit_records import AuditEventKind, RefusalReason
from jamf_mcp.domain.errors import ConfirmationAlreadyUsed, ConfirmationMismatch
from jamf_mcp.domain.principal import Principal

if TYPE_CHECKING:
    from jamf_mcp.application.confirmation_gate import PreparedAction

POLL_SECONDS = 0.5
"""How often a waiting call looks at the store (a decision on any replica shows up there)."""


def approved_event_id(record_id: str) -> str:
    """The one id of an approval's `approved` event, so the page and the run write it once."""
    return hashlib.sha256(f"{record_id}:approved".encode()).hexdigest()[:32]


def declined_event_id(record_id: str) -> str:
    """The one id of an approval's `declined` event."""
    return hashlib.sha256(f"{record_id}:declined".encode()).hexdigest()[:32]


class ApprovalPrompt(Protocol):
    """Sends the person to the approval page through their client (URL-mode elicitation)."""

    async def show(self, approval: Approval) -> ConfirmationAnswer:
        """Show the link; `ACCEPTED` when the person went (or is going) to the page,
        `DECLINED`/`DISMISSED` when they refused, `UNAVAILABLE` when the client cannot show it."""
        ...

    async def waiting(self, elapsed: float, total: float) -> None:
        """Tell the client the call is waiting for the page (progress, when it asked for it)."""
        ...

    async def done(self, approval: Approval) -> None:
        """Tell the client the page is done (`notifications/elicitation/complete`)."""
        ...


@attrs.frozen
class ApprovalRoute:
    """How this call reaches the approval page.

    Attributes:
        channel: `APPROVAL_PAGE` (a link the person opens) or `URL_ELICITATION`.
        approval_id: an id an earlier call returned, to look that approval up (optional).
        prompt: shows the link through the client; None for a link in the tool result (or in
            a 2026-07-28 input-required result).
        answer: the person's answer to a link shown in an earlier round trip (2026-07-28): a
            "no" declines the approval there.
        wait_seconds: how long this call waits for the decision before answering (a link
            route waits only when the approval was already open: the call made again while
            the person is on the page).
    """

    channel: ConfirmationChannel = ConfirmationChannel.APPROVAL_PAGE
    approval_id: str | None = attrs.field(default=None, repr=False)
    prompt: ApprovalPrompt | None = None
    wait_seconds: float = 0.0
    answer: ConfirmationAnswer | None = None


@attrs.frozen
class ApprovalRequired:
    """Nothing was done: the person must approve on the page (`approval_id` names it).

    `waiting` is True when the question was already open before this call ("still waiting").
    """

    prepared: PreparedAction
    approval_id: str = attrs.field(repr=False)
    expires_at: datetime
    channel: ConfirmationChannel
    waiting: bool = False


Settled = Approval | ApprovalRequired | ConfirmationAnswer
"""An approval claimed to run now, a question still open, or the person's "no"."""


class ApprovalPath:
    """Creates, finds, waits for and claims approvals for the gate.

    Rules:
    - A call finds the approval of the same user and the same action (arguments, secrets
      included, under the digest key), or the one named by `approval_id` when it is theirs.
    - Approved: claimed atomically (one call on any replica wins) and returned to be run, if
      the call carries exactly the approved arguments. Declined: reported once, then a new call
      asks again. Pending: the call waits up to its budget, then says "still waiting" (a new
      approval sent as a link is answered at once: the person needs the link first).
      Used or expired: a new approval is created (recorded as `requested` before it is stored).
    """

    def __init__(self, store: ApprovalStore, clock: Clock, ttl: timedelta) -> None:
        self._store = store
        self._clock = clock
        self._ttl = ttl

    async def settle(
        self,
        prepared: PreparedAction,
        principal: Principal,
        route: ApprovalRoute,
        key: DigestKey,
        trail: ActionAudit,
        client: ClientInfo,
    ) -> Settled:
        """Where this call's approval stands, waiting for it within the route's budget."""
        action = prepared.action
        lookup = key.binding(action, f"approval-lookup\0{principal.key}")
        approval = await self._existing(route, lookup, principal)
        fresh = approval is None or not (
            approval.open(self._clock.now())
            or approval.state in (ApprovalState.APPROVED, ApprovalState.DECLINED)
        )
        if fresh:
            approval = await self._create(prepared, principal, route, key, lookup, trail, client)
        assert approval is not None
        if approval.state is ApprovalState.PENDING and route.prompt is not None and fresh:
            answer = await route.prompt.show(approval)
            if answer in (ConfirmationAnswer.DECLINED, ConfirmationAnswer.DISMISSED):
                return await self._refused_link(approval, answer, trail)
            if answer is ConfirmationAnswer.UNAVAILABLE:
                route = attrs.evolve(route, prompt=None, wait_seconds=0.0)
        refused = (ConfirmationAnswer.DECLINED, ConfirmationAnswer.DISMISSED)
        if not fresh and approval.state is ApprovalState.PENDING and route.answer in refused:
            assert route.answer is not None
            return await self._refused_link(approval, route.answer, trail)
        if route.prompt is None and fresh:
            # The person sees the link only in this call's answer: waiting here helps no one.
            route = attrs.evolve(route, wait_seconds=0.0)
        approval = await self._wait(approval, route)
        if approval.state is ApprovalState.APPROVED:
            return await self._claim(approval, prepared, key, trail)
        if approval.state is ApprovalState.DECLINED:
            await self._store.claim(approval.approval_id)  # reported once; a new call asks again
            if route.prompt is not None:
                await route.prompt.done(approval)
            return ConfirmationAnswer.DECLINED
        if route.prompt is not None and approval.expired(self._clock.now()):
            return ConfirmationAnswer.TIMED_OUT
        return ApprovalRequired(
            prepared, approval.approval_id, approval.expires_at, approval.channel, not fresh
        )

    async def _existing(
        self, route: ApprovalRoute, lookup: str, principal: Principal
    ) -> Approval | None:
        if route.approval_id is not None:
            named = await self._store.get(route.approval_id)
            if named is not None and secrets.compare_digest(named.lookup, lookup):
                return named
        return await self._store.find(lookup)

    async def _create(
        self,
        prepared: PreparedAction,
        principal: Principal,
        route: ApprovalRoute,
        key: DigestKey,
        lookup: str,
        trail: ActionAudit,
        client: ClientInfo,
    ) -> Approval:
        approval_id = new_approval_id()
        now = self._clock.now()
        approval = Approval(
            approval_id=approval_id,
            requester=AuditActor.from_principal(principal),
            client=client,
            action=AuditAction.of(prepared.action, key),
            message=prepared.message,
            binding=key.binding(prepared.action, approval_id),
            lookup=lookup,
            channel=route.channel,
            created_at=now,
            expires_at=approval_lifetime(now, self._ttl),
        )
        await trail.requested(approval.record_id, route.channel, approval.expires_at)
        await self._store.put(approval)
        return approval

    async def _wait(self, approval: Approval, route: ApprovalRoute) -> Approval:
        budget = route.wait_seconds
        if approval.state is not ApprovalState.PENDING or budget <= 0:
            return approval
        deadline = current_deadline()  # waiting on the person does not count (deadlines.py)
        with deadline.paused() if deadline is not None else contextlib.nullcontext():
            return await self._poll(approval, route, budget)

    async def _poll(self, approval: Approval, route: ApprovalRoute, budget: float) -> Approval:
        loop = asyncio.get_running_loop()
        started = loop.time()
        while True:
            elapsed = loop.time() - started
            if elapsed >= budget or approval.expired(self._clock.now()):
                return approval
            if route.prompt is not None:
                await route.prompt.waiting(elapsed, budget)
            await asyncio.sleep(min(POLL_SECONDS, budget - elapsed))
            current = await self._store.get(approval.approval_id)
            if current is None:
                return approval
            approval = current
            if approval.state is not ApprovalState.PENDING:
                return approval

    async def _claim(
        self, approval: Approval, prepared: PreparedAction, key: DigestKey, trail: ActionAudit
    ) -> Approval:
        expected = key.binding(prepared.action, approval.approval_id)
        if not secrets.compare_digest(expected, approval.binding):
            await trail.refused(approval.record_id, RefusalReason.OTHER_ARGUMENTS, approval.channel)
            raise ConfirmationMismatch()
        if not await self._store.claim(approval.approval_id):
            await trail.refused(approval.record_id, RefusalReason.REPLAY, approval.channel)
            raise ConfirmationAlreadyUsed()
        return approval

    async def _refused_link(
        self, approval: Approval, answer: ConfirmationAnswer, trail: ActionAudit
    ) -> ConfirmationAnswer:
        with contextlib.suppress(ApprovalClosed, KeyError):
            await self._store.decide(approval.approval_id, False, self._clock.now())
        kind = (
            AuditEventKind.DECLINED
            if answer is ConfirmationAnswer.DECLINED
            else (AuditEventKind.CANCELLED)
        )
        detail = "the person would not open the approval page"
        await trail.answered(approval.record_id, kind, approval.channel, detail)
        await self._store.claim(approval.approval_id)
        return answer
