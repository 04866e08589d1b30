"""Devices and policies as ChatGPT search results and fetched documents (title, text, url)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from jamf_mcp.adapters.mcp_jamf.jamf_tools_present import timestamp
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.policies import Policy

COMPUTER, MOBILE, POLICY = "computer", "mobile", "policy"
"""The prefixes of result ids: `computer:123`, `mobile:12`, `policy:45`."""

_PAGES = {COMPUTER: "computers.html", MOBILE: "mobileDevices.html", POLICY: "policies.html"}


def device_prefix(kind: DeviceKind) -> str:
    """The id prefix of a device family."""
    return COMPUTER if kind is DeviceKind.COMPUTER else MOBILE


def record_url(jamf_base_url: str, prefix: str, jamf_id: str | int) -> str:
    """The record's page in the Jamf Pro web interface."""
    return f"{jamf_base_url}/{_PAGES[prefix]}?id={quote(str(jamf_id), safe='')}&o=r"


def device_title(device: Device) -> str:
    """`MAC-123 — MacBook Pro (serial C02…), John Smith`, leaving out what is unknown."""
    identity = device.identity
    what = device.hardware.model or (
        "Computer" if device.kind is DeviceKind.COMPUTER else "Mobile device"
    )
    serial = f" (serial {identity.serial_number})" if identity.serial_number else ""
    user = device.user.real_name or device.user.username
    return f"{identity.name} — {what}{serial}" + (f", {user}" if user else "")


def _line(label: str, *parts: object) -> str | None:
    shown = [str(part) for part in parts if part not in (None, "")]
    return f"{label}: {' '.join(shown)}" if shown else None


def _days_ago(value: datetime | None, now: datetime) -> str | None:
    if value is None:
        return None
    days = max((now - value).days, 0)
    return f"{timestamp(value)} ({days} day{'' if days == 1 else 's'} ago)"


def device_text(device: Device, now: datetime) -> str:
    """Everything known about the device, one fact per line."""
    identity, user, hw, sec = device.identity, device.user, device.hardware, device.security
    family = "Computer" if device.kind is DeviceKind.COMPUTER else "Mobile device"
    contact = ", ".join(v for v in (user.username, user.email) if v)
    place = ", ".join(v for v in (user.department, user.building, user.room) if v)
    managed = {True: "yes", False: "no", None: "unknown"}[device.managed]
    free, size = device.storage.boot_drive_free_mb, device.storage.boot_drive_size_mb
    storage = None if free is None else f"Boot drive: {free} MB free"
    if storage is not None and size is not None:
        storage += f" of {size} MB"
    lines = [
        f"{family} {identity.name} (Jamf id {identity.jamf_id})",
        _line("Serial number", identity.serial_number),
        _line("Asset tag", identity.asset_tag),
        _line("UDID", identity.udid),
        _line("User", user.real_name, f"({contact})" if contact else None, user.position),
        _line("Department and location", place),
        _line("Operating system", device.os.name, device.os.version, device.os.build),
        _line("Model", hw.model, f"({hw.model_identifier})" if hw.model_identifier else None),
        _line("Processor", hw.processor),
        _line("Memory", f"{hw.total_ram_mb} MB" if hw.total_ram_mb else None),
        f"Security: FileVault {sec.filevault.value}, System Integrity Protection "
        f"{sec.sip.value}, Gatekeeper {sec.gatekeeper.value}, firewall {sec.firewall.value}",
        storage,
        f"Managed: {managed}",
        _line("Last check-in", _days_ago(device.last_check_in, now)) or "Last check-in: never",
        _line("Last inventory update", _days_ago(device.last_inventory, now)),
        _line("Enrolled", timestamp(device.last_enrolled)),
        _line("IP address", device.ip_address),
        _line("Groups", ", ".join(device.groups)),
    ]
    return "\n".join(line for line in lines if line)


def device_metadata(device: Device, now: datetime) -> dict[str, Any]:
    """A few facts to filter or cite by."""
    return {
        "type": device_prefix(device.kind),
        "jamfId": device.identity.jamf_id,
        "serialNumber": device.identity.serial_number,
        "user": device.user.real_name or device.user.username,
        "department": device.user.department,
        "osVersion": device.os.version,
        "lastCheckIn": timestamp(device.last_check_in),
        "daysSinceCheckIn": device.days_since_check_in(now),
    }


def policy_title(policy: Policy) -> str:
    """`Install Google Chrome — policy 7, enabled (Apps)`."""
    state = "enabled" if policy.enabled else "disabled"
    category = f" ({policy.category})" if policy.category else ""
    return f"{policy.name} — policy {policy.policy_id}, {state}{category}"


def policy_text(policy: Policy, how_it_runs: str) -> str:
    """The policy in full, one fact per line."""
    scope = policy.scope
    lines = [
        f"Policy {policy.name} (Jamf id {policy.policy_id})",
        f"State: {'enabled' if policy.enabled else 'disabled'}",
        _line("Category", policy.category),
        _line("Site", policy.site),
        _line("Frequency", policy.frequency),
        f"Triggers: {', '.join(policy.triggers) or 'none'}",
        f"Self Service: {'yes' if policy.self_service else 'no'}",
        f"Scope: {scope.describe()}",
        _line("Scoped computer groups", ", ".join(scope.computer_groups)),
        _line("Scoped computers", ", ".join(scope.computers)),
        _line("Scoped departments", ", ".join(scope.departments)),
        _line("Scoped buildings", ", ".join(scope.buildings)),
        _line("Excluded computers", ", ".join(scope.excluded_computers)),
        _line("Excluded groups", ", ".join(scope.excluded_groups)),
        f"Packages: {', '.join(policy.packages) or 'none'}",
        f"Scripts: {', '.join(policy.scripts) or 'none'}",
        f"Collects inventory: {'yes' if policy.collects_inventory else 'no'}",
        f"How it runs: {how_it_runs}",
    ]
    return "\n".join(line for line in lines if line)


def policy_metadata(policy: Policy) -> dict[str, Any]:
    """A few facts to filter or cite by."""
    return {
        "type": POLICY,
        "jamfId": policy.policy_id,
        "enabled": policy.enabled,
        "category": policy.category,
        "frequency": policy.frequency,
        "scope": policy.scope.describe(),
    }
