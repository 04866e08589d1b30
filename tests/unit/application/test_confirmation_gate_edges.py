"""The gate when things go wrong around it: lost audit writes, cancellations mid-write, short TTLs.

Each test checks what a person or an auditor would see: what reached Jamf, what the caller got
back and what the audit trail holds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta

import attrs
import pytest

from jamf_mcp.adapters.memory import (
    FixedClock,
    InMemoryAuditLog,
    InMemoryDeviceInventory,
    InMemoryPolicyCatalogue,
)
from jamf_mcp.application.confirmation_gate import (
    ActionReport,
    ConfirmationGate,
    ConfirmationInput,
    ConfirmationRequired,
    NotConfirmed,
)
from jamf_mcp.application.ports import ConfirmationAnswer
from jamf_mcp.application.use_cases import ExecutePolicyRequest
from jamf_mcp.domain.audit import AuditAction, ConfirmationChannel, OutcomeStatus
from jamf_mcp.domain.audit_records import AuditEvent, AuditEventKind
from jamf_mcp.domain.errors import AuditUnavailable, ConfirmationExpired
from tests.unit.application.action_support import (
    ALICE,
    Actions,
    NeverCancelled,
    Progress,
    ScriptedConfirmer,
)

RUN_ON_77 = ExecutePolicyRequest(("77",), policy_name="Software Update")
WAIT = 5.0  # seconds; only reached when the behaviour under test is broken


@attrs.define
class LosingAuditLog(InMemoryAuditLog):
    """An audit trail whose database rejects every write of some event kinds."""

    lost: frozenset[AuditEventKind] = frozenset()

    async def record(self, action: AuditAction, event: AuditEvent) -> None:
        if event.kind in self.lost:
            raise AuditUnavailable("the audit database rejected the write")
        await super().record(action, event)


@attrs.define
class SlowAuditLog(InMemoryAuditLog):
    """An audit trail whose writes of one kind wait (as on a slow database) until released."""

    slow: AuditEventKind = AuditEventKind.OUTCOME
    writing: asyncio.Event = attrs.field(factory=asyncio.Event)
    release: asyncio.Event = attrs.field(factory=asyncio.Event)
    written: asyncio.Event = attrs.field(factory=asyncio.Event)

    async def record(self, action: AuditAction, event: AuditEvent) -> None:
        if event.kind is self.slow:
            self.writing.set()
            await self.release.wait()
        await super().record(action, event)
        if event.kind is self.slow:
            self.written.set()


@attrs.define
class ShortLivedActions(Actions):
    """The action use cases with a gate whose confirmations live `ttl` instead of the default."""

    ttl: timedelta = timedelta(minutes=2)

    @property
    def gate(self) -> ConfirmationGate:
        return ConfirmationGate(self.confirmations, self.audit, self.clock, self.keys, self.ttl)


class HangingConfirmer:
    """An elicitation the person never answers; `asked` is set once the question is out."""

    def __init__(self) -> None:
        self.asked = asyncio.Event()

    async def ask(self, summary: str) -> ConfirmationAnswer:
        self.asked.set()
        await asyncio.Event().wait()
        raise AssertionError("never answered")


async def _run(actions: Actions, confirmation: ConfirmationInput) -> object:
    return await actions.execute_policy.execute(
        RUN_ON_77, ALICE, confirmation, Progress(), NeverCancelled()
    )


def _kinds(audit: InMemoryAuditLog) -> list[str]:
    return [event.kind.value for event in audit.events]


async def test_the_person_gets_the_report_when_the_outcome_cannot_be_recorded(
    inventory: InMemoryDeviceInventory,
    policies: InMemoryPolicyCatalogue,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    audit = LosingAuditLog(lost=frozenset({AuditEventKind.OUTCOME}))
    actions = Actions(inventory, policies, clock, audit=audit)
    first = await _run(actions, ConfirmationInput())
    assert isinstance(first, ConfirmationRequired)

    with caplog.at_level(logging.ERROR):
        report = await _run(actions, ConfirmationInput(token=first.token))

    assert isinstance(report, ActionReport)
    assert report.status is OutcomeStatus.QUEUED
    assert actions.runner.groups[45] == {"77"}  # it did reach Jamf
    assert _kinds(audit) == ["requested", "approved"]
    assert (
        f"Could not record the outcome event of audit record {report.record_id} (queued, 1 devices)"
    ) in caplog.text
    assert first.token not in caplog.text


async def test_a_decline_that_cannot_be_recorded_still_reaches_the_caller(
    inventory: InMemoryDeviceInventory,
    policies: InMemoryPolicyCatalogue,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    audit = LosingAuditLog(lost=frozenset({AuditEventKind.DECLINED}))
    actions = Actions(inventory, policies, clock, audit=audit)

    with caplog.at_level(logging.ERROR):
        outcome = await _run(
            actions, ConfirmationInput(confirmer=ScriptedConfirmer(ConfirmationAnswer.DECLINED))
        )

    assert isinstance(outcome, NotConfirmed) and outcome.answer is ConfirmationAnswer.DECLINED
    assert actions.writes() == []
    assert _kinds(audit) == ["requested"]
    assert "Could not record the declined event" in caplog.text


async def test_a_call_cancelled_again_while_its_cancellation_is_written_is_still_recorded(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    # An ASGI server tearing a request down cancels its task again and again; the record that
    # the question was cancelled must survive that.
    audit = SlowAuditLog(slow=AuditEventKind.CANCELLED)
    actions = Actions(inventory, policies, clock, audit=audit)
    confirmer = HangingConfirmer()
    call = asyncio.create_task(_run(actions, ConfirmationInput(confirmer=confirmer)))
    await confirmer.asked.wait()

    call.cancel()
    await audit.writing.wait()
    call.cancel()
    audit.release.set()
    with pytest.raises(asyncio.CancelledError):
        await call
    await asyncio.wait_for(audit.written.wait(), WAIT)

    assert _kinds(audit) == ["requested", "cancelled"]
    [record] = audit.records
    cancelled = record.events[-1]
    assert cancelled.detail == "the call was cancelled while the question was open"
    assert cancelled.channel is ConfirmationChannel.ELICITATION
    assert actions.writes() == []


async def test_a_run_torn_down_twice_while_its_outcome_is_written_still_records_it(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    audit = SlowAuditLog(slow=AuditEventKind.OUTCOME)
    actions = Actions(inventory, policies, clock, audit=audit)
    in_jamf = asyncio.Event()

    async def hang(ids: Sequence[str]) -> None:
        in_jamf.set()
        await asyncio.Event().wait()

    actions.runner.before["add_to_group"] = hang
    call = asyncio.create_task(
        _run(actions, ConfirmationInput(confirmer=ScriptedConfirmer(ConfirmationAnswer.ACCEPTED)))
    )
    await in_jamf.wait()

    call.cancel()
    await audit.writing.wait()
    call.cancel()
    audit.release.set()
    with pytest.raises(asyncio.CancelledError):
        await call

    assert audit.written.is_set()
    assert _kinds(audit) == ["requested", "approved", "outcome"]
    [record] = audit.records
    [result] = record.outcomes[-1].results
    assert (result.target_id, result.status) == ("77", OutcomeStatus.UNKNOWN)
    assert record.status is OutcomeStatus.UNKNOWN


async def test_a_shorter_confirmation_ttl_sets_every_deadline_and_is_enforced(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = ShortLivedActions(inventory, policies, clock)
    asked_at = clock.now()
    early = await _run(actions, ConfirmationInput())
    late = await _run(actions, ConfirmationInput())
    assert isinstance(early, ConfirmationRequired) and isinstance(late, ConfirmationRequired)
    assert early.expires_at == asked_at + timedelta(minutes=2)
    assert [e.expires_at for e in actions.audit.events] == [asked_at + timedelta(minutes=2)] * 2

    clock.advance(timedelta(minutes=1, seconds=59))
    assert isinstance(await _run(actions, ConfirmationInput(token=early.token)), ActionReport)
    clock.advance(timedelta(seconds=1))
    with pytest.raises(ConfirmationExpired):
        await _run(actions, ConfirmationInput(token=late.token))


async def test_an_elicitation_question_is_answerable_for_the_configured_ttl(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = ShortLivedActions(inventory, policies, clock, ttl=timedelta(seconds=45))
    confirmer = ScriptedConfirmer(ConfirmationAnswer.TIMED_OUT)

    outcome = await _run(actions, ConfirmationInput(confirmer=confirmer))

    assert isinstance(outcome, NotConfirmed)
    requested, expired = actions.audit.events
    assert requested.expires_at == clock.now() + timedelta(seconds=45)
    assert (expired.kind, expired.detail) == (
        AuditEventKind.EXPIRED,
        "no answer before the deadline",
    )


async def test_the_report_tells_the_person_how_to_follow_the_run(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = Actions(inventory, policies, clock)

    report = await _run(
        actions, ConfirmationInput(confirmer=ScriptedConfirmer(ConfirmationAnswer.ACCEPTED))
    )

    assert isinstance(report, ActionReport)
    [note] = report.notes
    assert "static group" in note
    assert note.endswith("follow them with getActionStatus(auditRecordId).")
    assert not report.cancelled
    assert (report.started_at, report.finished_at) == (clock.now(), clock.now())
    assert report.count(OutcomeStatus.QUEUED) == 1
    assert report.count(OutcomeStatus.FAILED) == 0


async def test_a_dismissed_question_is_recorded_as_cancelled_with_why(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = Actions(inventory, policies, clock)

    await _run(
        actions, ConfirmationInput(confirmer=ScriptedConfirmer(ConfirmationAnswer.DISMISSED))
    )

    assert [(e.kind.value, e.detail) for e in actions.audit.events][-1] == (
        "cancelled",
        "the question was dismissed",
    )


async def test_a_token_confirmed_run_reports_the_action_it_ran(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = Actions(inventory, policies, clock)
    first = await _run(actions, ConfirmationInput())
    assert isinstance(first, ConfirmationRequired)
    [requested] = actions.audit.events
    assert requested.detail == ""  # a plain two-step request needs no explanation

    report = await _run(actions, ConfirmationInput(token=first.token))

    assert isinstance(report, ActionReport)
    assert report.prepared == first.prepared
    assert "Run policy 'Software Update' (id 45)" in report.prepared.message


async def test_a_token_confirmed_run_torn_down_records_what_is_known(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = Actions(inventory, policies, clock)
    first = await _run(actions, ConfirmationInput())
    assert isinstance(first, ConfirmationRequired)
    in_jamf = asyncio.Event()

    async def hang(ids: Sequence[str]) -> None:
        in_jamf.set()
        await asyncio.Event().wait()

    actions.runner.before["add_to_group"] = hang
    call = asyncio.create_task(_run(actions, ConfirmationInput(token=first.token)))
    await in_jamf.wait()
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call

    [record] = actions.audit.records
    assert [e.kind.value for e in record.events] == ["requested", "approved", "outcome"]
    assert [(r.target_id, r.status) for r in record.outcomes[-1].results] == [
        ("77", OutcomeStatus.UNKNOWN)
    ]


async def test_a_declined_elicitation_names_the_action_and_is_recorded_on_its_channel(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = Actions(inventory, policies, clock)
    confirmer = ScriptedConfirmer(ConfirmationAnswer.DECLINED)

    outcome = await _run(actions, ConfirmationInput(confirmer=confirmer))

    assert isinstance(outcome, NotConfirmed)
    assert outcome.prepared.message == confirmer.asked[0]
    [record] = actions.audit.records
    assert [(e.kind.value, e.channel) for e in record.events] == [
        ("requested", ConfirmationChannel.ELICITATION),
        ("declined", ConfirmationChannel.ELICITATION),
    ]


async def test_a_client_that_cannot_ask_gets_a_token_and_the_trail_says_why(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = Actions(inventory, policies, clock)
    confirmer = ScriptedConfirmer(ConfirmationAnswer.UNAVAILABLE)

    await _run(actions, ConfirmationInput(confirmer=confirmer))

    asked, fallback = actions.audit.events
    assert asked.detail == ""
    assert fallback.detail == (
        "the client could not show the question; a confirmation token was issued"
    )


@pytest.mark.parametrize(
    ("answer", "recorded", "detail"),
    [
        (ConfirmationAnswer.DECLINED, "declined", ""),
        (ConfirmationAnswer.UNAVAILABLE, "cancelled", "unavailable"),
    ],
)
async def test_a_no_to_an_input_required_question_names_the_action_on_the_same_record(
    inventory: InMemoryDeviceInventory,
    policies: InMemoryPolicyCatalogue,
    clock: FixedClock,
    answer: ConfirmationAnswer,
    recorded: str,
    detail: str,
) -> None:
    actions = Actions(inventory, policies, clock)
    channel = ConfirmationChannel.INPUT_REQUIRED
    first = await _run(actions, ConfirmationInput(channel=channel))
    assert isinstance(first, ConfirmationRequired)

    outcome = await _run(
        actions, ConfirmationInput(token=first.token, channel=channel, answer=answer)
    )

    assert outcome == NotConfirmed(first.prepared, answer)
    [record] = actions.audit.records
    assert [(e.kind.value, e.detail) for e in record.events][-1] == (recorded, detail)
    assert actions.writes() == []


async def test_a_no_with_a_token_that_is_refused_is_still_a_no_for_the_caller(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> None:
    actions = Actions(inventory, policies, clock)
    channel = ConfirmationChannel.INPUT_REQUIRED
    first = await _run(actions, ConfirmationInput(channel=channel))
    assert isinstance(first, ConfirmationRequired)
    clock.advance(timedelta(minutes=6))  # the question expired before the answer came

    outcome = await _run(
        actions,
        ConfirmationInput(token=first.token, channel=channel, answer=ConfirmationAnswer.DECLINED),
    )

    assert outcome == NotConfirmed(first.prepared, ConfirmationAnswer.DECLINED)
    assert [e.kind.value for e in actions.audit.events] == ["requested", "refused"]
    assert actions.writes() == []
