"""Use case: the full record of one device named by id, serial, asset tag, UDID or name."""

from __future__ import annotations

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.device_resolution import resolve_device
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.application.use_cases.search_devices import DeviceTypeFilter
from jamf_mcp.domain.devices import Device
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import ALL_ASPECTS


@attrs.frozen
class GetDeviceRequest:
    """Which device to show."""

    identifier: str
    device_type: DeviceTypeFilter


class GetDeviceDetails:
    """Show one device in full.

    Rules:
    - Needs `read:jamf`.
    - The identifier may be a Jamf id, serial number, asset tag, UDID or exact name (any case).
    - Exactly one device must match across the requested families; several matches are an
      error that lists them, so the user can pick one.
    - One round trip: the identifier look-up asks for every aspect, so the match is the answer
      (computers and mobile devices are looked up at once).
    """

    required_scopes = READ

    def __init__(self, inventory: DeviceInventory) -> None:
        self._inventory = inventory

    async def execute(self, request: GetDeviceRequest, principal: Principal) -> Device:
        """Resolve the identifier, fetching every aspect of the matches at once."""
        require(principal, self.required_scopes)
        return await resolve_device(
            self._inventory, request.identifier, request.device_type.kinds, ALL_ASPECTS
        )
