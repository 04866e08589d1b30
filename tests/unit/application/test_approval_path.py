"""The approval page's rules in the use cases: only the requesting user's decision on the page runs
an action, once; the model's token only by the operator's opt-in, never for erase or lock."""

from __future__ import annotations

import asyncio

import pytest

from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory, InMemoryPolicyCatalogue
from jamf_mcp.application.approval_desk import ApprovalDesk, PageViewer, Verdict
from jamf_mcp.application.approval_path import ApprovalRequired, ApprovalRoute
from jamf_mcp.application.confirmation_gate import ActionReport, ConfirmationInput, NotConfirmed
from jamf_mcp.application.ports import ConfirmationAnswer
from jamf_mcp.application.use_cases import ExecutePolicyRequest, SendMdmCommandRequest
from jamf_mcp.domain.audit import ConfirmationChannel
from jamf_mcp.domain.errors import ConfirmationAlreadyUsed, ConfirmationByPersonOnly
from jamf_mcp.domain.principal import Principal
from tests.unit.application.action_support import ALICE, CAROL, Actions, NeverCancelled, Progress

RUN_ON_77 = ExecutePolicyRequest(("77",), policy_name="Software Update")
BY_PAGE = ConfirmationInput(approval=ApprovalRoute(), tokens_allowed=False)
UPSTREAM = "https://upstream.test"
"""The identity provider the page signs people in at; ALICE's tokens name the same people."""


@pytest.fixture
def actions(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> Actions:
    return Actions(inventory, policies, clock)


def desk(actions: Actions) -> ApprovalDesk:
    return ApprovalDesk(
        actions.approvals, actions.audit, actions.clock, frozenset({ALICE.issuer, UPSTREAM})
    )


def alice_in_the_browser() -> PageViewer:
    return PageViewer(UPSTREAM, ALICE.subject, "Alice")


async def _run(
    actions: Actions, confirmation: ConfirmationInput = BY_PAGE, principal: Principal = ALICE
) -> object:
    return await actions.execute_policy.execute(
        RUN_ON_77, principal, confirmation, Progress(), NeverCancelled()
    )


async def test_nothing_runs_until_alice_approves_on_the_page_and_then_it_runs_once(
    actions: Actions,
) -> None:
    first = await _run(actions)
    again = await _run(actions)
    assert isinstance(first, ApprovalRequired)
    assert isinstance(again, ApprovalRequired)
    assert (first.waiting, again.waiting) == (False, True)
    assert again.approval_id == first.approval_id
    assert actions.writes() == []

    view = await desk(actions).decide(first.approval_id, alice_in_the_browser(), approve=True)
    assert view.verdict is Verdict.APPROVED
    assert actions.writes() == []  # approving runs nothing by itself

    done = await _run(actions)
    assert isinstance(done, ActionReport)
    assert done.channel is ConfirmationChannel.APPROVAL_PAGE
    assert actions.writes() != []
    [record] = actions.audit.records
    assert [e.kind.value for e in record.events].count("approved") == 1  # page + run: one event
    fresh = await _run(actions)
    assert isinstance(fresh, ApprovalRequired)
    assert fresh.approval_id != first.approval_id


async def test_two_calls_racing_after_the_approval_run_it_once(actions: Actions) -> None:
    first = await _run(actions)
    assert isinstance(first, ApprovalRequired)
    await desk(actions).decide(first.approval_id, alice_in_the_browser(), approve=True)
    outcomes = await asyncio.gather(_run(actions), _run(actions), return_exceptions=True)
    assert sum(isinstance(o, ActionReport) for o in outcomes) == 1
    assert all(
        isinstance(o, (ActionReport, ApprovalRequired, ConfirmationAlreadyUsed)) for o in outcomes
    )


async def test_another_user_sees_nothing_decides_nothing_and_is_recorded(actions: Actions) -> None:
    first = await _run(actions)
    assert isinstance(first, ApprovalRequired)
    carol = PageViewer(UPSTREAM, CAROL.subject)
    view = await desk(actions).decide(first.approval_id, carol, approve=True)
    assert (view.verdict, view.approval) == (Verdict.NOT_YOURS, None)
    refused = [e for e in actions.audit.events if e.kind.value == "refused"]
    assert [(e.actor.subject, e.reason.value if e.reason else None) for e in refused] == [
        ("carol", "wrong_user")
    ]
    assert isinstance(await _run(actions), ApprovalRequired)
    assert actions.writes() == []


async def test_a_decline_is_reported_once_and_the_next_call_asks_again(actions: Actions) -> None:
    first = await _run(actions)
    assert isinstance(first, ApprovalRequired)
    await desk(actions).decide(first.approval_id, alice_in_the_browser(), approve=False)
    declined = await _run(actions)
    assert isinstance(declined, NotConfirmed)
    assert declined.answer is ConfirmationAnswer.DECLINED
    again = await _run(actions)
    assert isinstance(again, ApprovalRequired)
    assert again.approval_id != first.approval_id
    assert actions.writes() == []


async def test_an_approval_id_of_other_arguments_or_another_user_finds_nothing(
    actions: Actions,
) -> None:
    alices = await _run(actions)
    assert isinstance(alices, ApprovalRequired)
    named = ConfirmationInput(approval=ApprovalRoute(approval_id=alices.approval_id))
    carols = await _run(actions, named, CAROL)
    assert isinstance(carols, ApprovalRequired)
    assert carols.approval_id != alices.approval_id


async def test_a_token_is_refused_unless_the_operator_opted_in(actions: Actions) -> None:
    with pytest.raises(ConfirmationByPersonOnly):
        await _run(actions, ConfirmationInput(token="x" * 43, tokens_allowed=False))
    with pytest.raises(ConfirmationByPersonOnly):
        await _run(actions, ConfirmationInput(tokens_allowed=False))  # no page, no token
    assert actions.writes() == []
    assert actions.audit.records == []


@pytest.mark.parametrize("command", ["DEVICE_LOCK", "ERASE_DEVICE"])
async def test_erase_and_lock_never_use_a_token_even_when_the_operator_allows_tokens(
    actions: Actions, command: str
) -> None:
    request = SendMdmCommandRequest(command, ("77",), {"pin": "123456"})
    with pytest.raises(ConfirmationByPersonOnly):
        await actions.send_mdm_command.execute(
            request, ALICE, ConfirmationInput(tokens_allowed=True), Progress(), NeverCancelled()
        )
    by_page = await actions.send_mdm_command.execute(
        request, ALICE, ConfirmationInput(approval=ApprovalRoute()), Progress(), NeverCancelled()
    )
    assert isinstance(by_page, ApprovalRequired)
    assert actions.writes() == []
