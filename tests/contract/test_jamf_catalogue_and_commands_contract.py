"""The `PolicyCatalogue`, `MobileInventoryUpdates` and `ManagementCommands` contracts, run against
the in-memory fakes and the Jamf adapter over the simulator (same tenant, same cases)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import attrs
import pytest

from jamf_mcp.adapters.memory import (
    InMemoryManagementCommands,
    InMemoryMobileInventoryUpdates,
    InMemoryPolicyCatalogue,
)
from jamf_mcp.application.ports import ManagementCommands, MobileInventoryUpdates, PolicyCatalogue
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.errors import DeviceNotFound, JamfRequestRejected, PolicyNotFound
from jamf_mcp.simulator import JamfSimulator
from jamf_mcp.simulator.mdm_state import COMMAND_TYPES
from tests.contract.jamf_ports import JAMF_BACKENDS, jamf_ports, small_tenant, whole_fleet


@attrs.frozen
class Ports:
    """One backend's three ports over the tenant."""

    policies: PolicyCatalogue
    mobile: MobileInventoryUpdates
    commands: ManagementCommands


@pytest.fixture
def sim() -> JamfSimulator:
    return small_tenant()


@pytest.fixture
async def fleet(sim: JamfSimulator) -> list[Device]:
    async with jamf_ports(sim) as ports:
        return await whole_fleet(ports)


@pytest.fixture(params=JAMF_BACKENDS)
async def ports(
    request: pytest.FixtureRequest, sim: JamfSimulator, fleet: list[Device]
) -> AsyncIterator[Ports]:
    if request.param == "memory":
        async with jamf_ports(sim) as real:
            refs = await real.policies.list_policies()
            policies = [await real.policies.get_policy(ref.policy_id) for ref in refs]
        mobile_ids = {d.identity.jamf_id for d in fleet if d.kind is DeviceKind.MOBILE}
        yield Ports(
            InMemoryPolicyCatalogue.of(policies),
            InMemoryMobileInventoryUpdates(known=mobile_ids),
            InMemoryManagementCommands(
                command_types=frozenset(COMMAND_TYPES),
                devices=frozenset(
                    d.identity.management_id for d in fleet if d.identity.management_id
                ),
            ),
        )
        return
    async with jamf_ports(sim) as real:
        yield Ports(real.policies, real.mobile_inventory, real.commands)


async def test_policies_are_listed_in_id_order_and_each_reads_back_in_full(ports: Ports) -> None:
    refs = await ports.policies.list_policies()
    assert [r.policy_id for r in refs] == sorted(r.policy_id for r in refs)
    assert len(refs) > 3
    first = await ports.policies.get_policy(refs[0].policy_id)
    assert first.ref == refs[0]
    with pytest.raises(PolicyNotFound):
        await ports.policies.get_policy(987654)


async def test_a_policy_is_found_by_its_exact_name_only(ports: Ports) -> None:
    [*_, last] = await ports.policies.list_policies()
    found = await ports.policies.policy_named(last.name)
    assert found is not None and found.ref == last
    assert await ports.policies.policy_named(last.name + " (copy)") is None
    assert await ports.policies.policy_named("no such policy") is None


async def test_a_mobile_device_can_be_asked_for_inventory_and_an_unknown_one_is_not_found(
    ports: Ports, fleet: list[Device]
) -> None:
    phone = next(d for d in fleet if d.kind is DeviceKind.MOBILE)
    await ports.mobile.request_update(phone.identity.jamf_id)
    with pytest.raises(DeviceNotFound):
        await ports.mobile.request_update("99999")


async def test_each_device_gets_its_own_command_and_its_status_reads_back(
    ports: Ports, fleet: list[Device]
) -> None:
    macs = [d.identity.management_id for d in fleet if d.kind is DeviceKind.COMPUTER][:2]
    assert all(macs)
    refs = await ports.commands.send("RESTART_DEVICE", [m for m in macs if m], {})
    assert sorted(r.management_id for r in refs) == sorted(m for m in macs if m)
    assert len({r.uuid for r in refs}) == 2
    for ref in refs:
        status = await ports.commands.status(ref.uuid)
        assert status is not None
        assert (status.command_type, status.management_id) == ("RESTART_DEVICE", ref.management_id)
    assert await ports.commands.status("00000000-0000-0000-0000-000000000000") is None


async def test_an_unknown_command_type_or_device_is_refused(
    ports: Ports, fleet: list[Device]
) -> None:
    mac = next(d.identity.management_id for d in fleet if d.identity.management_id)
    assert mac is not None
    with pytest.raises(JamfRequestRejected):
        await ports.commands.send("NO_SUCH_COMMAND", [mac], {})
    with pytest.raises(JamfRequestRejected):
        await ports.commands.send("RESTART_DEVICE", ["00000000-dead-beef-0000-000000000000"], {})
