"""Every confirmation outcome is in the audit trail, and nothing reaches Jamf without its record."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory, InMemoryPolicyCatalogue
from jamf_mcp.application.confirmation_expiry import ExpireConfirmations
from jamf_mcp.application.confirmation_gate import (
    ActionReport,
    ConfirmationInput,
    ConfirmationRequired,
    NotConfirmed,
)
from jamf_mcp.application.ports import ConfirmationAnswer
from jamf_mcp.application.use_cases import ExecutePolicyRequest
from jamf_mcp.domain.audit import ClientInfo, ConfirmationChannel
from jamf_mcp.domain.errors import AuditUnavailable
from tests.unit.application.action_support import (
    ALICE,
    Actions,
    NeverCancelled,
    Progress,
    ScriptedConfirmer,
)

RUN_ON_77 = ExecutePolicyRequest(("77",), policy_name="Software Update")
CHATGPT = ClientInfo("openai-mcp", "1.0.0")


@pytest.fixture
def actions(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> Actions:
    return Actions(inventory, policies, clock)


async def _run(actions: Actions, confirmation: ConfirmationInput) -> object:
    return await actions.execute_policy.execute(
        RUN_ON_77, ALICE, confirmation, Progress(), NeverCancelled()
    )


def _kinds(actions: Actions) -> list[str]:
    return [event.kind.value for event in actions.audit.events]


async def test_the_client_and_channel_are_recorded_on_every_event(actions: Actions) -> None:
    first = await _run(actions, ConfirmationInput(client=CHATGPT))
    assert isinstance(first, ConfirmationRequired)
    await _run(actions, ConfirmationInput(token=first.token, client=CHATGPT))

    assert _kinds(actions) == ["requested", "approved", "outcome"]
    assert all(e.client == CHATGPT for e in actions.audit.events[:2])
    assert all(e.actor.subject == "alice" for e in actions.audit.events)


async def test_no_question_is_asked_when_the_request_cannot_be_recorded(actions: Actions) -> None:
    actions.audit.unavailable = True
    confirmer = ScriptedConfirmer(ConfirmationAnswer.ACCEPTED)

    with pytest.raises(AuditUnavailable, match="nothing was sent to Jamf Pro"):
        await _run(actions, ConfirmationInput(confirmer=confirmer))
    with pytest.raises(AuditUnavailable):
        await _run(actions, ConfirmationInput())

    assert confirmer.asked == []
    assert actions.confirmations.confirmations == {}
    assert actions.writes() == []


async def test_nothing_is_sent_to_jamf_when_the_approval_cannot_be_recorded(
    actions: Actions,
) -> None:
    first = await _run(actions, ConfirmationInput())
    assert isinstance(first, ConfirmationRequired)
    actions.audit.unavailable = True

    with pytest.raises(AuditUnavailable, match="confirm again"):
        await _run(actions, ConfirmationInput(token=first.token))

    assert actions.writes() == []
    assert _kinds(actions) == ["requested"]


async def test_a_no_in_an_input_required_round_trip_uses_the_token_up_and_is_recorded(
    actions: Actions,
) -> None:
    channel = ConfirmationChannel.INPUT_REQUIRED
    first = await _run(actions, ConfirmationInput(channel=channel))
    assert isinstance(first, ConfirmationRequired)

    outcome = await _run(
        actions,
        ConfirmationInput(token=first.token, channel=channel, answer=ConfirmationAnswer.DECLINED),
    )
    accepted_later = ConfirmationInput(token=first.token, channel=channel)

    assert isinstance(outcome, NotConfirmed)
    assert _kinds(actions) == ["requested", "declined"]
    with pytest.raises(Exception, match="already been used"):
        await _run(actions, accepted_later)
    assert actions.writes() == []
    assert [e.channel for e in actions.audit.events] == [channel] * 3


async def test_a_call_cancelled_while_the_question_is_open_is_recorded_as_cancelled(
    actions: Actions,
) -> None:
    asked = asyncio.Event()

    class Hanging:
        async def ask(self, summary: str) -> ConfirmationAnswer:
            asked.set()
            await asyncio.Event().wait()
            raise AssertionError("never answered")

    call = asyncio.create_task(_run(actions, ConfirmationInput(confirmer=Hanging())))
    await asked.wait()
    call.cancel()
    with pytest.raises(asyncio.CancelledError):
        await call

    assert _kinds(actions) == ["requested", "cancelled"]
    assert actions.writes() == []


async def test_an_unanswered_token_is_recorded_as_expired_once_after_its_deadline(
    actions: Actions,
) -> None:
    first = await _run(actions, ConfirmationInput())
    assert isinstance(first, ConfirmationRequired)
    sweep = ExpireConfirmations(actions.audit, actions.clock)

    actions.clock.advance(timedelta(minutes=5, seconds=30))  # past the deadline, within grace
    assert await sweep.execute() == 0
    actions.clock.advance(timedelta(minutes=1))
    assert await sweep.execute() == 1
    assert await sweep.execute() == 0

    [record] = actions.audit.records
    assert record.state == "expired"
    assert record.events[-1].at == first.expires_at


async def test_an_approved_action_never_expires(actions: Actions) -> None:
    first = await _run(actions, ConfirmationInput())
    assert isinstance(first, ConfirmationRequired)
    assert isinstance(await _run(actions, ConfirmationInput(token=first.token)), ActionReport)
    actions.clock.advance(timedelta(hours=1))

    assert await ExpireConfirmations(actions.audit, actions.clock).execute() == 0
