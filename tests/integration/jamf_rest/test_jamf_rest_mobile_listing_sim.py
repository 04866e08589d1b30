"""The mobile device list as the adapter asks for it: a unique sort, and LENIENT on 11.29+."""

from __future__ import annotations

import pytest

from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on

LIST = "/api/v2/mobile-devices/detail"


@pytest.mark.parametrize(
    ("version", "lenient"), [("11.30.1-t1784555528405", True), ("11.23.2-t1", False)]
)
async def test_exception_handling_is_lenient_only_where_jamf_has_it(
    version: str, lenient: bool
) -> None:
    # 11.30.1 schema, GET /v2/mobile-devices/detail, exception-handling: "STRICT (default):
    # Returns a 500 error … LENIENT: Returns a 200 response even when devices have processing
    # issues. Problematic sections will be null in the response" (added in 11.29).
    sim = JamfSimulator(SimulatorOptions(computers=20, now=NOW, version=version))
    async with jamf_on(sim) as (ports, _, recorder):
        await ports.inventory.search(
            DeviceKind.MOBILE,
            DeviceQuery(),
            aspects=frozenset({InventoryAspect.GENERAL}),
            offset=0,
            limit=5,
        )
    [sent] = recorder.paths(LIST)
    assert (sent.params.get("exception-handling") == "LENIENT") is lenient


async def test_mobile_pages_are_sorted_with_a_unique_tie_breaker() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=20, now=NOW))
    for mobile in sim.tenant.mobiles:
        mobile.name = "Same Name"  # every display name equal: only the id orders them
    async with jamf_on(sim) as (ports, _, recorder):
        aspects = frozenset({InventoryAspect.GENERAL})
        pages = [
            await ports.inventory.search(
                DeviceKind.MOBILE, DeviceQuery(), aspects=aspects, offset=o, limit=7
            )
            for o in range(0, 21, 7)
        ]
    ids = [d.identity.jamf_id for page in pages for d in page.items]
    assert len(ids) == len(set(ids)) == 20
    assert recorder.paths(LIST)[0].params["sort"] == "displayName:asc,mobileDeviceId:asc"
