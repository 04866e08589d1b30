"""Mapping real-shaped Jamf JSON (v1/v4 computers, mobile lists and details, Classic policies) to the domain."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from jamf_mcp.adapters.jamf_rest.mapping import (
    DirectoryNames,
    computer_from_inventory,
    filevault_state,
    mobile_device_from_detail,
    mobile_device_from_single_detail,
)
from jamf_mcp.adapters.jamf_rest.policy_mapping import policy_from_classic, policy_refs_from_classic
from jamf_mcp.domain.devices import DeviceKind, FileVaultState, Toggle

NAMES = DirectoryNames(departments={"3": "Sales"}, buildings={"1": "HQ"})


def v1_record(**general: Any) -> dict[str, Any]:
    """A `computers-inventory` v1 record as Jamf sends it: every section key, unrequested ones null."""
    return {
        "id": "77",
        "udid": "0B5C2E57-1A2B-4C3D-9E8F-001122334455",
        "general": {
            "name": "John's MacBook Pro",
            "lastIpAddress": "10.0.0.7",
            "lastReportedIp": "10.0.0.7",
            "platform": "Mac",
            "assetTag": None,
            "remoteManagement": {"managed": True, "managementUsername": None},
            "reportDate": "2026-01-05T10:00:00.123Z",
            "lastContactTime": "2026-01-06T11:30:00.456Z",
            "lastEnrolledDate": "2024-02-01T09:00:00Z",
            "initialEntryDate": "2024-02-01",
            "managementId": "3f8a9c1e-0000-4000-8000-000000000077",
            "site": {"id": "-1", "name": "None"},
            **general,
        },
        "diskEncryption": None,
        "userAndLocation": {
            "username": "jsmith",
            "realname": "John Smith",
            "email": "john.smith@example.com",
            "position": "",
            "departmentId": "3",
            "buildingId": "-1",
            "room": None,
        },
        "hardware": {
            "model": "MacBook Pro (14-inch, 2023)",
            "modelIdentifier": "Mac14,9",
            "serialNumber": "C02XK1Y2JG5H",
            "processorType": "Apple M2 Pro",
            "appleSilicon": True,
            "totalRamMegabytes": -1,
            "coreCount": -1,
        },
        "operatingSystem": {
            "name": "macOS",
            "version": "14.5",
            "build": "23F79",
            "fileVault2Status": None,
        },
        "security": {
            "sipStatus": "ENABLED",
            "gatekeeperStatus": "APP_STORE",
            "firewallEnabled": False,
        },
        "storage": {
            "bootDriveAvailableSpaceMegabytes": 51200,
            "disks": [
                {"partitions": [{"partitionType": "OTHER", "sizeMegabytes": 1}]},
                {"partitions": [{"partitionType": "BOOT", "sizeMegabytes": 494384}]},
            ],
        },
        "groupMemberships": [
            {"groupId": "1", "groupName": "All Managed Clients", "smartGroup": True}
        ],
        "applications": None,
        "purchasing": None,
    }


def test_maps_a_v1_computer_with_nulls_and_sentinels() -> None:
    device = computer_from_inventory(v1_record(), NAMES)
    assert device.kind is DeviceKind.COMPUTER
    assert device.identity.jamf_id == "77"
    assert device.identity.name == "John's MacBook Pro"
    assert device.identity.serial_number == "C02XK1Y2JG5H"
    assert device.identity.asset_tag is None
    assert device.managed is True
    assert device.user.real_name == "John Smith"
    assert device.user.department == "Sales"
    assert device.user.building is None, "-1 means no building"
    assert device.user.position is None and device.user.room is None
    assert device.hardware.total_ram_mb is None, "-1 is Jamf's 'unknown'"
    assert device.hardware.apple_silicon is True
    assert device.last_check_in == datetime(2026, 1, 6, 11, 30, 0, 456_000, tzinfo=UTC)
    assert device.last_inventory == datetime(2026, 1, 5, 10, 0, 0, 123_000, tzinfo=UTC)
    assert device.security.sip is Toggle.ENABLED
    assert device.security.gatekeeper is Toggle.ENABLED
    assert device.security.firewall is Toggle.DISABLED
    assert device.security.filevault is FileVaultState.UNKNOWN
    assert device.storage.boot_drive_free_mb == 51200
    assert device.storage.boot_drive_size_mb == 494384
    assert device.groups == ("All Managed Clients",)
    assert device.ip_address == "10.0.0.7"


def test_maps_the_v4_last_contact_field_to_the_same_check_in() -> None:
    record = v1_record()
    record["general"].pop("lastContactTime")
    record["general"]["lastContact"] = "2026-01-06T11:30:00.456Z"
    record["general"]["lastCheckIn"] = "2026-01-06T11:00:00.000Z"
    device = computer_from_inventory(record)
    assert device.last_check_in == datetime(2026, 1, 6, 11, 30, 0, 456_000, tzinfo=UTC)
    assert device.user.department is None, "without directory names there are none"


def test_a_general_only_record_leaves_every_other_aspect_unknown() -> None:
    record = {
        "id": "5",
        "udid": None,
        "general": {"name": "Lab-05", "lastContactTime": None, "remoteManagement": None},
        "hardware": None,
        "userAndLocation": None,
        "operatingSystem": None,
        "security": None,
        "storage": None,
        "diskEncryption": None,
        "groupMemberships": None,
    }
    device = computer_from_inventory(record, NAMES)
    assert device.identity.name == "Lab-05"
    assert device.last_check_in is None
    assert device.managed is None
    assert device.security.sip is Toggle.UNKNOWN and device.security.firewall is Toggle.UNKNOWN
    assert device.storage.boot_drive_free_mb is None
    assert device.groups == ()


@pytest.mark.parametrize(
    ("status", "partition", "expected"),
    [
        ("ALL_ENCRYPTED", None, FileVaultState.ENCRYPTED),
        ("BOOT_ENCRYPTED", "ENCRYPTED", FileVaultState.PARTIALLY_ENCRYPTED),
        ("SOME_ENCRYPTED", None, FileVaultState.PARTIALLY_ENCRYPTED),
        ("NOT_ENCRYPTED", "ENCRYPTING", FileVaultState.ENCRYPTING),
        ("NOT_ENCRYPTED", "UNENCRYPTED", FileVaultState.NOT_ENCRYPTED),
        ("NOT_APPLICABLE", None, FileVaultState.NOT_APPLICABLE),
        (None, "ENCRYPTED", FileVaultState.ENCRYPTED),
        (None, None, FileVaultState.UNKNOWN),
        ("SOMETHING_NEW", None, FileVaultState.UNKNOWN),
    ],
)
def test_filevault_state_comes_from_the_os_status_and_the_boot_partition(
    status: str | None, partition: str | None, expected: FileVaultState
) -> None:
    record = {
        "operatingSystem": {"fileVault2Status": status},
        "diskEncryption": {
            "bootPartitionEncryptionDetails": {"partitionFileVault2State": partition}
        },
    }
    assert filevault_state(record) is expected


@pytest.mark.parametrize(
    ("sip", "gatekeeper", "expected_sip", "expected_gatekeeper"),
    [
        ("DISABLED", "DISABLED", Toggle.DISABLED, Toggle.DISABLED),
        ("ENABLED", "APP_STORE_AND_IDENTIFIED_DEVELOPERS", Toggle.ENABLED, Toggle.ENABLED),
        ("NOT_COLLECTED", "NOT_COLLECTED", Toggle.UNKNOWN, Toggle.UNKNOWN),
        ("NOT_AVAILABLE", None, Toggle.UNKNOWN, Toggle.UNKNOWN),
    ],
)
def test_sip_and_gatekeeper_statuses_map_to_toggles(
    sip: str, gatekeeper: str | None, expected_sip: Toggle, expected_gatekeeper: Toggle
) -> None:
    record = v1_record()
    record["security"] = {"sipStatus": sip, "gatekeeperStatus": gatekeeper, "firewallEnabled": None}
    security = computer_from_inventory(record).security
    assert (security.sip, security.gatekeeper, security.firewall) == (
        expected_sip,
        expected_gatekeeper,
        Toggle.UNKNOWN,
    )


def test_maps_a_mobile_device_from_the_sectioned_detail_list() -> None:
    record = {
        "mobileDeviceId": "12",
        "deviceType": "iOS",
        "general": {
            "udid": "00008110-000A",
            "displayName": "John Smith's iPhone",
            "assetTag": "IPH-012",
            "lastContactDate": "2026-01-06T08:00:00.000Z",
            "lastInventoryUpdateDate": "2026-01-05T08:00:00.000Z",
            "osVersion": "17.5.1",
            "osBuild": "21F90",
            "managed": True,
            "managementId": "mgmt-12",
        },
        "hardware": {
            "serialNumber": "F2LXQ0AAAA",
            "model": "iPhone 15",
            "capacityMb": 121_000,
            "availableSpaceMb": -1,
        },
        "userAndLocation": {
            "username": "jsmith",
            "realName": "John Smith",
            "emailAddress": "j@x",
            "department": "Sales",
            "building": None,
        },
        "security": None,
    }
    device = mobile_device_from_detail(record)
    assert device.kind is DeviceKind.MOBILE
    assert (device.identity.jamf_id, device.identity.name) == ("12", "John Smith's iPhone")
    assert device.identity.serial_number == "F2LXQ0AAAA"
    assert device.os.name == "iOS" and device.os.version == "17.5.1"
    assert device.user.department == "Sales" and device.user.building is None
    assert (
        device.storage.boot_drive_free_mb is None and device.storage.boot_drive_size_mb == 121_000
    )
    assert device.last_check_in == datetime(2026, 1, 6, 8, 0, tzinfo=UTC)
    assert device.security.filevault is FileVaultState.NOT_APPLICABLE


def test_maps_a_mobile_device_from_the_single_detail_endpoint() -> None:
    record = {
        "id": "12",
        "name": "Kiosk iPad",
        "serialNumber": "DMPX",
        "udid": "u-12",
        "lastContactTimestamp": "2026-01-06T08:00:00Z",
        "osVersion": "17.4",
        "managed": False,
        "type": "ios",
        "ios": {"model": "iPad Air", "capacityMb": 64_000, "availableMb": 1000},
        "location": {"username": None, "realName": None, "departmentId": "3", "buildingId": "1"},
        "groups": [{"groupId": "4", "groupName": "Kiosks"}],
    }
    device = mobile_device_from_single_detail(record, NAMES)
    assert device.identity.name == "Kiosk iPad"
    assert device.hardware.model == "iPad Air"
    assert (device.user.department, device.user.building) == ("Sales", "HQ")
    assert device.groups == ("Kiosks",)
    assert device.managed is False


def test_maps_a_classic_policy_with_scope_triggers_and_sentinel_category() -> None:
    body = {
        "policy": {
            "general": {
                "id": 45,
                "name": "Software Update",
                "enabled": True,
                "trigger_checkin": True,
                "trigger_login": False,
                "trigger_other": "swu",
                "frequency": "Once every day",
                "category": {"id": -1, "name": "No category assigned"},
                "site": {"id": -1, "name": "None"},
            },
            "scope": {
                "all_computers": False,
                "computers": [{"id": 1, "name": "Marketing-MBP", "udid": "x"}],
                "computer_groups": [{"id": 2, "name": "Sales Macs"}],
                "departments": [],
                "exclusions": {"computers": [], "computer_groups": [{"id": 9, "name": "VIP"}]},
            },
            "self_service": {"use_for_self_service": False},
            "package_configuration": {
                "packages": [{"id": 3, "name": "Chrome.pkg", "action": "Install"}]
            },
            "scripts": [{"id": 4, "name": "cleanup.sh", "priority": "After"}],
            "maintenance": {"recon": True},
        }
    }
    policy = policy_from_classic(body)
    assert (policy.policy_id, policy.name, policy.enabled) == (45, "Software Update", True)
    assert policy.category is None and policy.site is None
    assert policy.triggers == ("check-in", "custom:swu")
    assert policy.runs_at_check_in
    assert policy.scope.computers == ("Marketing-MBP",)
    assert policy.scope.computer_groups == ("Sales Macs",)
    assert policy.scope.excluded_groups == ("VIP",)
    assert policy.packages == ("Chrome.pkg",) and policy.scripts == ("cleanup.sh",)
    assert policy.collects_inventory


def test_a_policy_with_null_sections_still_maps() -> None:
    policy = policy_from_classic(
        {"policy": {"general": {"id": 1, "name": "Update Inventory"}, "scope": None}}
    )
    assert policy.name == "Update Inventory"
    assert policy.enabled is False and policy.triggers == () and policy.scope.describe() == "no one"


def test_lists_policy_refs_from_plain_and_wrapped_classic_json() -> None:
    plain = {
        "policies": [{"id": 1, "name": "Update Inventory"}, {"id": 45, "name": "Software Update"}]
    }
    wrapped = {"policies": [{"policy": {"id": 1, "name": "Update Inventory"}}]}
    assert [r.policy_id for r in policy_refs_from_classic(plain)] == [1, 45]
    assert policy_refs_from_classic(wrapped)[0].name == "Update Inventory"
    assert policy_refs_from_classic({"policies": None}) == ()
