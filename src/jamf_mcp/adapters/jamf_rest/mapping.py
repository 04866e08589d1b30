"""Named translations from Jamf Pro inventory JSON to domain `Device`s (never `Device(**payload)`)."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from jamf_mcp.adapters.jamf_rest.json_fields import (
    Json,
    flag,
    instant,
    items,
    number,
    ref_id,
    section,
    text,
)
from jamf_mcp.domain.devices import (
    Device,
    DeviceIdentity,
    DeviceKind,
    FileVaultState,
    Hardware,
    OperatingSystem,
    SecurityState,
    Storage,
    Toggle,
    UserAndLocation,
)

_FILEVAULT_STATUS = {
    "ALL_ENCRYPTED": FileVaultState.ENCRYPTED,
    "BOOT_ENCRYPTED": FileVaultState.PARTIALLY_ENCRYPTED,
    "SOME_ENCRYPTED": FileVaultState.PARTIALLY_ENCRYPTED,
    "NOT_ENCRYPTED": FileVaultState.NOT_ENCRYPTED,
    "NOT_APPLICABLE": FileVaultState.NOT_APPLICABLE,
}
_PARTITION_STATE = {
    "ENCRYPTED": FileVaultState.ENCRYPTED,
    "ENCRYPTING": FileVaultState.ENCRYPTING,
    "ENCRYPTING_PAUSED": FileVaultState.ENCRYPTING,
    "OPTIMIZING": FileVaultState.ENCRYPTING,
    "UNENCRYPTED": FileVaultState.NOT_ENCRYPTED,
    "DECRYPTED": FileVaultState.NOT_ENCRYPTED,
    "DECRYPTING": FileVaultState.NOT_ENCRYPTED,
    "DECRYPTING_PAUSED": FileVaultState.NOT_ENCRYPTED,
    "INELIGIBLE": FileVaultState.NOT_APPLICABLE,
}
_MOBILE_OS = {"ios": "iOS", "tvos": "tvOS", "watchos": "watchOS", "visionos": "visionOS"}


@attrs.frozen
class DirectoryNames:
    """Department and building names by Jamf id, for records that carry only ids."""

    departments: Mapping[str, str] = attrs.field(factory=dict)
    buildings: Mapping[str, str] = attrs.field(factory=dict)


def computer_from_inventory(record: Json, names: DirectoryNames | None = None) -> Device:
    """A computer from a `computers-inventory` record (v1, v3 or v4; unrequested sections null).

    Args:
        record: One item of `results`, or a `computers-inventory-detail` body.
        names: Department and building names by id; without them both stay None.
    """
    general = section(record, "general")
    hardware = section(record, "hardware")
    system = section(record, "operatingSystem")
    jamf_id = text(record, "id") or ""
    return Device(
        identity=DeviceIdentity(
            kind=DeviceKind.COMPUTER,
            jamf_id=jamf_id,
            name=text(general, "name") or f"Computer {jamf_id}",
            serial_number=text(hardware, "serialNumber"),
            udid=text(record, "udid"),
            management_id=text(general, "managementId"),
            asset_tag=text(general, "assetTag"),
        ),
        managed=flag(section(general, "remoteManagement"), "managed"),
        user=_computer_user(section(record, "userAndLocation"), names or DirectoryNames()),
        os=OperatingSystem(
            name=text(system, "name"), version=text(system, "version"), build=text(system, "build")
        ),
        hardware=Hardware(
            model=text(hardware, "model"),
            model_identifier=text(hardware, "modelIdentifier"),
            processor=text(hardware, "processorType"),
            apple_silicon=flag(hardware, "appleSilicon"),
            total_ram_mb=number(hardware, "totalRamMegabytes"),
        ),
        security=_computer_security(record),
        storage=_computer_storage(section(record, "storage")),
        last_check_in=instant(general, "lastContact") or instant(general, "lastContactTime"),
        last_inventory=instant(general, "reportDate"),
        last_enrolled=instant(general, "lastEnrolledDate"),
        ip_address=text(general, "lastIpAddress") or text(general, "lastReportedIpV4"),
        groups=tuple(
            name
            for group in items(record, "groupMemberships")
            if (name := text(group, "groupName"))
        ),
    )


def _computer_user(location: Json, names: DirectoryNames) -> UserAndLocation:
    department_id = ref_id(location, "departmentId")
    building_id = ref_id(location, "buildingId")
    return UserAndLocation(
        username=text(location, "username"),
        real_name=text(location, "realname"),
        email=text(location, "email"),
        position=text(location, "position"),
        department=names.departments.get(department_id) if department_id else None,
        building=names.buildings.get(building_id) if building_id else None,
        room=text(location, "room"),
    )


def filevault_state(record: Json) -> FileVaultState:
    """FileVault from `operatingSystem.fileVault2Status`, refined by the boot partition's state."""
    boot = section(section(record, "diskEncryption"), "bootPartitionEncryptionDetails")
    partition = (text(boot, "partitionFileVault2State") or "").upper()
    if _PARTITION_STATE.get(partition) is FileVaultState.ENCRYPTING:
        return FileVaultState.ENCRYPTING
    status = (text(section(record, "operatingSystem"), "fileVault2Status") or "").upper()
    if status in _FILEVAULT_STATUS:
        return _FILEVAULT_STATUS[status]
    return _PARTITION_STATE.get(partition, FileVaultState.UNKNOWN)


