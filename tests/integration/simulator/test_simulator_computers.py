"""Computer inventory endpoints: sections, paging, sorting, versions, detail, PATCH, preview."""

from __future__ import annotations

import httpx

from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.simulator.sim_support import NOW, fetch_token, make_client

INVENTORY = "/api/v1/computers-inventory"


async def test_unrequested_sections_are_null_but_present(api: httpx.AsyncClient) -> None:
    body = (await api.get(INVENTORY, params={"page-size": 3})).json()
    record = body["results"][0]
    assert set(record) >= {
        "id",
        "udid",
        "general",
        "hardware",
        "security",
        "plugins",
        "groupMemberships",
    }
    assert record["general"] is not None
    assert (
        record["hardware"] is None and record["applications"] is None and record["security"] is None
    )


async def test_repeated_and_comma_joined_sections_are_the_same(api: httpx.AsyncClient) -> None:
    repeated = await api.get(
        INVENTORY, params=[("section", "GENERAL"), ("section", "HARDWARE"), ("page-size", 5)]
    )
    joined = await api.get(INVENTORY, params={"section": "GENERAL,HARDWARE", "page-size": 5})
    assert repeated.json() == joined.json()
    assert repeated.json()["results"][0]["hardware"]["make"] == "Apple"


async def test_an_unknown_section_is_a_400(api: httpx.AsyncClient) -> None:
    response = await api.get(INVENTORY, params={"section": "ALL"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_FIELD"


async def test_page_size_is_silently_clamped_to_2000() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=2500, now=NOW))
    async with make_client(sim) as client:
        client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
        body = (await client.get(INVENTORY, params={"page-size": 5000})).json()
    assert body["totalCount"] == 2500
    assert len(body["results"]) == 2000


async def test_a_page_past_the_end_is_empty_with_the_same_total(api: httpx.AsyncClient) -> None:
    body = (await api.get(INVENTORY, params={"page": 50, "page-size": 100})).json()
    assert body == {"totalCount": 500, "results": []}


async def test_pages_are_zero_based_and_do_not_overlap(api: httpx.AsyncClient) -> None:
    first = (await api.get(INVENTORY, params={"page": 0, "page-size": 250})).json()["results"]
    second = (await api.get(INVENTORY, params={"page": 1, "page-size": 250})).json()["results"]
    ids = [r["id"] for r in first + second]
    assert len(set(ids)) == 500


async def test_default_sort_is_by_name_ascending(api: httpx.AsyncClient) -> None:
    names = [
        r["general"]["name"]
        for r in (await api.get(INVENTORY, params={"page-size": 500})).json()["results"]
    ]
    assert names == sorted(names, key=str.casefold)


async def test_multi_key_sort_breaks_ties_by_id(api: httpx.AsyncClient) -> None:
    params: dict[str, str | int] = {
        "page-size": 500,
        "section": "GENERAL",
        "sort": "hardware.make:asc,general.reportDate:desc",
    }
    results = (await api.get(INVENTORY, params=params)).json()["results"]
    reports = [r["general"]["reportDate"] for r in results]
    assert reports == sorted(reports, reverse=True)
    by_make = (
        await api.get(INVENTORY, params={"page-size": 5, "sort": "hardware.make:asc"})
    ).json()["results"]
    assert [r["id"] for r in by_make] == ["1", "2", "3", "4", "5"]


async def test_an_unlisted_sort_field_is_a_400(api: httpx.AsyncClient) -> None:
    response = await api.get(INVENTORY, params={"sort": "security.sipStatus:asc"})
    assert response.status_code == 400


async def test_v4_renames_last_contact_and_drops_last_reported_ip(api: httpx.AsyncClient) -> None:
    v4 = (await api.get("/api/v4/computers-inventory", params={"page-size": 1})).json()["results"][
        0
    ]["general"]
    v1 = (await api.get(INVENTORY, params={"page-size": 1})).json()["results"][0]["general"]
    assert "lastContactTime" not in v4 and "lastReportedIp" not in v4
    assert v4["lastContact"] == v4["lastCheckIn"] == v1["lastContactTime"]
    refused = await api.get(
        "/api/v4/computers-inventory",
        params={"filter": 'general.lastContactTime<"2026-01-01T00:00:00Z"'},
    )
    assert refused.status_code == 400


