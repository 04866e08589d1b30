"""The `PolicyRunner` contract, run against the in-memory fake and the Jamf adapter (simulator).

The cases follow the port's promises (`application/ports.py`): one dedicated group per policy,
made once; membership judged from the group as read; ids checked before anything is sent; unknown
policies, groups and computers refused.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from jamf_mcp.adapters.memory import InMemoryPolicyRunner
from jamf_mcp.application.ports import PolicyRunner
from jamf_mcp.domain.errors import InvalidRequest, JamfRequestRejected, PolicyNotFound
from jamf_mcp.simulator import JamfSimulator
from tests.contract.jamf_ports import JAMF_BACKENDS, jamf_ports, small_tenant

SOFTWARE_UPDATE = 45
UNKNOWN_COMPUTER = "99999"


@pytest.fixture
def sim() -> JamfSimulator:
    return small_tenant()


@pytest.fixture(params=JAMF_BACKENDS)
async def runner(request: pytest.FixtureRequest, sim: JamfSimulator) -> AsyncIterator[PolicyRunner]:
    if request.param == "memory":
        yield InMemoryPolicyRunner(
            policies=set(sim.tenant.policies),
            computers={str(cid) for cid in sim.tenant.computers_by_id},
        )
        return
    async with jamf_ports(sim) as ports:
        yield ports.policy_runner


async def test_the_dedicated_group_is_made_once_and_starts_empty(runner: PolicyRunner) -> None:
    first = await runner.scope_group(SOFTWARE_UPDATE)
    second = await runner.scope_group(SOFTWARE_UPDATE)
    assert first.group_id == second.group_id
    assert (first.policy_id, first.members) == (SOFTWARE_UPDATE, frozenset())
    assert first.name == f"jamf-mcp: policy {SOFTWARE_UPDATE}"
    other = await runner.scope_group(1)
    assert other.group_id != first.group_id


async def test_a_policy_that_does_not_exist_has_no_group_and_no_scope(
    runner: PolicyRunner,
) -> None:
    with pytest.raises(PolicyNotFound):
        await runner.scope_group(987654)
    with pytest.raises(PolicyNotFound):
        await runner.release_scope(987654, "1")


async def test_adding_reports_what_was_added_and_what_was_a_member_already(
    runner: PolicyRunner,
) -> None:
    group = await runner.scope_group(SOFTWARE_UPDATE)
    first = await runner.add_to_group(group, ["12", "7", "12"])
    assert (first.group_id, first.added, first.already_members) == (group.group_id, ("12", "7"), ())
    assert await runner.group_members(group.group_id) == {"7", "12"}

    again = await runner.scope_group(SOFTWARE_UPDATE)
    assert again.members == {"7", "12"}
    second = await runner.add_to_group(again, ["7", "3"])
    assert (second.added, second.already_members) == (("3",), ("7",))
    assert await runner.group_members(group.group_id) == {"3", "7", "12"}


async def test_nothing_is_added_when_every_computer_is_a_member(runner: PolicyRunner) -> None:
    group = await runner.scope_group(SOFTWARE_UPDATE)
    await runner.add_to_group(group, ["5"])
    change = await runner.add_to_group(await runner.scope_group(SOFTWARE_UPDATE), ["5"])
    assert (change.added, change.already_members) == ((), ("5",))


async def test_removing_takes_members_out_and_ignores_non_members(runner: PolicyRunner) -> None:
    group = await runner.scope_group(SOFTWARE_UPDATE)
    await runner.add_to_group(group, ["5", "6"])
    await runner.remove_from_group(group.group_id, ["5", "8"])
    assert await runner.group_members(group.group_id) == {"6"}
    await runner.remove_from_group(group.group_id, [])
    assert await runner.group_members(group.group_id) == {"6"}


@pytest.mark.parametrize("bad", ["MAC-1", "", "1</id><id>2", "\u0663", "-4"])
async def test_an_id_that_is_not_a_jamf_number_is_refused_before_anything_is_sent(
    runner: PolicyRunner, bad: str
) -> None:
    group = await runner.scope_group(SOFTWARE_UPDATE)
    with pytest.raises(InvalidRequest):
        await runner.add_to_group(group, ["5", bad])
    with pytest.raises(InvalidRequest):
        await runner.flush_computer_logs([bad])
    with pytest.raises(InvalidRequest):
        await runner.remove_from_group(group.group_id, [bad])
    assert await runner.group_members(group.group_id) == frozenset()


async def test_a_computer_jamf_does_not_know_is_refused(runner: PolicyRunner) -> None:
    group = await runner.scope_group(SOFTWARE_UPDATE)
    with pytest.raises(JamfRequestRejected):
        await runner.add_to_group(group, [UNKNOWN_COMPUTER])
    with pytest.raises(JamfRequestRejected):
        await runner.flush_computer_logs([UNKNOWN_COMPUTER])
    assert await runner.group_members(group.group_id) == frozenset()


async def test_a_group_jamf_does_not_know_has_no_members_to_read(runner: PolicyRunner) -> None:
    with pytest.raises(JamfRequestRejected):
        await runner.group_members("987654")


async def test_releasing_the_scope_is_idempotent_and_the_group_can_come_back(
    runner: PolicyRunner,
) -> None:
    group = await runner.scope_group(SOFTWARE_UPDATE)
    await runner.release_scope(SOFTWARE_UPDATE, group.group_id)
    await runner.release_scope(SOFTWARE_UPDATE, group.group_id)
    back = await runner.scope_group(SOFTWARE_UPDATE)
    assert back.group_id == group.group_id


async def test_flushing_known_computers_succeeds_and_flushing_none_sends_nothing(
    runner: PolicyRunner,
) -> None:
    await runner.flush_computer_logs(["5", "6", "5"])
    await runner.flush_computer_logs([])
