"""Jamf Pro MDM commands: management commands and mobile inventory updates (never retried)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from jamf_mcp.domain.jamf_operations import (
    CommandRef,
    CommandStatus,
)


class ManagementCommands(Protocol):
    """MDM commands addressed by `managementId`; sending is never retried."""

    async def send(
        self, command_type: str, management_ids: Sequence[str], fields: Mapping[str, object]
    ) -> tuple[CommandRef, ...]:
        """Queue `command_type` (e.g. `RESTART_DEVICE`) with its `fields` for each device.

        Raises:
            JamfRequestRejected: Jamf refused the command (unknown type, unknown device, a
                field it requires), with Jamf's message.
        """
        ...

    async def status(self, uuid: str) -> CommandStatus | None:
        """Where the command stands, or None when Jamf knows no command with this uuid."""
        ...


class MobileInventoryUpdates(Protocol):
    """Asking mobile devices to send an inventory update through MDM (never retried)."""

    async def request_update(self, mobile_device_id: str) -> None:
        """Queue the inventory update for one mobile device (by Jamf id).

        Raises:
            DeviceNotFound: no mobile device has this id.
            JamfRequestRejected: Jamf refused the command.
            JamfOutcomeUnknown: it was sent but no definite answer came back.
        """
        ...
