"""Property: any search text is sent as literal data the simulator accepts, matching exactly what contains it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on

TEXT_ASPECTS = frozenset({InventoryAspect.HARDWARE, InventoryAspect.USER_AND_LOCATION})
SPECIALS = [*"\"'*,;()\\=<>!~ é", " or ", " and ", "漢", "-"]


@pytest.fixture(scope="module")
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=120, mobile_devices=30, now=NOW))


@pytest.fixture(scope="module")
def fleets(sim: JamfSimulator) -> dict[DeviceKind, list[Device]]:
    async def read_all() -> dict[DeviceKind, list[Device]]:
        async with jamf_on(sim) as (ports, _, _):
            return {
                kind: [
                    d
                    async for d in ports.inventory.stream(kind, DeviceQuery(), aspects=TEXT_ASPECTS)
                ]
                for kind in DeviceKind
            }

    return asyncio.run(read_all())


def searchable(device: Device) -> Iterator[str]:
    identity, user = device.identity, device.user
    # Jamf documents `assetTag` among the filter fields of both lists (computers and mobile).
    values = [
        identity.name,
        identity.serial_number,
        identity.asset_tag,
        user.username,
        user.real_name,
        user.email,
    ]
    return (value for value in values if value)


def expected_ids(devices: list[Device], text: str) -> set[str]:
    folded = text.casefold()
    return {
        d.identity.jamf_id for d in devices if any(folded in v.casefold() for v in searchable(d))
    }


def search_texts(fleets: dict[DeviceKind, list[Device]]) -> st.SearchStrategy[str]:
    values = sorted({v for devices in fleets.values() for d in devices for v in searchable(d)})
    fragments = st.sampled_from(values).flatmap(
        lambda v: st.tuples(st.integers(0, len(v) - 1), st.integers(1, 8)).map(
            lambda ij: v[ij[0] : ij[0] + ij[1]]
        )
    )
    noise = st.lists(st.sampled_from(SPECIALS), min_size=1, max_size=4).map("".join)
    piece = st.one_of(fragments, noise, st.text(min_size=1, max_size=3))
    return st.lists(piece, min_size=1, max_size=3).map("".join).filter(lambda t: t.strip() != "")


@pytest.mark.parametrize("kind", list(DeviceKind))
def test_any_text_matches_exactly_the_devices_containing_it(
    sim: JamfSimulator, fleets: dict[DeviceKind, list[Device]], kind: DeviceKind
) -> None:
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(search_texts(fleets))
    def check(text: str) -> None:
        async def run() -> set[str]:
            async with jamf_on(sim) as (ports, _, _):
                page = await ports.inventory.search(
                    kind, DeviceQuery(text=text), aspects=frozenset(), offset=0, limit=2000
                )
                return {d.identity.jamf_id for d in page.items}

        assert asyncio.run(run()) == expected_ids(fleets[kind], text)

    check()


def test_the_fleet_fixture_has_positive_cases(fleets: dict[DeviceKind, list[Device]]) -> None:
    assert expected_ids(fleets[DeviceKind.COMPUTER], "john smith") == {"77"}
    assert expected_ids(fleets[DeviceKind.COMPUTER], 'nobody"*\\') == set()
