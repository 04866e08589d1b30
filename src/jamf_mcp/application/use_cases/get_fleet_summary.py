"""Use case: fleet-wide counts by OS version, model, FileVault, check-in age and department."""

from __future__ import annotations

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.application.use_cases.search_devices import DeviceTypeFilter
from jamf_mcp.domain.fleet import FleetSummary, FleetTally
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect

SUMMARY_ASPECTS = frozenset(
    {
        InventoryAspect.GENERAL,
        InventoryAspect.HARDWARE,
        InventoryAspect.OPERATING_SYSTEM,
        InventoryAspect.USER_AND_LOCATION,
        InventoryAspect.DISK_ENCRYPTION,
    }
)


@attrs.frozen
class FleetSummaryRequest:
    """Which devices to summarise."""

    device_type: DeviceTypeFilter
    department: str | None = None


class GetFleetSummary:
    """Summarise the fleet.

    Rules:
    - Needs `read:jamf`.
    - Every device is counted (the whole fleet is streamed page by page, never sampled);
      memory stays flat because only counters are kept.
    - With `any`, computers and mobile devices are counted together.
    """

    required_scopes = READ

    def __init__(self, inventory: DeviceInventory, clock: Clock) -> None:
        self._inventory = inventory
        self._clock = clock

    async def execute(self, request: FleetSummaryRequest, principal: Principal) -> FleetSummary:
        """Stream the selected devices and count them."""
        require(principal, self.required_scopes)
        tally = FleetTally(self._clock.now())
        query = DeviceQuery(department=request.department)
        for kind in request.device_type.kinds:
            async for device in self._inventory.stream(kind, query, aspects=SUMMARY_ASPECTS):
                tally.add(device)
        return tally.freeze()
