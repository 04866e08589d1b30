"""Nothing changes a device without the person's confirmation: the two-step token and elicitation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory, InMemoryPolicyCatalogue
from jamf_mcp.application.confirmation_gate import (
    ActionReport,
    ConfirmationInput,
    ConfirmationRequired,
    NotConfirmed,
)
from jamf_mcp.application.ports import ConfirmationAnswer
from jamf_mcp.application.use_cases import ExecutePolicyRequest
from jamf_mcp.domain.audit import ConfirmationChannel, OutcomeStatus
from jamf_mcp.domain.audit_records import RefusalReason
from jamf_mcp.domain.confirmations import audit_record_id
from jamf_mcp.domain.errors import (
    AccessDenied,
    ConfirmationAlreadyUsed,
    ConfirmationExpired,
    ConfirmationMismatch,
    ConfirmationNotYours,
    ConfirmationUnknown,
)
from jamf_mcp.domain.principal import Principal, Scope
from tests.unit.application.action_support import (
    ALICE,
    CAROL,
    Actions,
    NeverCancelled,
    Progress,
    ScriptedConfirmer,
)

RUN_ON_77 = ExecutePolicyRequest(("77",), policy_name="Software Update")


def kinds(actions: Actions) -> list[str]:
    """The event kinds of the only record, in order."""
    [record] = actions.audit.records
    return [event.kind.value for event in record.events]


@pytest.fixture
def actions(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> Actions:
    return Actions(inventory, policies, clock)


async def _run(
    actions: Actions,
    request: ExecutePolicyRequest = RUN_ON_77,
    confirmation: ConfirmationInput | None = None,
    principal: Principal = ALICE,
) -> object:
    return await actions.execute_policy.execute(
        request, principal, confirmation or ConfirmationInput(), Progress(), NeverCancelled()
    )


async def test_the_first_call_sends_nothing_and_returns_a_summary_and_a_token(
    actions: Actions,
) -> None:
    outcome = await _run(actions)

    assert isinstance(outcome, ConfirmationRequired)
    assert actions.writes() == []
    assert kinds(actions) == ["requested"]
    [requested] = actions.audit.events
    assert (requested.channel, requested.expires_at) == (
        ConfirmationChannel.TOKEN,
        outcome.expires_at,
    )
    assert outcome.expires_at == actions.clock.now() + timedelta(minutes=5)
    assert "Run policy 'Software Update' (id 45) on 1 computer: John-Smith-MacBook-Pro" in (
        outcome.prepared.message
    )
    assert "user John Smith" in outcome.prepared.message


async def test_the_token_runs_the_action_once_and_the_audit_trail_names_the_user(
    actions: Actions,
) -> None:
    first = await _run(actions)
    assert isinstance(first, ConfirmationRequired)

    report = await _run(actions, confirmation=ConfirmationInput(token=first.token))

    assert isinstance(report, ActionReport)
    assert report.status is OutcomeStatus.QUEUED
    assert report.channel is ConfirmationChannel.TOKEN
    assert actions.runner.groups[45] == {"77"}
    assert actions.runner.calls_to("flush_computer_logs") == []  # it never ran there
    assert "blank_push" not in {name for name, _, _ in actions.runner.calls}
    [record] = actions.audit.records
    assert record.record_id == report.record_id
    assert [e.kind.value for e in record.events] == ["requested", "approved", "outcome"]
    assert record.approval is not None
    assert record.approval.actor.subject == "alice"
    assert record.approval.channel is ConfirmationChannel.TOKEN
    assert record.action.digest == actions.keys.current.audit_digest(first.prepared.action)
    assert record.status is OutcomeStatus.QUEUED


async def test_a_replayed_token_is_refused_and_nothing_runs_again(actions: Actions) -> None:
    first = await _run(actions)
    assert isinstance(first, ConfirmationRequired)
    await _run(actions, confirmation=ConfirmationInput(token=first.token))
    writes = list(actions.writes())

    with pytest.raises(ConfirmationAlreadyUsed):
        await _run(actions, confirmation=ConfirmationInput(token=first.token))
    assert list(actions.writes()) == writes
    assert kinds(actions) == ["requested", "approved", "outcome", "refused"]
    assert actions.audit.events[-1].reason is RefusalReason.REPLAY


async def test_a_token_for_other_arguments_is_refused(actions: Actions) -> None:
    first = await _run(actions)
    assert isinstance(first, ConfirmationRequired)

    with pytest.raises(ConfirmationMismatch):
        await _run(
            actions,
            ExecutePolicyRequest(("78",), policy_name="Software Update"),
            ConfirmationInput(token=first.token),
        )
    with pytest.raises(ConfirmationMismatch):
        await _run(
            actions,
            ExecutePolicyRequest(("77",), policy_name="Install Google Chrome"),
            ConfirmationInput(token=first.token),
        )
    assert actions.writes() == []
    [record] = actions.audit.records
    assert [e.reason for e in record.events[1:]] == [RefusalReason.OTHER_ARGUMENTS] * 2
    assert record.action.digest == actions.keys.current.audit_digest(first.prepared.action)


async def test_a_token_presented_by_another_user_is_refused_and_stays_usable(
    actions: Actions,
) -> None:
    first = await _run(actions)
    assert isinstance(first, ConfirmationRequired)

    with pytest.raises(ConfirmationNotYours):
        await _run(actions, confirmation=ConfirmationInput(token=first.token), principal=CAROL)
    assert actions.writes() == []
    assert isinstance(
        await _run(actions, confirmation=ConfirmationInput(token=first.token)), ActionReport
    )
    [record] = actions.audit.records
    refused = record.events[1]
    assert (refused.kind.value, refused.reason) == ("refused", RefusalReason.WRONG_USER)
    assert refused.actor.subject == CAROL.subject
    assert record.requester.subject == ALICE.subject


async def test_a_forged_token_is_refused(actions: Actions) -> None:
    with pytest.raises(ConfirmationUnknown):
        await _run(actions, confirmation=ConfirmationInput(token="x" * 43))
    assert actions.writes() == []
    [record] = actions.audit.records
    assert record.record_id == audit_record_id("x" * 43)
    assert record.state == "refused"
    assert record.events[0].reason is RefusalReason.UNKNOWN_CONFIRMATION


async def test_a_token_is_refused_once_it_expired(actions: Actions) -> None:
    first = await _run(actions)
    assert isinstance(first, ConfirmationRequired)
    actions.clock.advance(timedelta(minutes=5))

    with pytest.raises(ConfirmationExpired):
        await _run(actions, confirmation=ConfirmationInput(token=first.token))
    assert actions.writes() == []
    assert actions.audit.events[-1].reason is RefusalReason.EXPIRED


async def test_an_accepted_elicitation_runs_once_and_records_the_channel(actions: Actions) -> None:
    confirmer = ScriptedConfirmer(ConfirmationAnswer.ACCEPTED)

    report = await _run(actions, confirmation=ConfirmationInput(confirmer=confirmer))

    assert isinstance(report, ActionReport)
    assert len(confirmer.asked) == 1
    assert "Software Update" in confirmer.asked[0]
    assert actions.runner.calls_to("add_to_group") == [("77",)]
    [record] = actions.audit.records
    assert kinds(actions) == ["requested", "approved", "outcome"]
    assert {e.channel for e in record.events[:2]} == {ConfirmationChannel.ELICITATION}


@pytest.mark.parametrize(
    ("answer", "recorded"),
    [
        (ConfirmationAnswer.DECLINED, "declined"),
        (ConfirmationAnswer.DISMISSED, "cancelled"),
        (ConfirmationAnswer.TIMED_OUT, "expired"),
    ],
)
async def test_a_declined_dismissed_or_unanswered_elicitation_does_nothing_and_is_recorded(
    actions: Actions, answer: ConfirmationAnswer, recorded: str
) -> None:
    outcome = await _run(
        actions, confirmation=ConfirmationInput(confirmer=ScriptedConfirmer(answer))
    )

    assert isinstance(outcome, NotConfirmed)
    assert outcome.answer is answer
    assert actions.writes() == []
    assert kinds(actions) == ["requested", recorded]
    assert actions.audit.records[0].state == recorded
    assert actions.confirmations.confirmations == {}


async def test_a_client_that_cannot_ask_falls_back_to_a_token(actions: Actions) -> None:
    confirmer = ScriptedConfirmer(ConfirmationAnswer.UNAVAILABLE)

    outcome = await _run(actions, confirmation=ConfirmationInput(confirmer=confirmer))

    assert isinstance(outcome, ConfirmationRequired)
    assert actions.writes() == []
    [record] = actions.audit.records
    assert [e.channel for e in record.events] == [
        ConfirmationChannel.ELICITATION,
        ConfirmationChannel.TOKEN,
    ]
    assert record.record_id == audit_record_id(outcome.token)


async def test_a_reader_cannot_even_prepare_an_action(actions: Actions) -> None:
    reader = Principal("https://idp.test", "bob", {Scope.READ.value})

    with pytest.raises(AccessDenied):
        await _run(actions, principal=reader)
    assert actions.confirmations.confirmations == {}
