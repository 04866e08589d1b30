"""Confirmed device actions end to end: the official MCP client, real HTTP, the embedded tenant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import mcp.types as types
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from jamf_mcp.adapters.memory import FixedClock
from jamf_mcp.adapters.sqlite import SqliteAuditLog
from jamf_mcp.domain.audit_records import AuditQuery
from jamf_mcp.domain.confirmations import audit_record_id
from jamf_mcp.settings import ActionSettings
from tests.e2e.inprocess import InProcessServer, serving

pytestmark = pytest.mark.e2e

# An Ongoing policy is due on every computer; "Software Update" (Once every day) already ran
# today on every online Mac of the demo tenant, which the summary would say instead.
RUN_MAC_123 = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
OFFICE = 4  # "Office 365": Once per computer, seeded as run on the first 500 computers
ON_REQUEST = 12  # "Inventory on Request": Ongoing recon, empty scope
CHECK_IN = 15 * 60  # the demo tenant's GET /api/v3/check-in → checkInFrequency (minutes)


class Elicitations:
    """An elicitation callback that answers as told and remembers what it was asked."""

    def __init__(self, action: str = "accept", confirm: bool = True) -> None:
        self.action = action
        self.confirm = confirm
        self.messages: list[str] = []

    async def __call__(self, context: Any, params: Any) -> types.ElicitResult:
        self.messages.append(params.message)
        content = {"confirm": self.confirm} if self.action == "accept" else None
        return types.ElicitResult(action=self.action, content=content)  # type: ignore[arg-type]


def client(server: InProcessServer, subject: str = "alice", **options: Any) -> Client:
    transport = streamable_http_client(server.mcp_url, http_client=server.http(subject))
    return Client(transport, mode="legacy", **options)


def group_members(server: InProcessServer, policy_id: int) -> set[int]:
    tenant = server.simulator.tenant
    for group in tenant.groups.values():
        if group.name == f"jamf-mcp: policy {policy_id}":
            return set(group.members)
    return set()


def runs_since(server: InProcessServer, computer_id: int, policy_id: int, since_ms: int) -> int:
    tenant = server.simulator.tenant
    rec = tenant.computers_by_id[computer_id]
    return sum(
        1
        for log in tenant.history_of(rec)
        if log.policy_id == policy_id and log.completed_ms >= since_ms
    )


async def audit(server: InProcessServer) -> Any:
    """The newest records of the server's trail, oldest first (as `jamf-mcp audit tail`)."""
    records = await SqliteAuditLog(server.settings.audit_path).search(AuditQuery(limit=10))
    return list(reversed(records))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


async def test_an_accepted_elicitation_queues_the_policy_and_the_simulator_runs_it_once(
    data_dir: Path,
) -> None:
    async with serving(data_dir) as server:
        elicit = Elicitations()
        server.simulator.tick(0)  # every due Mac checks in now, so MAC-123's next one is ahead
        before = server.simulator.tenant.now_ms()
        async with client(server, elicitation_callback=elicit) as mcp:
            result = await mcp.call_tool("executePolicy", RUN_MAC_123)
        data = result.structured_content
        assert result.is_error is False
        assert data is not None
        assert (data["status"], data["confirmedVia"]) == ("queued", "elicitation")
        assert len(elicit.messages) == 1
        assert (
            "Run policy 'Inventory on Request' (id 12) on 1 computer: MAC-123"
            in (elicit.messages[0])
        )
        assert "check-in frequency is every 15 minutes" in elicit.messages[0]
        assert group_members(server, ON_REQUEST) == {123}
        assert server.simulator.tenant.mdm.blank_pushes == []  # it would not run a policy

        server.simulator.tick(CHECK_IN)

        assert runs_since(server, 123, ON_REQUEST, before) == 1
        [record] = await audit(server)
        assert record.approval.actor.subject == "alice"
        assert record.approval.channel.value == "elicitation"
        assert record.approval.client.name == "mcp"  # the official client's clientInfo
        assert record.status.value == "queued"


