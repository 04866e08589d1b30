"""The policy runner against the simulator: dedicated scope group, log flush and blank push."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest

from jamf_mcp.adapters.jamf_rest import JamfHttp, JamfPolicyRunner, RetryPolicy
from jamf_mcp.application.ports import PolicyRunner
from jamf_mcp.domain.errors import (
    InvalidRequest,
    JamfOutcomeUnknown,
    JamfRequestRejected,
    PolicyNotFound,
)
from jamf_mcp.domain.jamf_operations import ScopeChange, ScopeGroup
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, SIM_URL, jamf_on, sim_connection

SOFTWARE_UPDATE = 45
MAC = "123"


async def _into_scope(runner: PolicyRunner, policy_id: int, ids: list[str]) -> ScopeChange:
    """What the use cases do: the policy's dedicated group, then the computers into it."""
    return await runner.add_to_group(await runner.scope_group(policy_id), ids)


@pytest.fixture
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=200, now=NOW))


def _writes(sim: JamfSimulator, method: str, path_prefix: str) -> int:
    return sum(
        count
        for key, count in sim.stats.requests.items()
        if key.startswith(f"{method} {path_prefix}")
    )


def _policy_runs(sim: JamfSimulator, computer_id: str, policy_id: int) -> list[int]:
    rec = sim.tenant.computers_by_id[int(computer_id)]
    return [log.completed_ms for log in sim.tenant.history_of(rec) if log.policy_id == policy_id]


def _ids(entries: list[dict[str, Any]]) -> list[int]:
    return [int(entry["id"]) for entry in entries]


async def test_the_dedicated_group_is_created_once_and_reused_on_a_second_call(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, _):
        first = await _into_scope(ports.policy_runner, SOFTWARE_UPDATE, [MAC])
        second = await _into_scope(ports.policy_runner, SOFTWARE_UPDATE, [MAC])
    assert first.group_id == second.group_id
    assert sim.tenant.groups[int(first.group_id)].name == "jamf-mcp: policy 45"
    assert _writes(sim, "POST", "/JSSResource/computergroups") == 1
    assert _writes(sim, "PUT", "/JSSResource/policies") == 1
    scope_groups = sim.tenant.policies[SOFTWARE_UPDATE]["scope"]["computer_groups"]
    assert _ids(scope_groups) == [int(first.group_id)]


async def test_the_policys_existing_scope_entries_survive_adding_the_group(
    sim: JamfSimulator,
) -> None:
    policy = sim.tenant.policies[10]
    scope = policy["scope"]
    scope["computers"] = [{"id": 5, "name": sim.tenant.computers_by_id[5].name}]
    scope["departments"] = [{"id": 2, "name": "Sales"}]
    scope["exclusions"]["computers"] = [{"id": 7, "name": sim.tenant.computers_by_id[7].name}]
    scope["all_jss_users"] = True
    before = copy.deepcopy(scope)
    async with jamf_on(sim) as (ports, _, _):
        change = await _into_scope(ports.policy_runner, 10, [MAC])
        await _into_scope(ports.policy_runner, SOFTWARE_UPDATE, [MAC])
    after = sim.tenant.policies[10]["scope"]
    assert _ids(after["computer_groups"]) == [
        *_ids(before["computer_groups"]),
        int(change.group_id),
    ]
    assert _ids(after["computers"]) == [5]
    assert _ids(after["departments"]) == [2]
    assert _ids(after["exclusions"]["computers"]) == [7]
    assert after["all_jss_users"] is True
    assert after["all_computers"] is False
    assert sim.tenant.policies[SOFTWARE_UPDATE]["scope"]["all_computers"] is True


