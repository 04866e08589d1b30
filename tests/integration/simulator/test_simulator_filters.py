"""RSQL filters over HTTP: compliance queries, lookups, and Jamf's 400 answers."""

from __future__ import annotations

import httpx

INVENTORY = "/api/v1/computers-inventory"


async def _ids(api: httpx.AsyncClient, filter_: str, path: str = INVENTORY) -> list[str]:
    response = await api.get(path, params={"filter": filter_, "page-size": 2000})
    assert response.status_code == 200, response.text
    return sorted((r["id"] for r in response.json()["results"]), key=int)


async def test_last_contact_before_a_date_finds_the_stale_macs(api: httpx.AsyncClient) -> None:
    stale = await _ids(api, "general.lastContactTime=lt=2026-07-21T10:00:00Z")
    assert len(stale) == 23
    v4 = await _ids(
        api, 'general.lastContact<"2026-07-21T10:00:00.000Z"', "/api/v4/computers-inventory"
    )
    assert v4 == stale


async def test_serial_and_asset_tag_lookups_find_one_mac(api: httpx.AsyncClient) -> None:
    detail = (await api.get("/api/v1/computers-inventory-detail/123")).json()
    serial = detail["hardware"]["serialNumber"]
    assert await _ids(api, f'hardware.serialNumber=="{serial}"') == ["123"]
    assert await _ids(api, 'general.assetTag=="mac-123"') == ["123"]


async def test_wildcards_and_or_combine(api: httpx.AsyncClient) -> None:
    found = await _ids(api, 'general.name=="Marketing-MBP" or general.name=="MAC-1*"')
    assert "1" in found and "123" in found


async def test_in_lists_work_on_ids(api: httpx.AsyncClient) -> None:
    assert await _ids(api, "id=in=(1,45,123)") == ["1", "45", "123"]


async def test_a_numeric_offset_date_is_rejected_with_jamfs_message(api: httpx.AsyncClient) -> None:
    response = await api.get(
        INVENTORY, params={"filter": 'general.reportDate>="2024-01-01T00:00:00+00:00"'}
    )
    assert response.status_code == 400
    assert "does not match any of supported formats" in response.json()["errors"][0]["description"]


async def test_a_field_outside_the_whitelist_is_a_400(api: httpx.AsyncClient) -> None:
    response = await api.get(INVENTORY, params={"filter": 'security.sipStatus=="DISABLED"'})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_FIELD"


async def test_a_syntax_error_is_a_400(api: httpx.AsyncClient) -> None:
    response = await api.get(INVENTORY, params={"filter": "general.name=="})
    assert response.status_code == 400
    assert response.json()["httpStatus"] == 400


async def test_booleans_filter_on_firewall_and_filevault(api: httpx.AsyncClient) -> None:
    off = await _ids(api, "security.firewallEnabled==false")
    unencrypted = await _ids(api, "operatingSystem.fileVault2Status==NOT_ENCRYPTED")
    assert 0 < len(off) < 120
    assert 0 < len(unencrypted) < 60


async def test_department_is_filtered_by_id(api: httpx.AsyncClient) -> None:
    sales = await _ids(api, 'userAndLocation.departmentId=="2"')
    assert "45" in sales
