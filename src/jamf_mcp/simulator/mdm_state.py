"""The MDM side of a tenant: queued commands and blank pushes (plain data, no HTTP)."""

from __future__ import annotations

from typing import Any

import attrs

# The ``commandType`` discriminator of ``MdmCommandRequest.commandData`` in Jamf Pro 11.30.1.
# ``UPDATE_INVENTORY``, ``BLANK_PUSH`` and ``UNMANAGE_DEVICE`` are deliberately absent (Jamf rejects them).
COMMAND_TYPES = (
    "APPLY_REDEMPTION_CODE", "CANCEL_ENHANCED_LOG_COLLECTION", "CERTIFICATE_LIST", "CLEAR_PASSCODE",
    "CLEAR_RESTRICTIONS_PASSWORD", "DECLARATIVE_MANAGEMENT", "DELETE_USER", "DEVICE_INFORMATION",
    "DEVICE_LOCATION", "DEVICE_LOCK", "DISABLE_LOST_MODE", "DISABLE_REMOTE_DESKTOP", "ENABLE_LOST_MODE",
    "ENABLE_REMOTE_DESKTOP", "ERASE_DEVICE", "INSTALLED_APPLICATION_LIST", "LOG_OUT_USER",
    "MANAGED_APPLICATION_LIST", "MANAGED_MEDIA_LIST", "PLAY_LOST_MODE_SOUND", "PROFILE_LIST",
    "PROVISIONING_PROFILE_LIST", "REFRESH_CELLULAR_PLANS", "REQUEST_MIRRORING", "RESTART_DEVICE",
    "SECURITY_INFO", "SETTINGS", "SET_AUTO_ADMIN_PASSWORD", "SET_RECOVERY_LOCK", "SHUT_DOWN_DEVICE",
    "STOP_MIRRORING", "TRIGGER_ENHANCED_LOG_COLLECTION", "UNLOCK_USER_ACCOUNT", "VALIDATE_APPLICATIONS",
    "VERIFY_RECOVERY_LOCK",
)  # fmt: skip
LOST_MODE_TYPES = frozenset(
    {"ENABLE_LOST_MODE", "DISABLE_LOST_MODE", "PLAY_LOST_MODE_SOUND", "DEVICE_LOCATION"}
)
COMPUTER = "COMPUTER"
MOBILE_DEVICE = "MOBILE_DEVICE"
PENDING = "PENDING"
ACKNOWLEDGED = "ACKNOWLEDGED"


@attrs.define
class MdmCommand:
    """One command queued for one device (Jamf creates one command per ``clientData`` entry)."""

    uuid: str
    management_id: str
    client_type: str  # COMPUTER | MOBILE_DEVICE
    device_id: int
    command_type: str
    data: dict[str, Any]
    sent_ms: int
    state: str = PENDING
    completed_ms: int | None = None


@attrs.define
class InventoryRequest:
    """One Classic ``mobiledevicecommands/command/UpdateInventory`` for one mobile device.

    Kept apart from ``MdmCommand`` on purpose: it is not a ``commandType`` of
    ``/api/v2/mdm/commands`` and does not show in that API's status list here.
    """

    device_id: int
    sent_ms: int
    state: str = PENDING
    completed_ms: int | None = None


@attrs.define
class BlankPush:
    """One ``POST /api/v2/mdm/blank-push`` as the tenant saw it."""

    at_ms: int
    management_ids: tuple[str, ...]
    unknown_ids: tuple[str, ...]


@attrs.define
class MdmState:
    """Queued commands (oldest first) and recorded blank pushes.

    Attributes:
        commands: Every command ever queued, in send order.
        inventory_requests: Every Classic mobile ``UpdateInventory`` request, in send order.
        blank_pushes: Every blank-push request, in order (for tests).
    """

    commands: list[MdmCommand] = attrs.field(factory=list)
    inventory_requests: list[InventoryRequest] = attrs.field(factory=list)
    blank_pushes: list[BlankPush] = attrs.field(factory=list)
