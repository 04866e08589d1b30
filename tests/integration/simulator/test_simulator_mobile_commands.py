"""The Classic mobile ``UpdateInventory`` command: its answer, queueing, and completion on tick."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx

from jamf_mcp.simulator import JamfSimulator
from jamf_mcp.simulator.clock import iso_ms
from jamf_mcp.simulator.mobile_views import MobileRenderer
from jamf_mcp.simulator.records import MobileRecord
from tests.integration.simulator.sim_support import fetch_token, make_client

DAY_MS = 86_400_000


def _path(device_id: object) -> str:
    return f"/JSSResource/mobiledevicecommands/command/UpdateInventory/id/{device_id}"


def _mobile(sim: JamfSimulator, *, reachable: bool) -> MobileRecord:
    start = sim.tenant.start_ms
    return next(
        m
        for m in sim.tenant.mobiles
        if (m.managed and start - m.last_contact < DAY_MS) is reachable
    )


async def test_the_command_answers_201_with_jamfs_command_document(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    mobile = _mobile(sim, reachable=True)
    response = await writer.post(_path(mobile.id))
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/xml")
    document = ET.fromstring(response.content)
    assert document.tag == "mobile_device_command"
    assert document.findtext("command") == "UpdateInventory"
    assert [e.text for e in document.iterfind("mobile_devices/mobile_device/id")] == [
        str(mobile.id)
    ]


async def test_a_tick_answers_the_request_and_bumps_inventory_and_contact_times(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    mobile = _mobile(sim, reachable=True)
    await writer.post(_path(mobile.id))
    [queued] = sim.tenant.mdm.inventory_requests
    assert (queued.device_id, queued.state) == (mobile.id, "PENDING")
    report = sim.tick(1)
    assert report.inventory_updates == 1
    assert (queued.state, queued.completed_ms) == ("ACKNOWLEDGED", report.now_ms)
    assert mobile.last_inventory == mobile.last_contact == report.now_ms
    detail = (await writer.get(f"/api/v2/mobile-devices/{mobile.id}/detail")).json()
    assert detail["lastInventoryUpdateTimestamp"] == iso_ms(report.now_ms)
    assert sim.tick(1).inventory_updates == 0  # answered once


async def test_an_unreachable_device_leaves_the_request_pending(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    mobile = _mobile(sim, reachable=False)
    before = mobile.last_inventory
    assert (await writer.post(_path(mobile.id))).status_code == 201
    assert sim.tick(1).inventory_updates == 0
    assert mobile.last_inventory == before
    assert sim.tenant.mdm.inventory_requests[0].state == "PENDING"


async def test_an_unknown_or_malformed_device_id_answers_a_404_page(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    for device_id in ("987654", "abc"):
        response = await writer.post(_path(device_id))
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
    assert sim.tenant.mdm.inventory_requests == []


async def test_the_command_needs_the_inventory_request_privilege(sim: JamfSimulator) -> None:
    sim.add_api_client("reader", "reader-secret", frozenset({"Read Mobile Devices"}))
    sim.add_api_client(
        "sender", "sender-secret", frozenset({"Send Inventory Requests to Mobile Devices"})
    )
    mobile = _mobile(sim, reachable=True)
    async with make_client(sim) as client:
        reader = await fetch_token(client, "reader", "reader-secret")
        refused = await client.post(_path(mobile.id), headers={"Authorization": f"Bearer {reader}"})
        sender = await fetch_token(client, "sender", "sender-secret")
        allowed = await client.post(_path(mobile.id), headers={"Authorization": f"Bearer {sender}"})
    assert refused.status_code == 403
    assert allowed.status_code == 201


async def test_the_classic_command_is_not_an_mdm_command_type_and_stays_out_of_that_queue(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    mobile = _mobile(sim, reachable=True)
    await writer.post(_path(mobile.id))
    assert sim.tenant.mdm.commands == []
    body = {
        "clientData": [{"managementId": MobileRenderer(sim.tenant).management_id(mobile)}],
        "commandData": {"commandType": "UPDATE_INVENTORY"},
    }
    response = await writer.post("/api/v2/mdm/commands", json=body)
    assert response.status_code == 400
