"""Frequency- and history-aware policy runs, their cleanup, and getActionStatus (in-memory fakes)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory, InMemoryPolicyCatalogue
from jamf_mcp.application.confirmation_gate import (
    ActionReport,
    ConfirmationInput,
    ConfirmationRequired,
)
from jamf_mcp.application.policy_run_reconciler import PolicyRunReconciler
from jamf_mcp.application.ports import ConfirmationAnswer
from jamf_mcp.application.use_cases import (
    ActionStatusRequest,
    ExecutePolicyRequest,
    GetActionStatus,
)
from jamf_mcp.domain.errors import InvalidRequest
from jamf_mcp.domain.jamf_operations import CheckInSettings, PolicyRun
from jamf_mcp.domain.policy_runs import DeviceRunState
from tests.unit.application.action_support import (
    ALICE,
    Actions,
    NeverCancelled,
    Progress,
    ScriptedConfirmer,
)

ACCEPT = ConfirmationInput(confirmer=ScriptedConfirmer(ConfirmationAnswer.ACCEPTED))
CHROME = 7  # "Install Google Chrome": Once per computer


@pytest.fixture
def actions(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue, clock: FixedClock
) -> Actions:
    return Actions(inventory, policies, clock)


async def _run(actions: Actions, request: ExecutePolicyRequest, confirmation: ConfirmationInput):  # type: ignore[no-untyped-def]
    return await actions.execute_policy.execute(
        request, ALICE, confirmation, Progress(), NeverCancelled()
    )


def _chrome_ran_on(actions: Actions, computer_id: str, hours_ago: float = 30) -> PolicyRun:
    run = PolicyRun(CHROME, actions.clock.now() - timedelta(hours=hours_ago), "Completed", "Chrome")
    actions.history.log(computer_id, run)
    return run


async def test_a_policy_that_already_ran_is_left_out_with_its_last_run_and_the_choices(
    actions: Actions,
) -> None:
    _chrome_ran_on(actions, "77")
    actions.check_in.current = CheckInSettings(30)

    outcome = await _run(
        actions, ExecutePolicyRequest(("77", "78"), policy_id=CHROME), ConfirmationInput()
    )

    assert isinstance(outcome, ConfirmationRequired)
    assert [t.jamf_id for t in outcome.prepared.action.targets] == ["78"]
    message = outcome.prepared.message
    assert "every 30 minutes" in message
    assert "Left out: John-Smith-MacBook-Pro" in message
    assert "(Once per computer) already ran there on" in message
    assert "(Completed)" in message
    assert "cannot run one policy again on one computer" in message
    assert "flushComputerPolicyLogs: true" in message
    assert "ALL policy logs" in message


async def test_nothing_is_prepared_when_the_policy_already_ran_everywhere(actions: Actions) -> None:
    _chrome_ran_on(actions, "77")

    with pytest.raises(InvalidRequest, match="Nothing was done") as refused:
        await _run(actions, ExecutePolicyRequest(("77",), policy_id=CHROME), ConfirmationInput())

    assert "already ran there on" in refused.value.message
    assert actions.writes() == []


async def test_the_flush_choice_is_confirmed_then_flushes_all_logs_of_that_computer_only(
    actions: Actions,
) -> None:
    _chrome_ran_on(actions, "77")
    actions.history.log("77", PolicyRun(45, actions.clock.now(), "Completed", "Software Update"))
    request = ExecutePolicyRequest(("77", "78"), policy_id=CHROME, flush_computer_logs=True)

    first = await _run(actions, request, ConfirmationInput())
    assert isinstance(first, ConfirmationRequired)
    message = first.prepared.message
    assert "First ALL policy logs of 1 computer (John-Smith-MacBook-Pro" in message
    assert "'Chrome', 'Software Update'" in message
    assert actions.writes() == []

    report = await _run(actions, request, ConfirmationInput(token=first.token))

    assert isinstance(report, ActionReport)
    assert actions.runner.calls_to("flush_computer_logs") == [("77",)]
    assert actions.runner.groups[CHROME] == {"77", "78"}
    details = {r.target_id: r.detail for r in report.results}
    assert details["77"].startswith("all its policy logs were flushed")


async def test_a_periodic_policy_that_ran_recently_says_when_it_is_due_again(
    actions: Actions,
) -> None:
    actions.history.log("5", PolicyRun(45, actions.clock.now() - timedelta(hours=3), "Completed"))
    request = ExecutePolicyRequest(("5", "6"), policy_name="Software Update")

    outcome = await _run(actions, request, ConfirmationInput())

    assert isinstance(outcome, ConfirmationRequired)
    due = actions.clock.now() + timedelta(hours=21)
    assert f"can run again after {due:%Y-%m-%d %H:%M} UTC" in outcome.prepared.message
    assert "(it is not added to the scope now)" in outcome.prepared.message


async def test_a_run_is_tracked_and_the_reconciler_cleans_up_once_it_ran(actions: Actions) -> None:
    report = await _run(actions, ExecutePolicyRequest(("5", "6"), policy_id=CHROME), ACCEPT)
    assert isinstance(report, ActionReport)
    reconciler = PolicyRunReconciler(
        actions.tracker, actions.runner, actions.history, actions.clock
    )
    status = GetActionStatus(actions.tracker, actions.history, actions.clock)

    assert (await reconciler.reconcile_once()).settled == 0
    assert actions.runner.groups[CHROME] == {"5", "6"}
    actions.history.log(
        "5", PolicyRun(CHROME, actions.clock.now() + timedelta(minutes=9), "Completed")
    )
    live = await status.execute(ActionStatusRequest(report.record_id), ALICE)
    assert {d.computer_id: d.state for d in live.devices} == {
        "5": DeviceRunState.RAN,
        "6": DeviceRunState.QUEUED,
    }

    first = await reconciler.reconcile_once()
    assert (first.settled, first.removed, first.released_scopes) == (1, 1, 0)
    assert actions.runner.groups[CHROME] == {"6"}

    actions.clock.advance(timedelta(hours=24))
    second = await reconciler.reconcile_once()
    assert (second.settled, second.removed, second.released_scopes) == (1, 1, 1)
    assert actions.runner.groups[CHROME] == set()
    assert CHROME in actions.runner.released
    final = await status.execute(ActionStatusRequest(report.record_id), ALICE)
    assert {d.computer_id: d.state for d in final.devices} == {
        "5": DeviceRunState.RAN,
        "6": DeviceRunState.EXPIRED,
    }


async def test_a_computer_another_open_run_still_needs_stays_in_the_group(actions: Actions) -> None:
    first = await _run(actions, ExecutePolicyRequest(("5",), policy_id=8 - 1), ACCEPT)
    actions.clock.advance(timedelta(hours=20))
    second = await _run(actions, ExecutePolicyRequest(("5", "6"), policy_id=CHROME), ACCEPT)
    assert isinstance(first, ActionReport) and isinstance(second, ActionReport)
    reconciler = PolicyRunReconciler(
        actions.tracker, actions.runner, actions.history, actions.clock
    )

    actions.clock.advance(timedelta(hours=5))  # the first run expired, the second has not
    report = await reconciler.reconcile_once()

    assert report.settled == 1
    assert actions.runner.groups[CHROME] == {"5", "6"}
    assert actions.runner.released == set()


async def test_a_replica_without_the_lease_does_nothing(actions: Actions) -> None:
    class Follower(type(actions.tracker)):  # type: ignore[misc]
        async def lead(self, owner: str, seconds: float) -> bool:
            return False

    follower = Follower()
    reconciler = PolicyRunReconciler(follower, actions.runner, actions.history, actions.clock)
    assert (await reconciler.reconcile_once()).leader is False


async def test_an_unknown_audit_record_says_where_to_look_instead(actions: Actions) -> None:
    status = GetActionStatus(actions.tracker, actions.history, actions.clock)
    with pytest.raises(InvalidRequest, match="getCommandStatus"):
        await status.execute(ActionStatusRequest("no-such-record"), ALICE)


async def test_a_non_ongoing_policy_on_more_computers_than_one_action_reads_is_refused(
    actions: Actions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jamf_mcp.application.policy_run_planning.MAX_HISTORY_READS", 3)
    request = ExecutePolicyRequest(("5", "6", "7", "8"), policy_id=CHROME)
    with pytest.raises(InvalidRequest, match="more than one action reads"):
        await _run(actions, request, ConfirmationInput())
    assert actions.history.reads == 0
