"""Domain objects as the JSON the Jamf tools return (`structuredContent`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jamf_mcp.domain.compliance import ComplianceSummary, DeviceCompliance
from jamf_mcp.domain.devices import Device
from jamf_mcp.domain.fleet import FleetSummary
from jamf_mcp.domain.policies import Policy


def timestamp(value: datetime | None) -> str | None:
    """ISO-8601 UTC with a `Z`, or None."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _days_since(value: datetime | None, now: datetime) -> int | None:
    return None if value is None else max((now - value).days, 0)


def device_summary(device: Device, now: datetime) -> dict[str, Any]:
    """The fields a list of devices shows."""
    identity = device.identity
    return {
        "id": identity.jamf_id,
        "deviceType": identity.kind.value,
        "name": identity.name,
        "serialNumber": identity.serial_number,
        "assetTag": identity.asset_tag,
        "model": device.hardware.model,
        "osVersion": device.os.version,
        "user": device.user.real_name,
        "username": device.user.username,
        "email": device.user.email,
        "department": device.user.department,
        "building": device.user.building,
        "lastCheckIn": timestamp(device.last_check_in),
        "daysSinceCheckIn": _days_since(device.last_check_in, now),
        "managed": device.managed,
    }


def device_details(device: Device, now: datetime) -> dict[str, Any]:
    """Everything the product knows about one device."""
    identity, user, hw, sec = device.identity, device.user, device.hardware, device.security
    storage = device.storage
    return {
        "id": identity.jamf_id,
        "deviceType": identity.kind.value,
        "name": identity.name,
        "serialNumber": identity.serial_number,
        "udid": identity.udid,
        "managementId": identity.management_id,
        "assetTag": identity.asset_tag,
        "managed": device.managed,
        "user": {
            "name": user.real_name,
            "username": user.username,
            "email": user.email,
            "position": user.position,
            "department": user.department,
            "building": user.building,
            "room": user.room,
        },
        "operatingSystem": {
            "name": device.os.name,
            "version": device.os.version,
            "build": device.os.build,
        },
        "hardware": {
            "model": hw.model,
            "modelIdentifier": hw.model_identifier,
            "processor": hw.processor,
            "appleSilicon": hw.apple_silicon,
            "totalRamMb": hw.total_ram_mb,
        },
        "security": {
            "fileVault": sec.filevault.value,
            "systemIntegrityProtection": sec.sip.value,
            "gatekeeper": sec.gatekeeper.value,
            "firewall": sec.firewall.value,
        },
        "storage": {
            "bootDriveFreeMb": storage.boot_drive_free_mb,
            "bootDriveSizeMb": storage.boot_drive_size_mb,
        },
        "lastCheckIn": timestamp(device.last_check_in),
        "daysSinceCheckIn": _days_since(device.last_check_in, now),
        "lastInventoryUpdate": timestamp(device.last_inventory),
        "daysSinceInventoryUpdate": _days_since(device.last_inventory, now),
        "lastEnrolled": timestamp(device.last_enrolled),
        "ipAddress": device.ip_address,
        "groups": list(device.groups),
    }


def noncompliant_device(item: DeviceCompliance, now: datetime) -> dict[str, Any]:
    """One row of the compliance report (the seed's shape plus the findings)."""
    device = item.device
    return {
        "id": device.identity.jamf_id,
        "name": device.identity.name,
        "serialNumber": device.identity.serial_number,
        "assetTag": device.identity.asset_tag,
        "user": device.user.real_name or device.user.username,
        "department": device.user.department,
        "lastCheckIn": timestamp(device.last_check_in),
        "daysSinceCheckIn": _days_since(device.last_check_in, now),
        "severity": item.severity.value,
        "findings": [
            {"rule": f.rule, "severity": f.severity.value, "detail": f.detail}
            for f in item.findings
        ],
    }


def compliance_summary(summary: ComplianceSummary) -> dict[str, Any]:
    """The report's counts."""
    return {
        "total": summary.total,
        "compliant": summary.compliant,
        "noncompliant": summary.noncompliant,
        "critical": summary.critical,
        "warning": summary.warning,
        "rules": list(summary.rules),
        "byRule": [
            {"rule": t.rule, "critical": t.critical, "warning": t.warning} for t in summary.by_rule
        ],
        "generatedAt": timestamp(summary.generated_at),
    }


def policy_summary(policy: Policy) -> dict[str, Any]:
    """The fields a list of policies shows."""
    return {
        "id": policy.policy_id,
        "name": policy.name,
        "enabled": policy.enabled,
        "category": policy.category,
        "frequency": policy.frequency,
        "triggers": list(policy.triggers),
        "scope": policy.scope.describe(),
        "selfService": policy.self_service,
    }


def policy_details(policy: Policy) -> dict[str, Any]:
    """Everything about one policy."""
    scope = policy.scope
    return policy_summary(policy) | {
        "site": policy.site,
        "collectsInventory": policy.collects_inventory,
        "packages": list(policy.packages),
        "scripts": list(policy.scripts),
        "scopeDetails": {
            "allComputers": scope.all_computers,
            "computers": list(scope.computers),
            "computerGroups": list(scope.computer_groups),
            "departments": list(scope.departments),
            "buildings": list(scope.buildings),
            "excludedComputers": list(scope.excluded_computers),
            "excludedGroups": list(scope.excluded_groups),
        },
        "howItRuns": (
            "Runs on each computer in scope at its next check-in (usually within 15 minutes)."
            if policy.enabled and policy.runs_at_check_in
            else "Runs only through its other triggers ("
            + (", ".join(policy.triggers) or "none")
            + ")."
            if policy.enabled
            else "Disabled: it does not run."
        ),
    }


def fleet_summary(summary: FleetSummary) -> dict[str, Any]:
    """Counts as lists of `{value, count}`, largest first (check-in buckets by age)."""

    def counts(pairs: tuple[tuple[str, int], ...]) -> list[dict[str, Any]]:
        return [{"value": value, "count": count} for value, count in pairs]

    return {
        "total": summary.total,
        "byOsVersion": counts(summary.by_os_version),
        "byModel": counts(summary.by_model),
        "byFileVault": counts(summary.by_filevault),
        "byCheckIn": counts(summary.by_check_in),
        "byDepartment": counts(summary.by_department),
        "generatedAt": timestamp(summary.generated_at),
    }