async def test_computers_already_in_the_group_are_not_added_again(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        first = await _into_scope(ports.policy_runner, SOFTWARE_UPDATE, [MAC])
        second = await _into_scope(ports.policy_runner, SOFTWARE_UPDATE, [MAC, "124", "124"])
        third = await _into_scope(ports.policy_runner, SOFTWARE_UPDATE, ["124", MAC])
    assert (first.added, first.already_members) == ((MAC,), ())
    assert (second.added, second.already_members) == (("124",), (MAC,))
    assert (third.added, third.already_members) == ((), ("124", MAC))
    assert _writes(sim, "PUT", "/JSSResource/computergroups") == 2
    assert sim.tenant.groups[int(first.group_id)].members == {123, 124}


CHECK_IN = 15 * 60
"""The demo tenant's check-in frequency (GET /api/v3/check-in → checkInFrequency 15)."""


async def test_the_policy_runs_at_the_next_check_in_and_again_after_the_computer_flush(
    sim: JamfSimulator,
) -> None:
    sim.tenant.policies[SOFTWARE_UPDATE]["scope"]["all_computers"] = False
    outside_before = _policy_runs(sim, "124", SOFTWARE_UPDATE)
    async with jamf_on(sim) as (ports, _, _):
        runner = ports.policy_runner
        await _into_scope(runner, SOFTWARE_UPDATE, [MAC])
        sim.tick(CHECK_IN)
        runs = _policy_runs(sim, MAC, SOFTWARE_UPDATE)
        assert len(runs) == 2  # the seeded run of yesterday, and today's

        sim.tick(CHECK_IN)
        assert _policy_runs(sim, MAC, SOFTWARE_UPDATE) == runs  # "Once every day"

        await runner.flush_computer_logs([MAC])
        assert _policy_runs(sim, MAC, SOFTWARE_UPDATE) == []
        sim.tick(CHECK_IN)
        assert len(_policy_runs(sim, MAC, SOFTWARE_UPDATE)) == 1
        assert _policy_runs(sim, MAC, SOFTWARE_UPDATE)[0] > runs[-1]
    assert _policy_runs(sim, "124", SOFTWARE_UPDATE) == outside_before  # not in the group


async def test_the_flush_uses_jamfs_documented_computer_form_and_only_those_computers(
    sim: JamfSimulator,
) -> None:
    # developer.jamf.com, "Flushes a log specified in an XML file": "The ability to flush logs
    # is currently only supported for flushing all logs for a given policy or all logs for a
    # given computer. There is no support for flushing logs for a given policy and computer
    # combination." Sample: <logflush><log>policy</log><interval>THREE MONTHS</interval>
    # <computers><computer><id>1</id></computer>...</computers></logflush>
    others_before = _policy_runs(sim, "124", SOFTWARE_UPDATE)
    async with jamf_on(sim) as (ports, _, recorder):
        await ports.policy_runner.flush_computer_logs([MAC])
    [sent] = [r for r in recorder.requests if r.url.path == "/JSSResource/logflush"]
    body = ET.fromstring(sent.content)
    assert sent.method == "DELETE"
    assert body.findtext("log") == "policy"
    assert body.find("log_id") is None
    assert body.findtext("interval") == "Zero Days"
    assert [c.findtext("id") for c in body.iter("computer")] == [MAC]
    assert sim.tenant.policy_logs[int(MAC)] == []
    assert _policy_runs(sim, "124", SOFTWARE_UPDATE) == others_before


async def test_a_finished_computer_leaves_the_group_and_an_empty_group_leaves_the_scope(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, _):
        runner = ports.policy_runner
        change = await _into_scope(runner, SOFTWARE_UPDATE, [MAC, "124"])
        await runner.remove_from_group(change.group_id, [MAC])
        assert await runner.group_members(change.group_id) == {"124"}
        await runner.remove_from_group(change.group_id, ["124"])
        await runner.release_scope(SOFTWARE_UPDATE, change.group_id)
        await runner.release_scope(SOFTWARE_UPDATE, change.group_id)  # idempotent: no write
    groups = sim.tenant.policies[SOFTWARE_UPDATE]["scope"]["computer_groups"]
    assert all(int(g["id"]) != int(change.group_id) for g in groups)
    assert sim.tenant.policies[SOFTWARE_UPDATE]["scope"]["all_computers"] is True  # kept
    assert _writes(sim, "PUT", "/JSSResource/policies") == 2  # added once, released once


async def test_an_unknown_policy_is_policy_not_found_and_nothing_is_written(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(PolicyNotFound):
            await _into_scope(ports.policy_runner, 987654, [MAC])
    assert _writes(sim, "POST", "/JSSResource") == 0
    assert _writes(sim, "PUT", "/JSSResource") == 0


async def test_a_computer_id_that_is_not_a_number_is_refused_before_anything_is_sent(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        with pytest.raises(InvalidRequest):
            await ports.policy_runner.add_to_group(ScopeGroup(45, "7"), ["1</id><id>2"])
    assert recorder.requests == []


async def test_a_flush_answered_with_500_is_not_sent_again() -> None:
    sent: list[httpx.Request] = []

    def failing(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500, text="<html>error</html>")

    client = httpx.AsyncClient(base_url=SIM_URL, transport=httpx.MockTransport(failing))
    async with client:
        http = JamfHttp(client, sim_connection(), retry=RetryPolicy.immediate(4))
        with pytest.raises(JamfOutcomeUnknown):
            await JamfPolicyRunner(http).flush_computer_logs(["7"])
    assert [r.method for r in sent] == ["DELETE"]


async def test_the_scope_group_names_the_policy_the_group_and_its_current_members(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, _):
        runner = ports.policy_runner
        empty = await runner.scope_group(SOFTWARE_UPDATE)
        await runner.add_to_group(empty, [MAC, "124"])
        again = await runner.scope_group(SOFTWARE_UPDATE)
    name = "jamf-mcp: policy 45"
    assert empty == ScopeGroup(SOFTWARE_UPDATE, empty.group_id, frozenset(), name)
    assert again == ScopeGroup(SOFTWARE_UPDATE, empty.group_id, frozenset({MAC, "124"}), name)
    assert _writes(sim, "POST", "/JSSResource/computergroups") == 1
    assert _writes(sim, "PUT", "/JSSResource/policies") == 1


async def test_adding_to_the_group_sends_one_put_with_only_the_computers_not_yet_in_it(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        runner = ports.policy_runner
        group = await runner.scope_group(SOFTWARE_UPDATE)
        await runner.add_to_group(group, [MAC])
        group = await runner.scope_group(SOFTWARE_UPDATE)
        recorder.requests.clear()
        change = await runner.add_to_group(group, ["124", MAC, "125", "124"])
    [put] = [r for r in recorder.requests if r.method == "PUT"]
    assert put.url.path == f"/JSSResource/computergroups/id/{group.group_id}"
    body = put.content.decode()
    assert "<computer_additions>" in body
    assert "<id>124</id>" in body and "<id>125</id>" in body and "<id>123</id>" not in body
    assert (change.added, change.already_members) == (("124", "125"), (MAC,))
    assert sim.tenant.groups[int(group.group_id)].members == {123, 124, 125}


async def test_adding_only_members_sends_nothing(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        runner = ports.policy_runner
        group = await runner.scope_group(SOFTWARE_UPDATE)
        await runner.add_to_group(group, [MAC])
        group = await runner.scope_group(SOFTWARE_UPDATE)
        recorder.requests.clear()
        change = await runner.add_to_group(group, [MAC])
    assert recorder.requests == []
    assert (change.added, change.already_members) == ((), (MAC,))


async def test_group_members_reads_the_group_as_it_is_now(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        runner = ports.policy_runner
        group = await runner.scope_group(SOFTWARE_UPDATE)
        sim.tenant.groups[int(group.group_id)].members.add(77)  # changed in Jamf meanwhile
        assert await runner.group_members(group.group_id) == frozenset({"77"})


async def test_group_members_of_a_group_jamf_does_not_have_is_rejected(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        with pytest.raises(JamfRequestRejected, match="no computer group 9999"):
            await ports.policy_runner.group_members("9999")
        recorder.requests.clear()
        with pytest.raises(InvalidRequest):
            await ports.policy_runner.group_members("7/../../policies")
    assert recorder.requests == []


async def test_adding_a_computer_id_that_is_not_a_number_sends_nothing(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        group = await ports.policy_runner.scope_group(SOFTWARE_UPDATE)
        recorder.requests.clear()
        with pytest.raises(InvalidRequest):
            await ports.policy_runner.add_to_group(group, [MAC, "12; DROP"])
    assert recorder.requests == []