async def test_v3_applications_carry_bundle_versions(api: httpx.AsyncClient) -> None:
    v3 = (
        await api.get(
            "/api/v3/computers-inventory", params={"section": "APPLICATIONS", "page-size": 1}
        )
    ).json()
    v1 = (await api.get(INVENTORY, params={"section": "APPLICATIONS", "page-size": 1})).json()
    assert "cfBundleVersion" in v3["results"][0]["applications"][0]
    assert "cfBundleVersion" not in v1["results"][0]["applications"][0]
    assert "plugins" not in v3["results"][0]


async def test_detail_has_every_section_and_general_only_has_general(
    api: httpx.AsyncClient,
) -> None:
    detail = (await api.get("/api/v1/computers-inventory-detail/77")).json()
    general = (await api.get("/api/v1/computers-inventory/77")).json()
    assert detail["hardware"]["model"] == "MacBook Pro (14-inch, M3, 2023)"
    assert detail["storage"]["disks"][0]["partitions"][0]["partitionType"] == "BOOT"
    assert detail["security"]["sipStatus"] == "ENABLED"
    assert len(detail["extensionAttributes"]) == 3
    assert general["general"]["name"] == "John-Smith-MacBook-Pro" and general["hardware"] is None


async def test_bad_and_unknown_ids_get_400_and_404(api: httpx.AsyncClient) -> None:
    bad = await api.get("/api/v1/computers-inventory-detail/abc")
    missing = await api.get("/api/v1/computers-inventory-detail/99999")
    assert bad.status_code == 400 and bad.json()["errors"][0]["code"] == "INVALID_ID"
    assert missing.status_code == 404 and missing.json()["httpStatus"] == 404


async def test_patch_v1_returns_the_record_and_v3_returns_204(writer: httpx.AsyncClient) -> None:
    v1 = await writer.patch(
        "/api/v1/computers-inventory-detail/5",
        json={
            "general": {"assetTag": "NEW-005"},
            "userAndLocation": {"departmentId": "6", "room": "B12"},
        },
    )
    assert v1.status_code == 200
    assert v1.json()["general"]["assetTag"] == "NEW-005"
    assert v1.json()["userAndLocation"]["departmentId"] == "6"
    v3 = await writer.patch(
        "/api/v3/computers-inventory-detail/5",
        json={
            "extensionAttributes": [{"definitionId": "3", "values": ["loaner"]}],
            "general": {"barcode1": "B1"},
        },
    )
    assert v3.status_code == 204 and v3.content == b""
    after = (await writer.get("/api/v3/computers-inventory-detail/5")).json()
    assert after["general"]["barcode1"] == "B1"
    assert after["extensionAttributes"][2]["values"] == ["loaner"]
    found = (await writer.get(INVENTORY, params={"filter": 'general.assetTag=="new-005"'})).json()
    assert [r["id"] for r in found["results"]] == ["5"]


async def test_patch_rejects_unknown_departments(writer: httpx.AsyncClient) -> None:
    response = await writer.patch(
        "/api/v1/computers-inventory-detail/5", json={"userAndLocation": {"departmentId": "999"}}
    )
    assert response.status_code == 400


async def test_preview_list_and_inventory_information(api: httpx.AsyncClient) -> None:
    preview = (await api.get("/api/preview/computers", params={"page-size": 2})).json()
    counts = (await api.get("/api/v1/inventory-information")).json()
    assert preview["totalCount"] == 500
    assert {"serialNumber", "lastContactDate", "managementId", "isManaged"} <= set(
        preview["results"][0]
    )
    assert counts["managedComputers"] + counts["unmanagedComputers"] == 500
    assert counts["managedDevices"] == 150