@pytest.mark.parametrize(
    ("action", "confirm"), [("decline", False), ("cancel", False), ("accept", False)]
)
async def test_a_declined_elicitation_sends_nothing_to_jamf(
    data_dir: Path, action: str, confirm: bool
) -> None:
    async with serving(data_dir) as server:
        writes = server.writes()
        async with client(server, elicitation_callback=Elicitations(action, confirm)) as mcp:
            result = await mcp.call_tool("executePolicy", RUN_MAC_123)
        assert result.structured_content is not None
        assert result.structured_content["status"] == "declined"
        assert "nothing was done" in result.content[0].text  # type: ignore[union-attr]
        assert server.writes() == writes
        assert group_members(server, ON_REQUEST) == set()
        [record] = await audit(server)
        answered = {"decline": "declined", "cancel": "cancelled", "accept": "declined"}
        assert [e.kind.value for e in record.events] == ["requested", answered[action]]


TOKENS = ActionSettings(confirmation_fallback="token")
"""The operator's opt-in to the model-held token (JAMF_MCP_CONFIRMATION_FALLBACK=token, ADR 0034)."""


async def test_the_two_step_token_runs_once_and_refuses_replay_forgery_other_arguments_and_users(
    data_dir: Path,
) -> None:
    async with (
        serving(data_dir, actions=TOKENS) as server,
        client(server) as alice,
        client(server, "carol") as carol,
    ):
        first = await alice.call_tool("executePolicy", RUN_MAC_123)
        assert first.structured_content is not None
        assert first.structured_content["status"] == "confirmation_required"
        assert "ask" in first.content[0].text  # type: ignore[union-attr]
        assert server.writes() == 0
        token = first.structured_content["confirmationToken"]

        other_args = await alice.call_tool(
            "executePolicy", {**RUN_MAC_123, "deviceIdentifier": "124", "confirmationToken": token}
        )
        other_user = await carol.call_tool(
            "executePolicy", {**RUN_MAC_123, "confirmationToken": token}
        )
        forged = await alice.call_tool(
            "executePolicy", {**RUN_MAC_123, "confirmationToken": token[:-4] + "AAAA"}
        )
        assert [r.is_error for r in (other_args, other_user, forged)] == [True, True, True]
        assert "different arguments" in other_args.content[0].text  # type: ignore[union-attr]
        assert "different sign-in" in other_user.content[0].text  # type: ignore[union-attr]
        assert "not recognised" in forged.content[0].text  # type: ignore[union-attr]
        assert server.writes() == 0

        done = await alice.call_tool("executePolicy", {**RUN_MAC_123, "confirmationToken": token})
        assert done.structured_content is not None
        assert (done.structured_content["status"], done.structured_content["confirmedVia"]) == (
            "queued",
            "token",
        )
        writes = server.writes()
        replay = await alice.call_tool("executePolicy", {**RUN_MAC_123, "confirmationToken": token})
        assert replay.is_error is True
        assert "already been used" in replay.content[0].text  # type: ignore[union-attr]
        assert server.writes() == writes
        forged_record, record = sorted(
            await audit(server), key=lambda r: r.record_id == audit_record_id(token)
        )
        assert forged_record.state == "refused"
        assert [
            (e.kind.value, e.reason and e.reason.value, e.actor.subject) for e in record.events
        ] == [
            ("requested", None, "alice"),
            ("refused", "other_arguments", "alice"),
            ("refused", "wrong_user", "carol"),
            ("approved", None, "alice"),
            ("outcome", None, "alice"),
            ("refused", "replay", "alice"),
        ]


