"""Devices in the fleet: computers and mobile devices, their identity, owner, OS, hardware and security."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

import attrs


class DeviceKind(StrEnum):
    """The two device families Jamf Pro manages separately."""

    COMPUTER = "computer"
    MOBILE = "mobile"


class FileVaultState(StrEnum):
    """Disk encryption state of a Mac's boot volume, as Jamf reports it."""

    ENCRYPTED = "encrypted"
    ENCRYPTING = "encrypting"
    PARTIALLY_ENCRYPTED = "partially_encrypted"
    NOT_ENCRYPTED = "not_encrypted"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class Toggle(StrEnum):
    """A security feature's state where Jamf may not have collected it."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    UNKNOWN = "unknown"

    @classmethod
    def of(cls, value: bool | None) -> Toggle:
        """Map a nullable boolean to a toggle."""
        if value is None:
            return cls.UNKNOWN
        return cls.ENABLED if value else cls.DISABLED


@attrs.frozen
class DeviceIdentity:
    """Every identifier a person or an API may use for one device."""

    kind: DeviceKind
    jamf_id: str
    name: str
    serial_number: str | None = None
    udid: str | None = None
    management_id: str | None = None
    asset_tag: str | None = None

    @property
    def label(self) -> str:
        """A short human label: `Name (serial SERIAL)`."""
        return f"{self.name} (serial {self.serial_number})" if self.serial_number else self.name


@attrs.frozen
class UserAndLocation:
    """Who a device is assigned to and where it lives."""

    username: str | None = None
    real_name: str | None = None
    email: str | None = None
    position: str | None = None
    department: str | None = None
    building: str | None = None
    room: str | None = None


@attrs.frozen
class OperatingSystem:
    """The OS a device runs."""

    name: str | None = None
    version: str | None = None
    build: str | None = None


@attrs.frozen
class Hardware:
    """Hardware facts that matter for fleet questions."""

    model: str | None = None
    model_identifier: str | None = None
    processor: str | None = None
    apple_silicon: bool | None = None
    total_ram_mb: int | None = None


@attrs.frozen
class SecurityState:
    """Security posture where Jamf knows it; `UNKNOWN` where it was not collected or not asked for."""

    filevault: FileVaultState = FileVaultState.UNKNOWN
    sip: Toggle = Toggle.UNKNOWN
    gatekeeper: Toggle = Toggle.UNKNOWN
    firewall: Toggle = Toggle.UNKNOWN


@attrs.frozen
class Storage:
    """Boot drive capacity."""

    boot_drive_free_mb: int | None = None
    boot_drive_size_mb: int | None = None


@attrs.frozen
class Device:
    """A managed computer or mobile device.

    `last_check_in` is the last time the device talked to Jamf Pro (jamf binary check-in or MDM
    contact); `last_inventory` is the last full inventory report — two different clocks.
    """

    identity: DeviceIdentity
    managed: bool | None = None
    user: UserAndLocation = UserAndLocation()
    os: OperatingSystem = OperatingSystem()
    hardware: Hardware = Hardware()
    security: SecurityState = SecurityState()
    storage: Storage = Storage()
    last_check_in: datetime | None = None
    last_inventory: datetime | None = None
    last_enrolled: datetime | None = None
    ip_address: str | None = None
    groups: tuple[str, ...] = ()

    @property
    def kind(self) -> DeviceKind:
        """Computer or mobile device."""
        return self.identity.kind

    def time_since_check_in(self, now: datetime) -> timedelta | None:
        """How long ago the device last checked in; None when it never has."""
        if self.last_check_in is None:
            return None
        return max(now - self.last_check_in, timedelta(0))

    def days_since_check_in(self, now: datetime) -> int | None:
        """Whole days since the last check-in; None when it never has."""
        elapsed = self.time_since_check_in(now)
        return None if elapsed is None else elapsed.days
