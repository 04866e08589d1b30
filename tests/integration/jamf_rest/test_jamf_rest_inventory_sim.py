"""The inventory adapter against the simulator: filters, counts, paging, sections, get and find."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import DeviceNotFound, UnknownBuilding, UnknownDepartment
from jamf_mcp.domain.queries import ALL_ASPECTS, DeviceQuery, InventoryAspect, SortKey
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on

COMPUTER = DeviceKind.COMPUTER
MOBILE = DeviceKind.MOBILE
GENERAL = frozenset({InventoryAspect.GENERAL})


@pytest.fixture(scope="module")
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=500, now=NOW))


async def test_a_30_day_stale_filter_finds_exactly_the_23_stale_computers(
    sim: JamfSimulator,
) -> None:
    stale = DeviceQuery(checked_in_before=NOW - timedelta(days=30))
    async with jamf_on(sim) as (ports, _, _):
        inventory = ports.inventory
        devices = [d async for d in inventory.stream(COMPUTER, stale, aspects=GENERAL)]
        assert len(devices) == 23
        assert await inventory.count(COMPUTER, stale) == 23
        assert await inventory.count(COMPUTER, DeviceQuery()) == 500
    assert all(
        d.last_check_in is not None and d.last_check_in < NOW - timedelta(days=30) for d in devices
    )
    names = {d.identity.jamf_id: d.identity.name for d in devices}
    assert names["1"] == "Marketing-MBP" and names["45"] == "Sales-Mac-02"


async def test_count_reads_total_count_from_a_one_row_page(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        await ports.inventory.count(COMPUTER, DeviceQuery())
    (url,) = recorder.paths("/api/v4/computers-inventory")
    assert url.params["page-size"] == "1"
    assert url.params.get_list("section") == ["GENERAL"]


async def test_finds_john_smith_by_text_among_computers_and_mobile_devices(
    sim: JamfSimulator,
) -> None:
    query = DeviceQuery(text="John Smith")
    aspects = frozenset({InventoryAspect.USER_AND_LOCATION, InventoryAspect.HARDWARE})
    async with jamf_on(sim) as (ports, _, _):
        computers = (
            await ports.inventory.search(COMPUTER, query, aspects=aspects, offset=0, limit=50)
        ).items
        phones = (
            await ports.inventory.search(MOBILE, query, aspects=aspects, offset=0, limit=50)
        ).items
    assert [c.identity.jamf_id for c in computers] == ["77"]
    assert "MacBook Pro" in (computers[0].hardware.model or "")
    assert computers[0].user.real_name == "John Smith"
    assert computers[0].user.department == "Engineering"
    assert any("iPhone" in (p.hardware.model or p.identity.name) for p in phones)


async def test_filters_computers_by_department_name_in_any_case(sim: JamfSimulator) -> None:
    aspects = frozenset({InventoryAspect.USER_AND_LOCATION})
    async with jamf_on(sim) as (ports, _, _):
        page = await ports.inventory.search(
            COMPUTER, DeviceQuery(department="engineering"), aspects=aspects, offset=0, limit=2000
        )
    assert page.total == len(page.items) > 0
    assert {d.user.department for d in page.items} == {"Engineering"}


async def test_an_unknown_department_lists_the_known_ones(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        known = await ports.directory.departments()
        with pytest.raises(UnknownDepartment) as caught:
            await ports.inventory.count(COMPUTER, DeviceQuery(department="Astronauts"))
    assert "Engineering" in known
    assert all(name in caught.value.message for name in known)
    assert not recorder.paths("/api/v4/computers-inventory"), "no inventory request for a bad name"


async def test_an_unknown_building_is_refused_for_mobile_devices_too(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(UnknownBuilding):
            await ports.inventory.count(MOBILE, DeviceQuery(building="Atlantis"))


@pytest.mark.parametrize(
    ("aspects", "sections"),
    [
        (frozenset(), ["GENERAL"]),
        (frozenset({InventoryAspect.STORAGE}), ["GENERAL", "STORAGE"]),
        (frozenset({InventoryAspect.GROUPS}), ["GENERAL", "GROUP_MEMBERSHIPS"]),
        (
            frozenset({InventoryAspect.OPERATING_SYSTEM, InventoryAspect.DISK_ENCRYPTION}),
            ["GENERAL", "OPERATING_SYSTEM", "DISK_ENCRYPTION"],
        ),
        (
            frozenset(
                {
                    InventoryAspect.SECURITY,
                    InventoryAspect.USER_AND_LOCATION,
                    InventoryAspect.HARDWARE,
                }
            ),
            ["GENERAL", "HARDWARE", "SECURITY", "USER_AND_LOCATION"],
        ),
    ],
)
async def test_requests_only_the_sections_the_aspects_need(
    sim: JamfSimulator, aspects: frozenset[InventoryAspect], sections: list[str]
) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        await ports.inventory.search(COMPUTER, DeviceQuery(), aspects=aspects, offset=0, limit=5)
    (url,) = recorder.paths("/api/v4/computers-inventory")
    assert sorted(url.params.get_list("section")) == sorted(sections)


async def test_search_pages_at_any_offset_agree_with_the_stream(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        everything = [
            d.identity.jamf_id
            async for d in ports.inventory.stream(COMPUTER, DeviceQuery(), aspects=GENERAL)
        ]
        page = await ports.inventory.search(
            COMPUTER, DeviceQuery(), aspects=GENERAL, offset=7, limit=10
        )
        tail = await ports.inventory.search(
            COMPUTER, DeviceQuery(), aspects=GENERAL, offset=495, limit=10
        )
    assert len(everything) == len(set(everything)) == 500
    assert [d.identity.jamf_id for d in page.items] == everything[7:17]
    assert page.total == 500 and page.next_offset == 17
    assert [d.identity.jamf_id for d in tail.items] == everything[495:]
    assert tail.next_offset is None


async def test_sorts_by_last_check_in_oldest_first(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        page = await ports.inventory.search(
            COMPUTER,
            DeviceQuery(),
            aspects=GENERAL,
            offset=0,
            limit=50,
            sort=SortKey.LAST_CHECK_IN_OLDEST_FIRST,
        )
    (url,) = recorder.paths("/api/v4/computers-inventory")
    assert url.params["sort"].startswith("general.lastContact:asc")
    seen = [d.last_check_in for d in page.items if d.last_check_in is not None]
    assert seen == sorted(seen)


async def test_gets_one_computer_with_every_aspect(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        device = await ports.inventory.get(COMPUTER, "77")
    assert device.user.real_name == "John Smith"
    assert device.hardware.model is not None and device.os.version is not None
    assert device.user.department == "Engineering"


async def test_a_missing_or_malformed_id_is_device_not_found(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        with pytest.raises(DeviceNotFound):
            await ports.inventory.get(COMPUTER, "99999")
        before = len(recorder.requests)
        with pytest.raises(DeviceNotFound):
            await ports.inventory.get(COMPUTER, "MAC-123")
        assert len(recorder.requests) == before, "a non-numeric id never reaches Jamf"


@pytest.mark.parametrize("identifier", ["123", "MAC-123", "mac-123"])
async def test_finds_a_computer_by_id_or_name_in_any_case(
    sim: JamfSimulator, identifier: str
) -> None:
    async with jamf_on(sim) as (ports, _, _):
        found = await ports.inventory.find(COMPUTER, identifier, aspects=GENERAL)
    assert [d.identity.jamf_id for d in found] == ["123"]


async def test_finds_a_computer_by_serial_number_and_asset_tag(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        mac = await ports.inventory.get(COMPUTER, "5")
        by_serial = await ports.inventory.find(
            COMPUTER, mac.identity.serial_number or "", aspects=GENERAL
        )
        by_tag = await ports.inventory.find(COMPUTER, mac.identity.asset_tag or "", aspects=GENERAL)
        nothing = await ports.inventory.find(COMPUTER, 'no such "thing"*', aspects=GENERAL)
    assert [d.identity.jamf_id for d in by_serial] == ["5"]
    assert [d.identity.jamf_id for d in by_tag] == ["5"]
    assert nothing == ()


async def test_reads_mobile_devices_by_search_get_and_find(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        page = await ports.inventory.search(
            MOBILE, DeviceQuery(), aspects=ALL_ASPECTS, offset=0, limit=5
        )
        first = page.items[0]
        fetched = await ports.inventory.get(MOBILE, first.identity.jamf_id)
        by_serial = await ports.inventory.find(
            MOBILE, first.identity.serial_number or "", aspects=GENERAL
        )
        by_id = await ports.inventory.find(MOBILE, first.identity.jamf_id, aspects=GENERAL)
    assert page.total >= 20 and len(page.items) == 5
    assert fetched.identity.serial_number == first.identity.serial_number
    assert fetched.identity.name == first.identity.name
    assert [d.identity.jamf_id for d in by_serial] == [first.identity.jamf_id]
    assert first.identity.jamf_id in [d.identity.jamf_id for d in by_id]
