"""Mobile inventory updates against the simulator's Classic `mobiledevicecommands` route."""

from __future__ import annotations

import pytest

from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import (
    DeviceNotFound,
    InvalidRequest,
    JamfOutcomeUnknown,
    JamfPermissionDenied,
    JamfUnavailable,
)
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from jamf_mcp.simulator.records import MobileRecord
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on, sim_connection

ROUTE = "POST /JSSResource/mobiledevicecommands/command/UpdateInventory/id/{device_id}"
DAY_MS = 86_400_000


@pytest.fixture
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=200, now=NOW))


def _mobile(sim: JamfSimulator, *, reachable: bool) -> MobileRecord:
    start = sim.tenant.start_ms
    return next(
        m
        for m in sim.tenant.mobiles
        if (m.managed and start - m.last_contact < DAY_MS) is reachable
    )


async def test_an_inventory_request_is_answered_at_the_next_tick_and_bumps_the_inventory_time(
    sim: JamfSimulator,
) -> None:
    mobile = _mobile(sim, reachable=True)
    before = mobile.last_inventory
    async with jamf_on(sim) as (ports, _, recorder):
        await ports.mobile_inventory.request_update(str(mobile.id))
        assert mobile.last_inventory == before  # nothing happens until the device answers
        report = sim.tick(1)
        device = await ports.inventory.get(DeviceKind.MOBILE, str(mobile.id))
    [sent] = [r for r in recorder.requests if r.method == "POST" and "mobiledevice" in r.url.path]
    assert sent.url.path == (
        f"/JSSResource/mobiledevicecommands/command/UpdateInventory/id/{mobile.id}"
    )
    assert report.inventory_updates == 1
    assert mobile.last_inventory == mobile.last_contact == report.now_ms
    assert device.last_inventory is not None
    assert int(device.last_inventory.timestamp() * 1000) == report.now_ms


async def test_an_unreachable_device_leaves_its_request_pending(sim: JamfSimulator) -> None:
    mobile = _mobile(sim, reachable=False)
    before = mobile.last_inventory
    async with jamf_on(sim) as (ports, _, _):
        await ports.mobile_inventory.request_update(str(mobile.id))
    assert sim.tick(1).inventory_updates == 0
    assert mobile.last_inventory == before
    assert [r.state for r in sim.tenant.mdm.inventory_requests] == ["PENDING"]


async def test_an_unknown_mobile_device_is_device_not_found(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(DeviceNotFound):
            await ports.mobile_inventory.request_update("987654")
    assert sim.tenant.mdm.inventory_requests == []


async def test_an_id_that_is_not_a_number_is_refused_before_anything_is_sent(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        with pytest.raises(InvalidRequest):
            await ports.mobile_inventory.request_update("5/../../computercommands")
    assert recorder.requests == []


@pytest.mark.parametrize("status", [500, 504])
async def test_a_request_answered_500_or_504_is_an_unknown_outcome_and_sent_once(
    sim: JamfSimulator, status: int
) -> None:
    sim.faults.route_fault_rates[ROUTE] = {status: 1.0}
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(JamfOutcomeUnknown):
            await ports.mobile_inventory.request_update(str(_mobile(sim, reachable=True).id))
    assert sim.stats.requests[ROUTE] == 1


async def test_a_request_turned_away_with_503_is_unavailable_and_sent_once(
    sim: JamfSimulator,
) -> None:
    sim.faults.route_fault_rates[ROUTE] = {503: 1.0}
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(JamfUnavailable) as caught:
            await ports.mobile_inventory.request_update(str(_mobile(sim, reachable=True).id))
    assert not isinstance(caught.value, JamfOutcomeUnknown)
    assert sim.stats.requests[ROUTE] == 1


async def test_a_missing_privilege_names_the_inventory_request_privilege(
    sim: JamfSimulator,
) -> None:
    sim.add_api_client("reader", "reader-secret", frozenset({"Read Mobile Devices"}))
    reader = sim_connection(client_id="reader", client_secret="reader-secret")
    async with jamf_on(sim, connection=reader) as (ports, _, _):
        with pytest.raises(JamfPermissionDenied) as caught:
            await ports.mobile_inventory.request_update(str(_mobile(sim, reachable=True).id))
    assert caught.value.privilege == "Send Inventory Requests to Mobile Devices"