async def test_a_token_is_refused_after_it_expires(data_dir: Path) -> None:
    clock = FixedClock(datetime.now(UTC))
    async with serving(data_dir, clock=clock, actions=TOKENS) as server, client(server) as alice:
        first = await alice.call_tool("executePolicy", RUN_MAC_123)
        assert first.structured_content is not None
        token = first.structured_content["confirmationToken"]
        clock.advance(timedelta(minutes=5, seconds=1))

        late = await alice.call_tool("executePolicy", {**RUN_MAC_123, "confirmationToken": token})

        assert late.is_error is True
        assert "expired" in late.content[0].text  # type: ignore[union-attr]
        assert server.writes() == 0


def on_request() -> ActionSettings:
    """The inventory policy an on-demand inventory needs: Ongoing recon (docs/configuration.md)."""
    return ActionSettings(inventory_policy="Inventory on Request")


async def test_inventory_of_200_devices_reports_progress_in_order_and_every_device(
    data_dir: Path,
) -> None:
    async with serving(data_dir, computers=200, latency_ms=5, actions=on_request()) as server:
        updates: list[tuple[float, float | None, str | None]] = []

        async def progress(value: float, total: float | None, message: str | None) -> None:
            updates.append((value, total, message))

        async with client(server, elicitation_callback=Elicitations()) as mcp:
            result = await mcp.call_tool(
                "updateInventory", {"allDevices": True}, progress_callback=progress
            )
        data = result.structured_content
        assert data is not None
        devices = data["totalDevices"]
        assert devices >= 190
        assert data["status"] == "queued"
        assert data["counts"]["queued"] == devices
        values = [value for value, _, _ in updates]
        assert values == sorted(values) and len(set(values)) == len(values)
        assert values[-1] == devices
        assert {total for _, total, _ in updates} == {devices}
        assert updates[-1][2] is not None and updates[-1][2].startswith(f"{devices}/{devices} ")
        assert len(group_members(server, ON_REQUEST)) == devices


async def test_cancelling_a_bulk_update_midway_stops_it_and_the_audit_shows_what_was_done(
    data_dir: Path,
) -> None:
    async with serving(data_dir, computers=200, latency_ms=30, actions=on_request()) as server:
        seen = 0
        async with client(server, elicitation_callback=Elicitations()) as mcp:
            with anyio.CancelScope() as scope:

                async def progress(value: float, total: float | None, message: str | None) -> None:
                    nonlocal seen
                    seen += 1
                    if seen == 5:
                        scope.cancel()

                await mcp.call_tool(
                    "updateInventory", {"allDevices": True}, progress_callback=progress
                )
            assert scope.cancel_called
            with anyio.fail_after(15):
                while not (records := await audit(server)) or not records[0].outcomes:
                    await anyio.sleep(0.1)
        outcome = records[0].outcomes[-1]
        statuses = [r.status.value for r in outcome.results]
        assert outcome.status.value == "partially_completed"
        assert 0 < statuses.count("queued") < len(statuses)
        assert statuses.count("not_sent") > 0
        queued = {int(r.target_id) for r in outcome.results if r.status.value == "queued"}
        not_sent = {int(r.target_id) for r in outcome.results if r.status.value == "not_sent"}
        members = group_members(server, ON_REQUEST)
        assert queued <= members
        assert not_sent.isdisjoint(members)


async def test_jamf_faults_during_a_bulk_update_are_reported_per_device(data_dir: Path) -> None:
    async with serving(data_dir, computers=200, actions=on_request()) as server:
        route = "PUT /JSSResource/computergroups/id/{group_id}"
        server.simulator.faults.route_fault_rates[route] = {503: 0.25}
        async with client(server, elicitation_callback=Elicitations()) as mcp:
            result = await mcp.call_tool("updateInventory", {"allDevices": True})
        data = result.structured_content
        assert data is not None
        assert data["status"] == "partially_completed"
        failed = [d for d in data["devices"] if d["status"] == "failed"]
        assert failed and len(failed) == data["counts"]["failed"]
        assert all("503" in d["detail"] for d in failed)
        members = group_members(server, ON_REQUEST)
        assert all(int(d["id"]) not in members for d in failed)
        assert data["counts"]["queued"] == len(members)
        assert "failed" in result.content[0].text  # type: ignore[union-attr]