def _toggle(value: str | None, *, disabled: str = "DISABLED") -> Toggle:
    state = (value or "").upper()
    if state == disabled:
        return Toggle.DISABLED
    if state == "ENABLED" or state.startswith("APP_STORE"):
        return Toggle.ENABLED
    return Toggle.UNKNOWN


def _computer_security(record: Json) -> SecurityState:
    security = section(record, "security")
    return SecurityState(
        filevault=filevault_state(record),
        sip=_toggle(text(security, "sipStatus")),
        gatekeeper=_toggle(text(security, "gatekeeperStatus")),
        firewall=Toggle.of(flag(security, "firewallEnabled")),
    )


def _computer_storage(storage: Json) -> Storage:
    boot_size = None
    for disk in items(storage, "disks"):
        for partition in items(disk, "partitions"):
            if (text(partition, "partitionType") or "").upper() == "BOOT":
                boot_size = number(partition, "sizeMegabytes")
                break
        if boot_size is not None:
            break
    return Storage(
        boot_drive_free_mb=number(storage, "bootDriveAvailableSpaceMegabytes"),
        boot_drive_size_mb=boot_size,
    )


def mobile_device_from_detail(record: Json) -> Device:
    """A mobile device from a `/api/v2/mobile-devices/detail` (sectioned list) record."""
    general = section(record, "general")
    hardware = section(record, "hardware")
    location = section(record, "userAndLocation")
    jamf_id = text(record, "mobileDeviceId") or text(record, "id") or ""
    device_type = text(record, "deviceType")
    return Device(
        identity=DeviceIdentity(
            kind=DeviceKind.MOBILE,
            jamf_id=jamf_id,
            name=text(general, "displayName") or f"Mobile device {jamf_id}",
            serial_number=text(hardware, "serialNumber"),
            udid=text(general, "udid"),
            management_id=text(general, "managementId"),
            asset_tag=text(general, "assetTag"),
        ),
        managed=flag(general, "managed"),
        user=UserAndLocation(
            username=text(location, "username"),
            real_name=text(location, "realName"),
            email=text(location, "emailAddress"),
            position=text(location, "position"),
            department=text(location, "department"),
            building=text(location, "building"),
            room=text(location, "room"),
        ),
        os=OperatingSystem(
            name=_MOBILE_OS.get((device_type or "").lower(), device_type) if device_type else None,
            version=text(general, "osVersion"),
            build=text(general, "osBuild"),
        ),
        hardware=Hardware(
            model=text(hardware, "model"), model_identifier=text(hardware, "modelIdentifier")
        ),
        security=SecurityState(filevault=FileVaultState.NOT_APPLICABLE),
        storage=Storage(
            boot_drive_free_mb=number(hardware, "availableSpaceMb"),
            boot_drive_size_mb=number(hardware, "capacityMb"),
        ),
        last_check_in=instant(general, "lastContactDate"),
        last_inventory=instant(general, "lastInventoryUpdateDate"),
        last_enrolled=instant(general, "lastEnrolledDate"),
        ip_address=text(general, "ipAddress"),
        groups=_group_names(record),
    )


def mobile_device_from_single_detail(record: Json, names: DirectoryNames | None = None) -> Device:
    """A mobile device from `/api/v2/mobile-devices/{id}/detail` (flat, with a `location` object)."""
    location = section(record, "location")
    platform = text(record, "type")
    family = section(record, platform.lower()) if platform else section(record, "ios")
    names = names or DirectoryNames()
    department_id = ref_id(location, "departmentId")
    building_id = ref_id(location, "buildingId")
    jamf_id = text(record, "id") or ""
    return Device(
        identity=DeviceIdentity(
            kind=DeviceKind.MOBILE,
            jamf_id=jamf_id,
            name=text(record, "name") or f"Mobile device {jamf_id}",
            serial_number=text(record, "serialNumber"),
            udid=text(record, "udid"),
            management_id=text(record, "managementId"),
            asset_tag=text(record, "assetTag"),
        ),
        managed=flag(record, "managed"),
        user=UserAndLocation(
            username=text(location, "username"),
            real_name=text(location, "realName"),
            email=text(location, "emailAddress"),
            position=text(location, "position"),
            department=names.departments.get(department_id) if department_id else None,
            building=names.buildings.get(building_id) if building_id else None,
            room=text(location, "room"),
        ),
        os=OperatingSystem(
            name=_MOBILE_OS.get((platform or "").lower(), platform) if platform else None,
            version=text(record, "osVersion"),
            build=text(record, "osBuild"),
        ),
        hardware=Hardware(
            model=text(family, "model"), model_identifier=text(family, "modelIdentifier")
        ),
        security=SecurityState(filevault=FileVaultState.NOT_APPLICABLE),
        storage=Storage(
            boot_drive_free_mb=number(family, "availableMb"),
            boot_drive_size_mb=number(family, "capacityMb"),
        ),
        last_check_in=instant(record, "lastContactTimestamp"),
        last_inventory=instant(record, "lastInventoryUpdateTimestamp"),
        last_enrolled=instant(record, "lastEnrollmentTimestamp"),
        ip_address=text(record, "ipAddress"),
        groups=_group_names(record),
    )


def _group_names(record: Json) -> tuple[str, ...]:
    return tuple(
        name
        for group in items(record, "groups")
        if (name := text(group, "groupName") or text(group, "name"))
    )
