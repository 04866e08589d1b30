"""MDM commands this product sends: which devices each suits, what it needs, and how to say it.

The names are Jamf Pro's `commandType` values of `POST /api/v2/mdm/commands` (11.30.1). Jamf has
no `UPDATE_INVENTORY` or `BLANK_PUSH` command type, so neither is here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs

from jamf_mcp.domain.devices import DeviceKind

_PIN = re.compile(r"[0-9]{6}")
COMPUTER = frozenset({DeviceKind.COMPUTER})
MOBILE = frozenset({DeviceKind.MOBILE})
BOTH = COMPUTER | MOBILE


@attrs.frozen
class MdmCommandSpec:
    """One MDM command.

    Attributes:
        name: Jamf's `commandType`.
        kinds: The device families that accept it.
        effect: What it does, in words a person confirms ("restarts the device").
        destructive: Whether data or state can be lost (erase, lock, restart, shut down).
        fields: The optional command fields this product passes through (Jamf's names).
        warning: An extra sentence the confirmation summary must show.
    """

    name: str
    kinds: frozenset[DeviceKind]
    effect: str
    destructive: bool
    fields: frozenset[str] = frozenset()
    warning: str = ""

    def problems(self, kinds: frozenset[DeviceKind], fields: Mapping[str, str]) -> list[str]:
        """Why this command cannot be sent with `fields` to devices of `kinds` (empty: it can)."""
        found: list[str] = []
        unsuitable = kinds - self.kinds
        if unsuitable:
            families = " and ".join(
                "computers" if kind is DeviceKind.COMPUTER else "mobile devices"
                for kind in sorted(unsuitable)
            )
            found.append(f"{self.name} cannot be sent to {families}.")
        unknown = sorted(set(fields) - self.fields)
        if unknown:
            found.append(f"{self.name} takes no field(s) {', '.join(unknown)}.")
        pin = fields.get("pin")
        if self.name == "DEVICE_LOCK" and DeviceKind.COMPUTER in kinds and not pin:
            found.append("Locking a Mac needs a 6-digit pin (the code that unlocks it).")
        if pin is not None and not _PIN.fullmatch(pin):
            found.append("pin must be exactly 6 digits.")
        if self.name == "ENABLE_LOST_MODE" and not (
            fields.get("lostModeMessage") or fields.get("lostModePhone")
        ):
            found.append("Lost Mode needs lostModeMessage or lostModePhone (or both).")
        return found


MDM_COMMANDS: Mapping[str, MdmCommandSpec] = {
    spec.name: spec
    for spec in (
        MdmCommandSpec(
            "DEVICE_LOCK",
            BOTH,
            "locks the device",
            destructive=True,
            fields=frozenset({"pin", "message", "phoneNumber"}),
            warning=" The device can only be used again with the unlock pin.",
        ),
        MdmCommandSpec(
            "RESTART_DEVICE",
            BOTH,
            "restarts the device",
            destructive=True,
            fields=frozenset({"notifyUser"}),
            warning=" Unsaved work on the device may be lost.",
        ),
        MdmCommandSpec(
            "SHUT_DOWN_DEVICE",
            BOTH,
            "shuts the device down",
            destructive=True,
            warning=" The device stays off until someone turns it on.",
        ),
        MdmCommandSpec(
            "ERASE_DEVICE",
            BOTH,
            "erases the device",
            destructive=True,
            fields=frozenset(
                {"pin", "obliterationBehavior", "preserveDataPlan", "disallowProximitySetup"}
            ),
            warning=" Erasing deletes all data on the device and cannot be undone.",
        ),
        MdmCommandSpec(
            "ENABLE_REMOTE_DESKTOP", COMPUTER, "turns Remote Desktop on", destructive=False
        ),
        MdmCommandSpec(
            "DISABLE_REMOTE_DESKTOP", COMPUTER, "turns Remote Desktop off", destructive=False
        ),
        MdmCommandSpec(
            "ENABLE_LOST_MODE",
            MOBILE,
            "puts the device in Lost Mode (locked, showing your message)",
            destructive=True,
            fields=frozenset({"lostModeMessage", "lostModePhone", "lostModeFootnote"}),
        ),
        MdmCommandSpec("DISABLE_LOST_MODE", MOBILE, "takes the device out of Lost Mode", False),
        MdmCommandSpec("PLAY_LOST_MODE_SOUND", MOBILE, "plays a sound on the lost device", False),
        MdmCommandSpec("DEVICE_LOCATION", MOBILE, "asks the lost device for its location", False),
    )
}
"""Every command `sendMdmCommand` accepts, by name."""

SECRET_FIELDS = frozenset({"pin"})
"""Fields never shown in summaries or kept in the audit trail."""
