"""Use case: the full record of one device named by id, serial, asset tag, UDID or name."""

from __future__ import annotations

import asyncio

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports import DeviceInventory
from jamf_mcp.application.use_cases.search_devices import DeviceTypeFilter
from jamf_mcp.domain.devices import Device
from jamf_mcp.domain.errors import AmbiguousDevice, DeviceNotFound, InvalidRequest
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import InventoryAspect

_IDENTIFY = frozenset({InventoryAspect.GENERAL, InventoryAspect.HARDWARE})


@attrs.frozen
class GetDeviceRequest:
    """Which device to show."""

    identifier: str
    device_type: DeviceTypeFilter = DeviceTypeFilter.ANY


class GetDeviceDetails:
    """Show one device in full.

    Rules:
    - Needs `read:jamf`.
    - The identifier may be a Jamf id, serial number, asset tag, UDID or exact name (any case).
    - Exactly one device must match across the requested families; several matches are an
      error that lists them, so the user can pick one.
    """

    required_scopes = READ

    def __init__(self, inventory: DeviceInventory) -> None:
        self._inventory = inventory

    async def execute(self, request: GetDeviceRequest, principal: Principal) -> Device:
        """Resolve the identifier and fetch every aspect of that device."""
        require(principal, self.required_scopes)
        identifier = request.identifier.strip()
        if not identifier:
            raise InvalidRequest("deviceIdentifier must not be empty.")
        kinds = request.device_type.kinds
        found = await asyncio.gather(
            *(self._inventory.find(kind, identifier, aspects=_IDENTIFY) for kind in kinds)
        )
        matches = [device for devices in found for device in devices]
        if not matches:
            raise DeviceNotFound(identifier)
        if len(matches) > 1:
            exact_id = [d for d in matches if d.identity.jamf_id == identifier]
            if len(exact_id) != 1:
                raise AmbiguousDevice(
                    identifier,
                    [
                        f"{d.identity.kind.value} {d.identity.jamf_id}: {d.identity.label}"
                        for d in matches
                    ],
                )
            matches = exact_id
        match = matches[0]
        return await self._inventory.get(match.kind, match.identity.jamf_id)
