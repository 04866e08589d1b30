"""MDM commands (queue, quirks, status, acknowledgement on tick) and blank pushes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jamf_mcp.simulator import JamfSimulator
from jamf_mcp.simulator.mobile_views import MobileRenderer
from jamf_mcp.simulator.records import MobileRecord
from tests.integration.simulator.sim_support import fetch_token, make_client

COMMANDS = "/api/v2/mdm/commands"
STALE_MAC = 1  # seeded as a Mac that stopped checking in


def _mac(sim: JamfSimulator, online: bool = True) -> str:
    rec = next(r for r in sim.tenant.computers if r.online is online and r.managed)
    return sim.tenant.facts.management_id(rec)


def _online_mobile(sim: JamfSimulator) -> MobileRecord:
    day_ms = 86_400_000
    return next(m for m in sim.tenant.mobiles if sim.tenant.start_ms - m.last_contact < day_ms)


def _mobile(sim: JamfSimulator) -> str:
    return MobileRenderer(sim.tenant).management_id(_online_mobile(sim))


def _body(management_id: str, command_type: str, **fields: Any) -> dict[str, Any]:
    return {
        "clientData": [{"managementId": management_id}],
        "commandData": {"commandType": command_type, **fields},
    }


async def _status(client: httpx.AsyncClient, uuid: str) -> dict[str, Any]:
    client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
    response = await client.get(COMMANDS, params={"filter": f'uuid=="{uuid}"'})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["totalCount"] == 1
    return dict(body["results"][0])


async def _send(client: httpx.AsyncClient, body: dict[str, Any]) -> str:
    response = await client.post(COMMANDS, json=body)
    assert response.status_code == 201, response.text
    return str(response.json()[0]["id"])


async def test_a_queued_command_answers_201_with_an_id_and_a_filter_href(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    response = await writer.post(COMMANDS, json=_body(_mac(sim), "RESTART_DEVICE"))
    assert response.status_code == 201
    [created] = response.json()
    assert set(created) == {"id", "href"}
    assert created["href"].endswith(f"/api/v2/mdm/commands?filter=uuid=={created['id']}")


async def test_the_status_of_a_new_command_is_pending_in_jamfs_shape(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    management_id = _mac(sim)
    uuid = await _send(writer, _body(management_id, "DEVICE_INFORMATION"))
    status = await _status(writer, uuid)
    assert status["commandState"] == "PENDING"
    assert status["commandType"] == "DEVICE_INFORMATION"
    assert status["client"] == {"managementId": management_id, "clientType": "COMPUTER"}
    assert status["dateCompleted"] is None and status["profileId"] is None
    assert status["dateSent"].endswith("Z")


async def test_a_tick_acknowledges_commands_of_online_devices_only(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    online = await _send(writer, _body(_mac(sim), "SECURITY_INFO"))
    stale_id = sim.tenant.facts.management_id(sim.tenant.computers_by_id[STALE_MAC])
    stale = await _send(writer, _body(stale_id, "SECURITY_INFO"))
    report = sim.tick(1)
    assert report.commands_acknowledged == 1
    acknowledged = await _status(writer, online)
    assert acknowledged["commandState"] == "ACKNOWLEDGED"
    assert acknowledged["dateCompleted"] is not None
    assert (await _status(writer, stale))["commandState"] == "PENDING"


async def test_settings_with_a_device_name_renames_the_device_on_acknowledgement(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    mac_id, mobile_id = _mac(sim), _mobile(sim)
    await _send(writer, _body(mac_id, "SETTINGS", deviceName="Renamed-Mac"))
    await _send(writer, _body(mobile_id, "SETTINGS", deviceName="Renamed-iPhone"))
    mac = next(r for r in sim.tenant.computers if sim.tenant.facts.management_id(r) == mac_id)
    assert mac.name != "Renamed-Mac"
    sim.tick(1)
    assert mac.name == "Renamed-Mac"
    assert _online_mobile(sim).name == "Renamed-iPhone"


async def test_the_status_list_filters_by_client_and_state(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    management_id = _mac(sim)
    for kind in ("PROFILE_LIST", "CERTIFICATE_LIST"):
        await _send(writer, _body(management_id, kind))
    rsql = f'clientManagementId=="{management_id}";status==PENDING;command==PROFILE_LIST'
    body = (await writer.get(COMMANDS, params={"filter": rsql})).json()
    assert body["totalCount"] == 1
    assert body["results"][0]["commandType"] == "PROFILE_LIST"


async def test_listing_commands_without_a_filter_is_refused(writer: httpx.AsyncClient) -> None:
    response = await writer.get(COMMANDS)
    assert response.status_code == 400
    assert response.json()["errors"][0]["description"] == (
        "All url must contain minimum one filter field"
    )


async def test_an_empty_body_answers_500_with_no_errors(writer: httpx.AsyncClient) -> None:
    response = await writer.post(COMMANDS, json={})
    assert response.status_code == 500
    assert response.json() == {"httpStatus": 500, "errors": []}


async def test_empty_client_data_answers_400_invalid_field(writer: httpx.AsyncClient) -> None:
    response = await writer.post(COMMANDS, json={"clientData": [], "commandData": {}})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_FIELD"


async def test_an_unknown_management_id_is_refused(writer: httpx.AsyncClient) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    response = await writer.post(COMMANDS, json=_body(unknown, "RESTART_DEVICE"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "clientData[0].managementId"


@pytest.mark.parametrize("command_type", ["UPDATE_INVENTORY", "BLANK_PUSH", "UNMANAGE_DEVICE"])
async def test_command_types_jamf_does_not_accept_are_unknown_type_ids(
    sim: JamfSimulator, writer: httpx.AsyncClient, command_type: str
) -> None:
    response = await writer.post(COMMANDS, json=_body(_mac(sim), command_type))
    assert response.status_code == 400
    description = response.json()["errors"][0]["description"]
    assert f"Could not resolve type id '{command_type}'" in description
    assert "known type ids = [APPLY_REDEMPTION_CODE, " in description
    assert not sim.tenant.mdm.commands


@pytest.mark.parametrize("pin", [None, "12345", "abcdef", 123456])
async def test_locking_a_mac_needs_a_six_digit_pin(
    sim: JamfSimulator, writer: httpx.AsyncClient, pin: object
) -> None:
    fields = {} if pin is None else {"pin": pin}
    response = await writer.post(COMMANDS, json=_body(_mac(sim), "DEVICE_LOCK", **fields))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "commandData.pin"


async def test_a_mac_locks_with_a_six_digit_pin_and_a_mobile_without_one(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    await _send(writer, _body(_mac(sim), "DEVICE_LOCK", pin="123456", message="Call IT"))
    await _send(writer, _body(_mobile(sim), "DEVICE_LOCK", message="Call IT"))


async def test_lost_mode_is_for_mobile_devices_only(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    body = _body(_mac(sim), "ENABLE_LOST_MODE", lostModeMessage="Lost")
    assert (await writer.post(COMMANDS, json=body)).status_code == 400
    await _send(writer, _body(_mobile(sim), "ENABLE_LOST_MODE", lostModeMessage="Lost"))


async def test_a_blank_push_reports_unknown_ids_and_is_recorded(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    known, unknown = _mac(sim), "not-a-device"
    response = await writer.post(
        "/api/v2/mdm/blank-push", json={"clientManagementIds": [known, unknown]}
    )
    assert response.status_code == 200
    assert response.json() == {"errorUuids": [unknown]}
    [push] = sim.tenant.mdm.blank_pushes
    assert push.management_ids == (known, unknown) and push.unknown_ids == (unknown,)


async def test_a_blank_push_without_a_list_is_refused(writer: httpx.AsyncClient) -> None:
    response = await writer.post("/api/v2/mdm/blank-push", json={"clientManagementIds": "x"})
    assert response.status_code == 400


async def test_a_blank_push_does_not_make_a_mac_check_in_early(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    # A blank push wakes the MDM channel; the jamf binary checks in on its own schedule
    # (GET /api/v3/check-in → checkInFrequency), which is what runs policies.
    online = [r for r in sim.tenant.computers if r.online and r.managed]
    pushed = online[0]
    sim.tick(sim.options.check_in_interval_seconds)  # everyone online checks in now
    checked_in_at = pushed.last_contact
    pushed_id = sim.tenant.facts.management_id(pushed)
    writer.headers["Authorization"] = f"Bearer {await fetch_token(writer)}"
    answer = await writer.post("/api/v2/mdm/blank-push", json={"clientManagementIds": [pushed_id]})
    assert answer.status_code == 200
    assert sim.tick(60).check_ins == 0
    assert pushed.last_contact == checked_in_at


async def test_a_blank_push_needs_its_privilege(sim: JamfSimulator) -> None:
    # Jamf Pro 11.30.1 /api/schema: POST /v2/mdm/blank-push x-required-privileges
    # ["View MDM command information in Jamf Pro API"].
    sim.add_api_client("reader", "reader-secret", frozenset({"Read Computers"}))
    async with make_client(sim) as client:
        client.headers["Authorization"] = (
            f"Bearer {await fetch_token(client, 'reader', 'reader-secret')}"
        )
        denied = await client.post("/api/v2/mdm/blank-push", json={"clientManagementIds": []})
    assert denied.status_code == 403
    assert denied.json()["httpStatus"] == 403
    assert sim.tenant.mdm.blank_pushes == []
