"""Mobile device endpoints: list, single, detail, sectioned detail with filters and sort."""

from __future__ import annotations

import httpx

DETAIL = "/api/v2/mobile-devices/detail"


async def test_the_list_is_paged_and_sorted_by_id(api: httpx.AsyncClient) -> None:
    body = (await api.get("/api/v2/mobile-devices", params={"page-size": 5})).json()
    assert body["totalCount"] == 150
    assert [d["id"] for d in body["results"]] == ["1", "2", "3", "4", "5"]
    assert body["results"][0]["type"] == "ios"


async def test_single_device_and_its_detail(api: httpx.AsyncClient) -> None:
    device = (await api.get("/api/v2/mobile-devices/12")).json()
    detail = (await api.get("/api/v2/mobile-devices/12/detail")).json()
    assert device["name"] == "John-Smith-iPhone" and device["username"] == "jsmith"
    assert detail["location"]["realName"] == "John Smith"
    assert detail["ios"]["model"].startswith("iPhone")
    assert (await api.get("/api/v2/mobile-devices/9999")).status_code == 404


async def test_sectioned_records_null_unrequested_sections(api: httpx.AsyncClient) -> None:
    body = (await api.get(DETAIL, params={"section": "GENERAL,HARDWARE", "page-size": 3})).json()
    record = body["results"][0]
    assert record["deviceType"] == "iOS" and "mobileDeviceId" in record
    assert record["hardware"]["serialNumber"] and record["userAndLocation"] is None
    names = [r["general"]["displayName"] for r in body["results"]]
    assert names == sorted(names, key=str.casefold)


async def test_sales_ipads_can_be_found_by_department_name(api: httpx.AsyncClient) -> None:
    response = await api.get(
        DETAIL,
        params={
            "filter": 'department=="Sales";model=="iPad*"',
            "section": "USER_AND_LOCATION",
            "page-size": 200,
        },
    )
    results = response.json()["results"]
    assert len(results) >= 5
    assert all(r["userAndLocation"]["department"] == "Sales" for r in results)
    assert {"2", "3", "4", "5", "6"} <= {r["mobileDeviceId"] for r in results}


async def test_mobile_filters_refuse_unknown_fields(api: httpx.AsyncClient) -> None:
    response = await api.get(DETAIL, params={"filter": 'general.displayName=="x"'})
    assert response.status_code == 400
