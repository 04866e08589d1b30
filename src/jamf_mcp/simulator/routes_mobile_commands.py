"""Classic mobile device command route: ``UpdateInventory`` by id (deprecated 2026-03-13)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from litestar import Request, Response, post
from litestar.params import FromPath

from jamf_mcp.simulator.classic_xml import XML
from jamf_mcp.simulator.context import SEND_MOBILE_INVENTORY_REQUESTS, ctx
from jamf_mcp.simulator.mobile_commands import queue_inventory_update

UPDATE_INVENTORY = "UpdateInventory"


def _command_document(command: str, device_id: int) -> bytes:
    root = ET.Element("mobile_device_command")
    ET.SubElement(root, "command").text = command
    devices = ET.SubElement(root, "mobile_devices")
    ET.SubElement(ET.SubElement(devices, "mobile_device"), "id").text = str(device_id)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + body


@post(
    "/JSSResource/mobiledevicecommands/command/UpdateInventory/id/{device_id:str}",
    opt={"privilege": SEND_MOBILE_INVENTORY_REQUESTS},
    status_code=201,
)
async def update_mobile_inventory(
    request: Request[Any, Any, Any], device_id: FromPath[str]
) -> Response[bytes]:
    """Queue an inventory update → 201 ``<mobile_device_command>``; unknown device → 404.

    Still listed in Jamf Pro 11.30.1's Classic API, deprecated on 2026-03-13 (reference §5.1).
    The device answers at the next ``tick`` when it is reachable.
    """
    queued = queue_inventory_update(ctx(request).tenant, device_id)
    return Response(
        content=_command_document(UPDATE_INVENTORY, queued.device_id),
        status_code=201,
        media_type=XML,
    )


ROUTES = [update_mobile_inventory]
