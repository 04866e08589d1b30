"""`JamfMobileInventoryUpdates`: the `MobileInventoryUpdates` port over a Classic mobile command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamf_mcp.adapters.jamf_rest.http_errors import JamfResourceMissing
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.domain.errors import DeviceNotFound, InvalidRequest

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_commands import MobileInventoryUpdates

# Uncertain: Jamf does not document the privilege per endpoint. The brief proposed "Send Mobile
# Device Remote Command to Update Inventory", which no public source names; Jamf's privilege
# lists (API role exports, and tools mapping the Classic `UpdateInventory` command to its
# privilege) name this one. It is only a hint in 403 messages when Jamf names none itself.
SEND_INVENTORY_REQUESTS = "Send Inventory Requests to Mobile Devices"
_PATH = "/JSSResource/mobiledevicecommands/command/UpdateInventory/id/{id}"
_XML = {"Accept": "application/xml"}


class JamfMobileInventoryUpdates:
    """Implements the `MobileInventoryUpdates` port with one Classic POST per device.

    `POST /JSSResource/mobiledevicecommands/command/UpdateInventory/id/{id}` queues the MDM
    inventory command (reference §5.1). It is still listed in the Jamf Pro 11.30.1 Classic API
    but marked "Update Inventory Deprecated on 2026-03-13", so it may disappear in a later
    release (the Jamf Pro API's `/api/v2/mdm/commands` does not accept `UPDATE_INVENTORY`).
    The POST is sent once; without a definite answer `JamfOutcomeUnknown` is raised.
    """

    def __init__(self, http: JamfHttp) -> None:
        self._http = http

    async def request_update(self, mobile_device_id: str) -> None:
        """Queue the inventory update; any 2xx answer counts as queued.

        Raises:
            InvalidRequest: the id is not a Jamf id (digits); nothing is sent.
            DeviceNotFound: Jamf has no mobile device with this id (HTTP 404).
        """
        device_id = str(mobile_device_id).strip()
        if not device_id.isascii() or not device_id.isdigit():
            raise InvalidRequest(
                f"'{mobile_device_id}' is not a Jamf mobile device id (a number is expected)."
            )
        try:
            await self._http.request(
                "POST",
                _PATH.format(id=int(device_id)),
                headers=_XML,
                privilege=SEND_INVENTORY_REQUESTS,
            )
        except JamfResourceMissing:
            raise DeviceNotFound(str(mobile_device_id)) from None


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_mobile_inventory_updates: type[MobileInventoryUpdates] = JamfMobileInventoryUpdates
