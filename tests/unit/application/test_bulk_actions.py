"""Bulk runs: chunks, progress, cancellation, partial failures, unknown outcomes and waiting."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta

import pytest

from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory, InMemoryPolicyCatalogue
from jamf_mcp.application.bulk_dispatch import DispatchLimits
from jamf_mcp.application.confirmation_gate import ActionReport, ConfirmationInput
from jamf_mcp.application.ports import Cancellation, ConfirmationAnswer
from jamf_mcp.application.use_cases import (
    DeviceTypeFilter,
    ExecutePolicyRequest,
    SendMdmCommandRequest,
    UpdateInventoryRequest,
)
from jamf_mcp.domain.audit import OutcomeStatus
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import (
    InvalidRequest,
    JamfOutcomeUnknown,
    JamfRequestRejected,
    JamfUnavailable,
)
from jamf_mcp.domain.jamf_operations import PolicyRun
from tests.builders import computer
from tests.unit.application.action_support import (
    ALICE,
    Actions,
    CancelAfter,
    NeverCancelled,
    Progress,
    ScriptedConfirmer,
)

ACCEPT = ConfirmationInput(confirmer=ScriptedConfirmer(ConfirmationAnswer.ACCEPTED))
MARKETING = UpdateInventoryRequest(department="Marketing", device_type=DeviceTypeFilter.COMPUTER)


@pytest.fixture
def marketing_fleet() -> InMemoryDeviceInventory:
    fleet = [computer(i, department="Marketing") for i in range(1, 201)]
    fleet += [computer(i, department="Sales") for i in range(201, 221)]
    fleet.append(computer(221, department="Marketing", managed=False))
    fleet.append(computer(900, department="Marketing", kind=DeviceKind.MOBILE))
    return InMemoryDeviceInventory(fleet)


@pytest.fixture
def actions(
    marketing_fleet: InMemoryDeviceInventory,
    policies: InMemoryPolicyCatalogue,
    clock: FixedClock,
) -> Actions:
    return Actions(marketing_fleet, policies, clock)


async def _inventory(
    actions: Actions,
    request: UpdateInventoryRequest = MARKETING,
    progress: Progress | None = None,
    cancellation: Cancellation | None = None,
) -> ActionReport:
    report = await actions.update_inventory.execute(
        request, ALICE, ACCEPT, progress or Progress(), cancellation or NeverCancelled()
    )
    assert isinstance(report, ActionReport)
    return report


async def test_all_marketing_macs_are_queued_with_the_inventory_policy_in_chunks(
    actions: Actions,
) -> None:
    progress = Progress()

    report = await _inventory(actions, progress=progress)

    assert report.status is OutcomeStatus.QUEUED
    assert report.count(OutcomeStatus.QUEUED) == 200
    assert report.prepared.action.policy is not None
    assert report.prepared.action.policy.name == "Update Inventory"
    assert actions.runner.groups[1] == {str(i) for i in range(1, 201)}
    chunks = actions.runner.calls_to("add_to_group")
    assert len(chunks) == 40
    assert all(len(chunk) == 5 for chunk in chunks)
    assert "unmanaged" not in report.prepared.message
    assert "1 matching device(s) are not managed and are left out (Mac-221)" in (
        report.prepared.message
    )


async def test_progress_counts_devices_in_order_up_to_the_total(actions: Actions) -> None:
    progress = Progress()

    await _inventory(actions, progress=progress)

    values = progress.values
    assert values == sorted(values)
    assert len(set(values)) == len(values)
    assert values[-1] == 200
    assert {total for _, total, _ in progress.updates} == {200}
    assert progress.updates[-1][2].startswith("200/200 ")
    assert progress.updates[-1][2].endswith(" queued")


async def test_cancelling_midway_stops_dispatching_and_the_record_shows_what_was_done(
    actions: Actions,
) -> None:
    progress = Progress()

    report = await _inventory(actions, progress=progress, cancellation=CancelAfter(progress, 8))

    sent = report.count(OutcomeStatus.QUEUED)
    assert 8 * 5 <= sent < 200
    assert report.count(OutcomeStatus.NOT_SENT) == 200 - sent
    assert report.status is OutcomeStatus.PARTIALLY_COMPLETED
    assert report.cancelled
    assert len(actions.runner.groups[1]) == sent
    [record] = actions.audit.records
    assert record.outcomes[-1].status is OutcomeStatus.PARTIALLY_COMPLETED
    not_sent = {r.target_id for r in record.outcomes[-1].results if r.status.value == "not_sent"}
    assert not_sent.isdisjoint(actions.runner.groups[1])


async def test_a_failing_chunk_fails_only_its_devices_and_an_unanswered_one_is_unknown(
    actions: Actions,
) -> None:
    def failure(ids: Sequence[str]) -> Exception | None:
        if "12" in ids:
            return JamfRequestRejected("Jamf Pro rejected PUT (HTTP 409): Unknown computer")
        if "33" in ids:
            return JamfOutcomeUnknown("Jamf Pro did not confirm PUT (no answer within 30 s)")
        return None

    actions.runner.failures["add_to_group"] = failure

    report = await _inventory(actions)

    by_id = {result.target_id: result for result in report.results}
    assert by_id["12"].status is OutcomeStatus.FAILED
    assert "Unknown computer" in by_id["12"].detail
    assert by_id["33"].status is OutcomeStatus.UNKNOWN
    assert report.count(OutcomeStatus.FAILED) == 5
    assert report.count(OutcomeStatus.UNKNOWN) == 5
    assert report.count(OutcomeStatus.QUEUED) == 190
    assert report.status is OutcomeStatus.PARTIALLY_COMPLETED


async def test_a_failed_computer_log_flush_leaves_only_the_flushed_computers_unknown(
    actions: Actions,
) -> None:
    for cid in ("7", "13"):  # the inventory policy ran there yesterday: flushing was chosen
        actions.history.log(cid, PolicyRun(1, actions.clock.now() - timedelta(days=1), "Completed"))
    actions.runner.failures["flush_computer_logs"] = lambda ids: (
        JamfUnavailable("HTTP 503") if "7" in ids else None
    )

    report = await _inventory(
        actions,
        UpdateInventoryRequest(
            department="Marketing", flush_computer_logs=True, device_type=DeviceTypeFilter.COMPUTER
        ),
    )

    by_id = {result.target_id: result for result in report.results}
    assert by_id["7"].status is OutcomeStatus.UNKNOWN
    assert "policy logs could not be flushed" in by_id["7"].detail
    assert by_id["13"].status is OutcomeStatus.QUEUED
    assert "all its policy logs were flushed" in by_id["13"].detail
    assert all(
        ("7" in ids) or ("13" in ids) for ids in actions.runner.calls_to("flush_computer_logs")
    )


async def test_a_computer_jamf_did_not_keep_in_the_group_is_added_again_then_reported_failed(
    actions: Actions,
) -> None:
    actions.runner.forget.add("50")

    report = await _inventory(actions)

    by_id = {result.target_id: result for result in report.results}
    assert by_id["50"].status is OutcomeStatus.FAILED
    assert "did not keep" in by_id["50"].detail
    assert actions.runner.calls_to("add_to_group")[-1] == ("50",)


async def test_mobile_devices_are_asked_through_mdm_one_by_one(actions: Actions) -> None:
    report = await _inventory(
        actions, UpdateInventoryRequest(department="Marketing", device_type=DeviceTypeFilter.ANY)
    )

    assert report.count(OutcomeStatus.QUEUED) == 201
    assert actions.mobile.requested == ["900"]
    assert "mobile devices are asked through MDM" in report.prepared.message


async def test_an_update_needs_devices_criteria_or_all_devices(actions: Actions) -> None:
    with pytest.raises(InvalidRequest, match="allDevices"):
        await _inventory(actions, UpdateInventoryRequest(device_type=DeviceTypeFilter.COMPUTER))
    report = await _inventory(
        actions, UpdateInventoryRequest(all_devices=True, device_type=DeviceTypeFilter.COMPUTER)
    )
    assert report.count(OutcomeStatus.QUEUED) == 220


async def test_too_many_devices_is_refused_before_anything_is_asked(
    actions: Actions,
) -> None:
    actions.limits = DispatchLimits(max_targets=50)
    confirmer = ScriptedConfirmer(ConfirmationAnswer.ACCEPTED)

    with pytest.raises(InvalidRequest, match="More than 50 devices"):
        await actions.update_inventory.execute(
            MARKETING, ALICE, ConfirmationInput(confirmer=confirmer), Progress(), NeverCancelled()
        )
    assert confirmer.asked == []


async def test_a_heartbeat_keeps_progress_moving_while_jamf_is_slow(actions: Actions) -> None:
    actions.limits = DispatchLimits(heartbeat_seconds=0.02, concurrency=1)

    async def slow(ids: Sequence[str]) -> None:
        await asyncio.sleep(0.1)

    actions.runner.before["add_to_group"] = slow
    progress = Progress()

    await _inventory(
        actions,
        UpdateInventoryRequest(
            device_identifiers=("1", "2"), device_type=DeviceTypeFilter.COMPUTER
        ),
        progress=progress,
    )

    values = progress.values
    assert values == sorted(values) and len(set(values)) == len(values)
    beats = [m for _, _, m in progress.updates if "in progress" in m]
    assert beats
    assert all(v < 1 for v, _, m in progress.updates if "in progress" in m and v < 1)


async def test_waiting_reports_computers_that_ran_the_policy_as_completed(
    actions: Actions,
) -> None:
    now = actions.clock.now()

    async def computers_run_it_once_queued(_ids: object) -> None:
        if not actions.history.logged:
            actions.history.log("3", PolicyRun(45, now + timedelta(seconds=5), "Completed"))
            actions.history.log("4", PolicyRun(45, now + timedelta(seconds=6), "Failed"))

    actions.runner.before["add_to_group"] = computers_run_it_once_queued

    report = await actions.execute_policy.execute(
        ExecutePolicyRequest(("3", "4", "5"), policy_id=45, wait_seconds=1),
        ALICE,
        ACCEPT,
        progress := Progress(),
        NeverCancelled(),
    )

    assert isinstance(report, ActionReport)
    by_id = {result.target_id: result for result in report.results}
    assert by_id["3"].status is OutcomeStatus.COMPLETED
    assert by_id["4"].status is OutcomeStatus.FAILED
    assert by_id["5"].status is OutcomeStatus.QUEUED
    assert report.status is OutcomeStatus.PARTIALLY_COMPLETED
    assert {total for _, total, _ in progress.updates} == {6}


@pytest.mark.parametrize(
    ("policy", "reason"),
    [("Legacy Cleanup", "disabled"), ("Software Update (Beta)", "does not run at recurring")],
)
async def test_a_policy_that_cannot_be_queued_is_refused_before_asking(
    actions: Actions, policy: str, reason: str
) -> None:
    confirmer = ScriptedConfirmer(ConfirmationAnswer.ACCEPTED)
    with pytest.raises(InvalidRequest, match=reason):
        await actions.execute_policy.execute(
            ExecutePolicyRequest(("3",), policy_name=policy),
            ALICE,
            ConfirmationInput(confirmer=confirmer),
            Progress(),
            NeverCancelled(),
        )
    assert confirmer.asked == []


async def test_policies_run_on_computers_only(actions: Actions) -> None:
    with pytest.raises(Exception, match="No device matches '900'"):
        await actions.execute_policy.prepare(ExecutePolicyRequest(("900",), policy_id=45), ALICE)


async def test_a_torn_down_run_still_records_what_is_known(actions: Actions) -> None:
    started = asyncio.Event()

    async def hang(ids: Sequence[str]) -> None:
        if max(int(i) for i in ids) >= 150:
            started.set()
            await asyncio.Event().wait()  # Jamf never answers this chunk

    actions.runner.before["add_to_group"] = hang
    task = asyncio.create_task(_inventory(actions))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    [record] = actions.audit.records
    statuses = {r.target_id: r.status for r in record.outcomes[-1].results}
    assert statuses["150"] is OutcomeStatus.UNKNOWN
    assert statuses["1"] is OutcomeStatus.QUEUED
    assert OutcomeStatus.NOT_SENT in set(statuses.values())


async def test_an_mdm_lock_of_a_mac_needs_a_pin_and_is_refused_before_asking(
    actions: Actions,
) -> None:
    confirmer = ScriptedConfirmer(ConfirmationAnswer.ACCEPTED)
    with pytest.raises(InvalidRequest, match="6-digit pin"):
        await actions.send_mdm_command.execute(
            SendMdmCommandRequest("DEVICE_LOCK", ("3",)),
            ALICE,
            ConfirmationInput(confirmer=confirmer),
            Progress(),
            NeverCancelled(),
        )
    with pytest.raises(InvalidRequest, match="cannot be sent to computers"):
        await actions.send_mdm_command.prepare(
            SendMdmCommandRequest("ENABLE_LOST_MODE", ("3",), {"lostModeMessage": "x"}), ALICE
        )
    with pytest.raises(InvalidRequest, match=r"(?i)not managed"):
        await actions.send_mdm_command.prepare(
            SendMdmCommandRequest("RESTART_DEVICE", ("221",)), ALICE
        )
    assert confirmer.asked == []


async def test_an_mdm_command_is_queued_per_device_with_its_uuid_and_the_pin_stays_out_of_the_summary(
    actions: Actions,
) -> None:
    report = await actions.send_mdm_command.execute(
        SendMdmCommandRequest("DEVICE_LOCK", ("3", "4"), {"pin": "123456", "message": "Call IT"}),
        ALICE,
        ACCEPT,
        Progress(),
        NeverCancelled(),
    )

    assert isinstance(report, ActionReport)
    assert report.status is OutcomeStatus.QUEUED
    sent = actions.commands.sent
    assert {command for command, _, _ in sent} == {"DEVICE_LOCK"}
    assert sorted(i for _, ids, _ in sent for i in ids) == ["mgmt-computer-3", "mgmt-computer-4"]
    assert all(fields == {"pin": "123456", "message": "Call IT"} for _, _, fields in sent)
    assert all(result.reference in actions.commands.statuses for result in report.results)
    assert "123456" not in report.prepared.message
    assert "123456" not in actions.audit.records[0].action.summary
    assert "message=Call IT" in report.prepared.message
