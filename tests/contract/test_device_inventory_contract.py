"""The `DeviceInventory` contract, run against the in-memory fake and the Jamf adapter (simulator).

Both hold the same tenant (see `tests/contract/jamf_ports.py`); each case states what the port
promises (`application/ports.py`) and checks it on both. Expected answers are worked out here from
the fleet with plain predicates, never with the fake's own matching code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import pytest

from jamf_mcp.application.ports import DeviceInventory
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.errors import DeviceNotFound, UnknownBuilding, UnknownDepartment
from jamf_mcp.domain.queries import ALL_ASPECTS, DeviceQuery, InventoryAspect, SortKey
from jamf_mcp.simulator import JamfSimulator
from tests.contract.jamf_ports import (
    JAMF_BACKENDS,
    jamf_ports,
    memory_inventory,
    small_tenant,
    whole_fleet,
)
from tests.integration.jamf_rest.jamf_sim import NOW

COMPUTER, MOBILE = DeviceKind.COMPUTER, DeviceKind.MOBILE
ASPECTS = frozenset(
    {InventoryAspect.GENERAL, InventoryAspect.HARDWARE, InventoryAspect.USER_AND_LOCATION}
)
WEEK_AGO = NOW - timedelta(days=7)
DAY_AGO = NOW - timedelta(days=1)


def _text(needle: str) -> Callable[[Device], bool]:
    def contains(device: Device) -> bool:
        fields = (
            device.identity.name,
            device.identity.serial_number,
            device.identity.asset_tag,
            device.user.username,
            device.user.real_name,
            device.user.email,
        )
        return any(needle.casefold() in (f or "").casefold() for f in fields)

    return contains


def _department(name: str) -> Callable[[Device], bool]:
    return lambda d: (d.user.department or "").casefold() == name.casefold()


def _building(name: str) -> Callable[[Device], bool]:
    return lambda d: (d.user.building or "").casefold() == name.casefold()


def _seen_before(instant: object) -> Callable[[Device], bool]:
    return lambda d: d.last_check_in is not None and d.last_check_in < instant


def _seen_since(instant: object) -> Callable[[Device], bool]:
    return lambda d: d.last_check_in is not None and d.last_check_in >= instant


CASES: dict[str, tuple[DeviceQuery, Callable[[Device], bool]]] = {
    "everything": (DeviceQuery(), lambda d: True),
    "a department in any case": (DeviceQuery(department="sALES"), _department("Sales")),
    "a building": (DeviceQuery(building="Austin Hub"), _building("Austin Hub")),
    "text in a name": (DeviceQuery(text="ipad"), _text("ipad")),
    "text in a person's name": (DeviceQuery(text="smith"), _text("smith")),
    "text in an asset tag": (DeviceQuery(text="-02"), _text("-02")),
    "not seen for a week": (DeviceQuery(checked_in_before=WEEK_AGO), _seen_before(WEEK_AGO)),
    "seen within a day": (DeviceQuery(checked_in_since=DAY_AGO), _seen_since(DAY_AGO)),
    "criteria together": (
        DeviceQuery(department="Engineering", checked_in_since=DAY_AGO),
        lambda d: _department("Engineering")(d) and _seen_since(DAY_AGO)(d),
    ),
    "any of two": (
        DeviceQuery(any_of=(DeviceQuery(department="Sales"), DeviceQuery(building="Headquarters"))),
        lambda d: _department("Sales")(d) or _building("Headquarters")(d),
    ),
}


@pytest.fixture(scope="module")
def sim() -> JamfSimulator:
    return small_tenant()


@pytest.fixture
async def fleet(sim: JamfSimulator) -> list[Device]:
    async with jamf_ports(sim) as ports:
        return await whole_fleet(ports)


@pytest.fixture(params=JAMF_BACKENDS)
async def inventory(
    request: pytest.FixtureRequest, sim: JamfSimulator
) -> AsyncIterator[DeviceInventory]:
    if request.param == "memory":
        yield await memory_inventory(sim)
        return
    async with jamf_ports(sim) as ports:
        yield ports.inventory


def _by_name(devices: list[Device]) -> list[str]:
    return [
        d.identity.jamf_id
        for d in sorted(
            devices, key=lambda d: (d.identity.name.casefold(), int(d.identity.jamf_id))
        )
    ]


async def _ids(
    inventory: DeviceInventory, kind: DeviceKind, query: DeviceQuery, **kw: object
) -> list[str]:
    return [d.identity.jamf_id async for d in inventory.stream(kind, query, aspects=ASPECTS, **kw)]


@pytest.mark.parametrize("kind", [COMPUTER, MOBILE], ids=["computers", "mobile"])
@pytest.mark.parametrize("case", list(CASES))
async def test_count_stream_and_search_agree_on_exactly_the_matching_devices(
    inventory: DeviceInventory, fleet: list[Device], case: str, kind: DeviceKind
) -> None:
    query, predicate = CASES[case]
    expected = _by_name([d for d in fleet if d.kind is kind and predicate(d)])

    assert await inventory.count(kind, query) == len(expected)
    assert await _ids(inventory, kind, query) == expected
    page = await inventory.search(kind, query, aspects=ASPECTS, offset=0, limit=5)
    assert [d.identity.jamf_id for d in page.items] == expected[:5]
    assert page.total == len(expected)


async def test_the_fleet_has_something_to_find_for_every_case(fleet: list[Device]) -> None:
    for case, (_, predicate) in CASES.items():
        matching = [d for d in fleet if predicate(d)]
        assert matching, f"nothing matches {case!r}: the case proves nothing"
        if case != "everything":
            assert len(matching) < len(fleet), f"everything matches {case!r}"


async def test_pages_follow_one_another_without_gaps_or_repeats(
    inventory: DeviceInventory,
) -> None:
    everything = await _ids(inventory, COMPUTER, DeviceQuery())
    pages = [
        await inventory.search(COMPUTER, DeviceQuery(), aspects=ASPECTS, offset=offset, limit=25)
        for offset in (0, 25, 50)
    ]
    assert [d.identity.jamf_id for page in pages for d in page.items] == everything
    assert [page.offset for page in pages] == [0, 25, 50]
    beyond = await inventory.search(COMPUTER, DeviceQuery(), aspects=ASPECTS, offset=200, limit=25)
    assert (beyond.items, beyond.total) == ((), len(everything))


async def test_oldest_check_in_first_sorts_by_last_contact(
    inventory: DeviceInventory, fleet: list[Device]
) -> None:
    stale = DeviceQuery(checked_in_before=WEEK_AGO)
    expected = [
        d.identity.jamf_id
        for d in sorted(
            (d for d in fleet if d.kind is COMPUTER and _seen_before(WEEK_AGO)(d)),
            key=lambda d: d.last_check_in,
        )
    ]
    sort = SortKey.LAST_CHECK_IN_OLDEST_FIRST
    assert await _ids(inventory, COMPUTER, stale, sort=sort) == expected
    page = await inventory.search(COMPUTER, stale, aspects=ASPECTS, offset=1, limit=2, sort=sort)
    assert [d.identity.jamf_id for d in page.items] == expected[1:3]


@pytest.mark.parametrize("kind", [COMPUTER, MOBILE], ids=["computers", "mobile"])
async def test_get_returns_the_device_with_every_aspect_or_says_it_is_not_found(
    inventory: DeviceInventory, fleet: list[Device], kind: DeviceKind
) -> None:
    wanted = next(d for d in fleet if d.kind is kind)
    device = await inventory.get(kind, wanted.identity.jamf_id)
    assert device.identity == wanted.identity
    assert (device.user, device.os, device.last_check_in) == (
        wanted.user,
        wanted.os,
        wanted.last_check_in,
    )
    with pytest.raises(DeviceNotFound):
        await inventory.get(kind, "99999")


@pytest.mark.parametrize("kind", [COMPUTER, MOBILE], ids=["computers", "mobile"])
async def test_find_matches_id_serial_asset_tag_udid_and_name_in_any_case(
    inventory: DeviceInventory, fleet: list[Device], kind: DeviceKind
) -> None:
    wanted = next(d for d in fleet if d.kind is kind and d.identity.asset_tag)
    identity = wanted.identity
    for identifier in (
        identity.jamf_id,
        identity.serial_number,
        identity.asset_tag,
        identity.udid,
        identity.name,
        identity.name.upper(),
    ):
        assert identifier is not None
        found = await inventory.find(kind, identifier, aspects=ASPECTS)
        assert [d.identity.jamf_id for d in found] == [identity.jamf_id], identifier
    assert list(await inventory.find(kind, "no-such-device", aspects=ASPECTS)) == []
    assert list(await inventory.find(kind, identity.name[:-1], aspects=ASPECTS)) == []


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (DeviceQuery(department="Narnia"), UnknownDepartment),
        (DeviceQuery(building="Atlantis"), UnknownBuilding),
        (DeviceQuery(any_of=(DeviceQuery(department="Narnia"),)), UnknownDepartment),
    ],
)
async def test_an_unknown_department_or_building_is_an_error_not_an_empty_answer(
    inventory: DeviceInventory, query: DeviceQuery, error: type[Exception]
) -> None:
    with pytest.raises(error):
        await inventory.count(COMPUTER, query)
    with pytest.raises(error):
        await inventory.search(COMPUTER, query, aspects=ASPECTS, offset=0, limit=5)


async def test_the_full_record_carries_every_aspect(
    inventory: DeviceInventory, fleet: list[Device]
) -> None:
    wanted = next(d for d in fleet if d.kind is COMPUTER)
    [streamed] = [
        d
        async for d in inventory.stream(
            COMPUTER, DeviceQuery(text=wanted.identity.serial_number), aspects=ALL_ASPECTS
        )
    ]
    assert streamed == wanted
