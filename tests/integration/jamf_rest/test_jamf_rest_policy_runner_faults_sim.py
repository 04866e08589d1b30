"""The policy runner's writes against a failing simulator: never resent, outcome known or not."""

from __future__ import annotations

import pytest

from jamf_mcp.application.ports import PolicyRunner
from jamf_mcp.domain.errors import JamfOutcomeUnknown, JamfUnavailable
from jamf_mcp.domain.jamf_operations import ScopeChange
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on, sim_connection

SOFTWARE_UPDATE = 45
MAC = "123"


async def _into_scope(runner: PolicyRunner, policy_id: int, ids: list[str]) -> ScopeChange:
    """What the use cases do: the policy's dedicated group, then the computers into it."""
    return await runner.add_to_group(await runner.scope_group(policy_id), ids)


GROUP_PUT = "PUT /JSSResource/computergroups/id/{group_id}"
GROUP_POST = "POST /JSSResource/computergroups/id/{group_id}"


@pytest.fixture
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=200, now=NOW))


def _writes(sim: JamfSimulator, method: str, path_prefix: str) -> int:
    return sum(
        count
        for key, count in sim.stats.requests.items()
        if key.startswith(f"{method} {path_prefix}")
    )


@pytest.mark.parametrize("status", [500, 504])
async def test_a_group_put_answered_500_or_504_is_an_unknown_outcome_and_sent_once(
    sim: JamfSimulator, status: int
) -> None:
    async with jamf_on(sim) as (ports, _, _):
        group = await ports.policy_runner.scope_group(SOFTWARE_UPDATE)
        sim.faults.route_fault_rates[GROUP_PUT] = {status: 1.0}
        with pytest.raises(JamfOutcomeUnknown) as caught:
            await ports.policy_runner.add_to_group(group, [MAC])
    assert sim.stats.requests[GROUP_PUT] == 1
    assert f"did not confirm PUT /JSSResource/computergroups/id/{group.group_id}" in (
        caught.value.message
    )


async def test_a_group_put_turned_away_with_503_is_unavailable_and_sent_once(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, _):
        group = await ports.policy_runner.scope_group(SOFTWARE_UPDATE)
        sim.faults.route_fault_rates[GROUP_PUT] = {503: 1.0}
        with pytest.raises(JamfUnavailable) as caught:
            await ports.policy_runner.add_to_group(group, [MAC])
    assert not isinstance(caught.value, JamfOutcomeUnknown)
    assert sim.stats.requests[GROUP_PUT] == 1
    assert sim.tenant.groups[int(group.group_id)].members == set()


@pytest.mark.parametrize("status", [500, 504])
async def test_creating_the_group_is_never_sent_twice_when_jamf_answers_500_or_504(
    sim: JamfSimulator, status: int
) -> None:
    sim.faults.route_fault_rates[GROUP_POST] = {status: 1.0}
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(JamfOutcomeUnknown):
            await _into_scope(ports.policy_runner, SOFTWARE_UPDATE, [MAC])
    assert sim.stats.requests[GROUP_POST] == 1
    assert _writes(sim, "PUT", "/JSSResource") == 0


async def test_a_group_put_applied_but_unanswered_is_unknown_and_the_members_tell_the_truth(
    sim: JamfSimulator,
) -> None:
    connection = sim_connection(timeout_seconds=0.2)
    async with jamf_on(sim, connection=connection) as (ports, _, _):
        runner = ports.policy_runner
        group = await runner.scope_group(SOFTWARE_UPDATE)
        sim.faults.route_delays_ms[GROUP_PUT] = 2000
        with pytest.raises(JamfOutcomeUnknown, match=r"no answer within 0\.2 s"):
            await runner.add_to_group(group, [MAC])
        sim.faults.route_delays_ms.clear()
        assert await runner.group_members(group.group_id) == frozenset({MAC})
    assert sim.stats.requests[GROUP_PUT] == 1
