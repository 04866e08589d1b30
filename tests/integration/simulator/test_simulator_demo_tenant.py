"""Contract facts of the demo tenant that other tests and demos rely on."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import httpx

from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.simulator.sim_support import NOW

DAY = timedelta(days=1)
CRITICAL = {1: 95, 45: 92, 9: 120, 210: 150, 388: 200}


def _when(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


async def _all(api: httpx.AsyncClient, sections: str = "GENERAL") -> list[dict[str, Any]]:
    body = (
        await api.get(
            "/api/v1/computers-inventory", params={"page-size": 2000, "section": sections}
        )
    ).json()
    return list(body["results"])


async def test_exactly_23_macs_are_stale_and_5_are_critical(api: httpx.AsyncClient) -> None:
    ages = {int(r["id"]): NOW - _when(r["general"]["lastContactTime"]) for r in await _all(api)}
    stale = {cid for cid, age in ages.items() if age > 30 * DAY}
    critical = {cid for cid, age in ages.items() if age >= 90 * DAY}
    assert len(stale) == 23
    assert critical == set(CRITICAL)
    for cid, days in CRITICAL.items():
        assert ages[cid] // DAY == days
    for cid in stale - critical:
        assert 35 * DAY <= ages[cid] <= 80 * DAY
    for cid in set(ages) - stale:
        assert timedelta(minutes=5) <= ages[cid] <= 25 * DAY


async def test_report_date_is_a_different_clock_and_never_in_the_future(
    api: httpx.AsyncClient,
) -> None:
    for record in await _all(api):
        general = record["general"]
        report, contact = _when(general["reportDate"]), _when(general["lastContactTime"])
        assert report <= contact <= NOW
        assert contact - report <= 8 * DAY
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", general["initialEntryDate"])


async def test_asset_tags_and_the_fixed_names(api: httpx.AsyncClient) -> None:
    by_id = {int(r["id"]): r["general"] for r in await _all(api)}
    assert by_id[1]["assetTag"] == "MAC-001" and by_id[1]["name"] == "Marketing-MBP"
    assert by_id[45]["assetTag"] == "MAC-045" and by_id[45]["name"] == "Sales-Mac-02"
    assert by_id[123]["assetTag"] == "MAC-123" and by_id[123]["name"] == "MAC-123"
    assert len({g["name"] for g in by_id.values()}) == 500


async def test_fixed_macs_sit_in_their_departments(api: httpx.AsyncClient) -> None:
    records = {int(r["id"]): r["userAndLocation"] for r in await _all(api, "USER_AND_LOCATION")}
    assert records[1]["departmentId"] == "1"  # Marketing
    assert records[45]["departmentId"] == "2"  # Sales


async def test_serial_numbers_are_unique_apple_like_strings(api: httpx.AsyncClient) -> None:
    serials = [r["hardware"]["serialNumber"] for r in await _all(api, "HARDWARE")]
    assert len(set(serials)) == 500
    assert all(re.fullmatch(r"[0-9A-Z]{12}", s) for s in serials)


async def test_there_is_exactly_one_john_smith(api: httpx.AsyncClient) -> None:
    found = await api.get(
        "/api/v1/computers-inventory",
        params={
            "filter": 'userAndLocation.realname=="*Smith*"',
            "section": "USER_AND_LOCATION,HARDWARE",
        },
    )
    [record] = found.json()["results"]
    assert record["id"] == "77"
    assert record["userAndLocation"]["username"] == "jsmith"
    assert record["userAndLocation"]["email"] == "john.smith@example.com"
    assert record["hardware"]["model"].startswith("MacBook Pro")
    phones = await api.get(
        "/api/v2/mobile-devices/detail", params={"filter": 'fullName=="John Smith"'}
    )
    [phone] = phones.json()["results"]
    assert phone["general"]["displayName"] == "John-Smith-iPhone"


async def test_every_mac_has_a_department_and_building_that_resolve(api: httpx.AsyncClient) -> None:
    departments = {
        d["id"]: d["name"] for d in (await api.get("/api/v1/departments")).json()["results"]
    }
    buildings = (await api.get("/api/v1/buildings")).json()["results"]
    assert set(departments.values()) >= {
        "Marketing",
        "Sales",
        "Engineering",
        "Human Resources",
        "IT",
        "Design",
    }
    assert len(buildings) == 4 and all(b["streetAddress1"] and b["city"] for b in buildings)
    building_ids = {b["id"] for b in buildings}
    for record in await _all(api, "USER_AND_LOCATION"):
        assert record["userAndLocation"]["departmentId"] in departments
        assert record["userAndLocation"]["buildingId"] in building_ids


async def test_the_fleet_mix_is_realistic(api: httpx.AsyncClient) -> None:
    records = await _all(api, "HARDWARE,OPERATING_SYSTEM,SECURITY,STORAGE")
    silicon = sum(r["hardware"]["appleSilicon"] for r in records) / len(records)
    versions = [r["operatingSystem"]["version"] for r in records]
    assert 0.6 <= silicon <= 0.8
    assert sum(v.startswith("15.") for v in versions) > len(versions) / 2
    assert any(v.startswith("14.") for v in versions) and any(v.startswith("13.") for v in versions)
    assert 0 < sum(r["security"]["sipStatus"] == "DISABLED" for r in records) < 40
    assert 0 < sum(r["security"]["gatekeeperStatus"] == "DISABLED" for r in records) < 40
    assert 0 < sum(r["storage"]["bootDriveAvailableSpaceMegabytes"] < 10_240 for r in records) < 40


def test_the_same_seed_builds_the_same_tenant_and_small_fleets_are_prefixes() -> None:
    big = JamfSimulator(SimulatorOptions(computers=500, now=NOW)).tenant
    again = JamfSimulator(SimulatorOptions(computers=500, now=NOW)).tenant
    small = JamfSimulator(SimulatorOptions(computers=100, now=NOW)).tenant
    assert [(r.name, r.serial) for r in big.computers] == [
        (r.name, r.serial) for r in again.computers
    ]
    assert [(r.name, r.serial, r.last_contact) for r in small.computers] == [
        (r.name, r.serial, r.last_contact) for r in big.computers[:100]
    ]


def test_a_fleet_under_500_keeps_only_the_stale_ids_it_contains() -> None:
    tenant = JamfSimulator(SimulatorOptions(computers=100, now=NOW)).tenant
    now_ms = int(NOW.timestamp() * 1000)
    stale = {r.id for r in tenant.computers if now_ms - (r.last_contact or 0) > 30 * 86_400_000}
    assert stale == {1, 9, 12, 27, 38, 45, 56, 63, 81, 99}
    assert tenant.mobile_device_count == 30


def test_a_fleet_of_100k_computers_can_be_built() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=100_000, now=NOW))
    assert sim.tenant.computer_count == 100_000
    assert sim.tenant.mobile_device_count == 30_000
    assert sim.tenant.computers[-1].asset_tag == "MAC-100000"
