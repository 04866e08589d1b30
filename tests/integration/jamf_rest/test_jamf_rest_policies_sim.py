"""The policy catalogue against the simulator's Classic `/JSSResource/policies`."""

from __future__ import annotations

import pytest

from jamf_mcp.domain.errors import PolicyNotFound
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on


@pytest.fixture(scope="module")
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=50, now=NOW))


async def test_lists_the_demo_policies_by_id_and_name(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        refs = await ports.policies.list_policies()
    assert {(r.policy_id, r.name) for r in refs} >= {
        (45, "Software Update"),
        (1, "Update Inventory"),
    }
    assert recorder.requests[-1].headers["Accept"] == "application/json"


async def test_reads_one_policy_in_full(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        policy = await ports.policies.get_policy(1)
    assert policy.name == "Update Inventory"
    assert policy.collects_inventory


async def test_an_unknown_policy_id_is_policy_not_found(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(PolicyNotFound):
            await ports.policies.get_policy(987654)


async def test_a_policy_is_read_by_its_exact_name_in_one_request(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        found = await ports.policies.policy_named("Software Update")
        missing = await ports.policies.policy_named("No Such Policy")
    assert found is not None and found.policy_id == 45
    assert missing is None
    sent = [r.url.raw_path.decode() for r in recorder.requests if "/policies/name/" in r.url.path]
    assert sent == [
        "/JSSResource/policies/name/Software%20Update",
        "/JSSResource/policies/name/No%20Such%20Policy",
    ]
