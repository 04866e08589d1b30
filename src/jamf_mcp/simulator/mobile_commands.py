"""Classic mobile device commands: queue ``UpdateInventory`` and complete it at the next tick."""

from __future__ import annotations

from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.mdm_commands import device_reachable
from jamf_mcp.simulator.mdm_state import ACKNOWLEDGED, MOBILE_DEVICE, PENDING, InventoryRequest
from jamf_mcp.simulator.tenant import Tenant


def queue_inventory_update(tenant: Tenant, raw_id: str) -> InventoryRequest:
    """Queue an inventory update for one mobile device; an unknown id is a 404."""
    raw_id = raw_id.strip()
    device_id = int(raw_id) if raw_id.isascii() and raw_id.isdigit() else None
    if device_id is None or device_id not in tenant.mobiles_by_id:
        raise JamfHttpError(404)
    request = InventoryRequest(device_id, tenant.now_ms())
    tenant.mdm.inventory_requests.append(request)
    return request


def complete_inventory_updates(tenant: Tenant, now_ms: int) -> int:
    """Reachable devices answer their pending requests: inventory and last contact become now.

    Uses the reachability rule of MDM commands; unreachable devices stay pending.
    """
    done = 0
    pending = [r for r in tenant.mdm.inventory_requests if r.state == PENDING]
    for request in pending:
        if not device_reachable(tenant, MOBILE_DEVICE, request.device_id):
            continue
        request.state = ACKNOWLEDGED
        request.completed_ms = now_ms
        mobile = tenant.mobiles_by_id[request.device_id]
        mobile.last_inventory = max(mobile.last_inventory, now_ms)
        mobile.last_contact = max(mobile.last_contact, now_ms)
        done += 1
    if done:
        tenant.touch()
    return done
