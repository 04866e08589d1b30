"""How use cases describe which devices they want, so adapters can push the work down to Jamf."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import attrs


class InventoryAspect(StrEnum):
    """Parts of a device record a use case needs; adapters fetch only these (Jamf "sections")."""

    GENERAL = "general"
    HARDWARE = "hardware"
    OPERATING_SYSTEM = "operating_system"
    SECURITY = "security"
    DISK_ENCRYPTION = "disk_encryption"
    USER_AND_LOCATION = "user_and_location"
    STORAGE = "storage"
    GROUPS = "groups"


ALL_ASPECTS: frozenset[InventoryAspect] = frozenset(InventoryAspect)


class SortKey(StrEnum):
    """Orders an inventory query can ask for."""

    NAME = "name"
    LAST_CHECK_IN_OLDEST_FIRST = "last_check_in_oldest_first"


@attrs.frozen
class DeviceQuery:
    """A specification of devices: every set field must hold (AND); `any_of` adds an OR group.

    `text` matches the device name, serial number, asset tag, or its user's username, real name or
    email, case-insensitively and as a substring. It is data, never query syntax.
    """

    text: str | None = None
    department: str | None = None
    building: str | None = None
    checked_in_before: datetime | None = None
    checked_in_since: datetime | None = None
    any_of: tuple[DeviceQuery, ...] = ()

    @property
    def is_everything(self) -> bool:
        """True when the query does not narrow the fleet at all."""
        return self == DeviceQuery()