async def test_a_once_per_computer_policy_that_already_ran_is_explained_and_reruns_only_by_flush(
    data_dir: Path,
) -> None:
    run_office = {"policyName": "Office 365", "deviceIdentifier": "MAC-123"}
    async with serving(data_dir) as server:
        tenant = server.simulator.tenant
        writes = server.writes()
        async with client(server, elicitation_callback=(elicit := Elicitations())) as mcp:
            refused = await mcp.call_tool("executePolicy", run_office)
            assert refused.is_error is True
            text = refused.content[0].text  # type: ignore[union-attr]
            assert "Nothing was done" in text
            assert "'Office 365' (Once per computer) already ran there on" in text
            assert "(Completed)" in text
            assert "flushComputerPolicyLogs: true" in text
            assert elicit.messages == [] and server.writes() == writes

            flushed_from = tenant.now_ms()
            done = await mcp.call_tool(
                "executePolicy", {**run_office, "flushComputerPolicyLogs": True}
            )
        assert done.structured_content is not None
        assert done.structured_content["status"] == "queued"
        [asked] = elicit.messages
        assert "First ALL policy logs of 1 computer (MAC-123" in asked
        assert "every once-per policy in their scope runs again, not only this one" in asked
        assert "'Office 365'" in asked and "'Update Inventory'" in asked  # its log, listed
        # the documented computer-wide flush: every log older than it is gone (a check-in since
        # may already have run the once-per policies again: the side effect that was confirmed)
        assert all(log.completed_ms >= flushed_from for log in tenant.policy_logs[123])
        assert tenant.policy_logs[124]  # and only that computer's
        server.simulator.tick(CHECK_IN)
        assert runs_since(server, 123, OFFICE, flushed_from) == 1  # once again, and only once


async def test_a_queued_run_is_cleaned_up_after_it_ran_and_reported_by_get_action_status(
    data_dir: Path,
) -> None:
    fast = ActionSettings(inventory_policy="Inventory on Request", reconcile_seconds=0.1)
    async with serving(data_dir, actions=fast) as server:
        tenant = server.simulator.tenant
        server.simulator.tick(0)  # every due Mac checks in now, so MAC-123's next one is ahead
        run = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
        async with client(server, elicitation_callback=Elicitations()) as mcp:
            queued = await mcp.call_tool("executePolicy", run)
            assert queued.structured_content is not None
            record = queued.structured_content["auditRecordId"]
            assert group_members(server, ON_REQUEST) == {123}
            scope = tenant.policies[ON_REQUEST]["scope"]["computer_groups"]
            assert len(scope) == 1  # the dedicated group joined the empty scope

            pending = await mcp.call_tool("getActionStatus", {"auditRecordId": record})
            assert pending.structured_content is not None
            assert pending.structured_content["counts"]["queued"] == 1

            server.simulator.tick(CHECK_IN)  # MAC-123 checks in and runs the Ongoing policy once
            with anyio.fail_after(20):
                while group_members(server, ON_REQUEST) or scope_of(server, ON_REQUEST):
                    await anyio.sleep(0.05)
            status = await mcp.call_tool("getActionStatus", {"auditRecordId": record})
        assert status.structured_content is not None
        [device] = status.structured_content["devices"]
        assert (device["name"], device["state"]) == ("MAC-123", "ran")
        before = tenant.now_ms()
        server.simulator.tick(CHECK_IN)  # no longer in scope: the Ongoing policy stops
        assert runs_since(server, 123, ON_REQUEST, before) == 0


def scope_of(server: InProcessServer, policy_id: int) -> list[Any]:
    return list(server.simulator.tenant.policies[policy_id]["scope"]["computer_groups"])
