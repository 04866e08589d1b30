"""Which computer fields ``filter`` and ``sort`` accept (reference §2.2), and how to read them."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from jamf_mcp.simulator.catalog import MAC_MODELS
from jamf_mcp.simulator.computer_facts import ComputerFacts
from jamf_mcp.simulator.records import ComputerRecord
from jamf_mcp.simulator.rsql import Field, Kind

Getter = Callable[[ComputerRecord], Any]
S, N, B, D = Kind.STRING, Kind.NUMBER, Kind.BOOLEAN, Kind.DATE


def _always(value: Any) -> Getter:
    return lambda _rec: value


def _extra(key: str) -> Getter:
    return lambda rec: rec.get_extra(key)


def _base_fields(facts: ComputerFacts) -> dict[str, tuple[Kind, Getter]]:
    return {
        "general.name": (S, lambda r: r.name),
        "udid": (S, facts.udid),
        "id": (N, lambda r: r.id),
        "general.assetTag": (S, lambda r: r.asset_tag),
        "general.barcode1": (S, _extra("barcode1")),
        "general.barcode2": (S, _extra("barcode2")),
        "general.enrolledViaAutomatedDeviceEnrollment": (B, lambda r: r.ade),
        "general.lastIpAddress": (S, facts.ip_address),
        "general.itunesStoreAccountActive": (B, _always(False)),
        "general.jamfBinaryVersion": (S, facts.jamf_binary_version),
        "general.lastEnrolledDate": (D, lambda r: r.enrolled),
        "general.lastCloudBackupDate": (D, _always(None)),
        "general.reportDate": (D, lambda r: r.report),
        "general.lastReportedIpV4": (S, facts.reported_ip),
        "general.lastReportedIpV6": (S, _always(None)),
        "general.managementId": (S, facts.management_id),
        "general.remoteManagement.managed": (B, lambda r: r.managed),
        "general.mdmCapable.capable": (B, lambda r: r.managed),
        "general.mdmCertificateExpiration": (D, lambda r: r.enrolled + 2 * 365 * 86_400_000),
        "general.platform": (S, _always("Mac")),
        "general.supervised": (B, lambda r: r.supervised),
        "general.userApprovedMdm": (B, lambda r: r.managed),
        "general.declarativeDeviceManagementEnabled": (B, lambda r: r.managed),
        "general.lastLoggedInUsernameSelfService": (S, lambda r: r.username),
        "general.lastLoggedInUsernameSelfServiceTimestamp": (D, lambda r: r.report),
        "general.lastLoggedInUsernameBinary": (S, lambda r: r.username),
        "general.lastLoggedInUsernameBinaryTimestamp": (D, lambda r: r.last_contact),
        "general.lastLoggedInUsernameMdm": (S, _always(None)),
        "general.lastLoggedInUsernameMdmTimestamp": (D, _always(None)),
        "hardware.bleCapable": (B, _always(True)),
        "hardware.macAddress": (S, facts.mac_address),
        "hardware.make": (S, _always("Apple")),
        "hardware.model": (S, lambda r: MAC_MODELS[r.model].model),
        "hardware.modelIdentifier": (S, lambda r: MAC_MODELS[r.model].identifier),
        "hardware.serialNumber": (S, lambda r: r.serial),
        "hardware.supportsIosAppInstalls": (B, lambda r: MAC_MODELS[r.model].apple_silicon),
        "hardware.appleSilicon": (B, lambda r: MAC_MODELS[r.model].apple_silicon),
        "operatingSystem.activeDirectoryStatus": (S, _always("Not Bound")),
        "operatingSystem.fileVault2Status": (S, lambda r: r.filevault),
        "operatingSystem.build": (S, facts.os_build),
        "operatingSystem.supplementalBuildVersion": (S, facts.os_build),
        "operatingSystem.rapidSecurityResponse": (S, _always("")),
        "operatingSystem.name": (S, _always("macOS")),
        "operatingSystem.version": (S, facts.os_version),
        "security.activationLockEnabled": (B, lambda r: r.id % 11 == 0),
        "security.recoveryLockEnabled": (
            B,
            lambda r: MAC_MODELS[r.model].apple_silicon and r.id % 3 == 0,
        ),
        "security.firewallEnabled": (B, lambda r: r.firewall),
        "userAndLocation.buildingId": (S, lambda r: str(r.building_id)),
        "userAndLocation.departmentId": (S, lambda r: str(r.department_id)),
        "userAndLocation.email": (S, lambda r: r.email),
        "userAndLocation.realname": (S, lambda r: r.realname),
        "userAndLocation.phone": (S, lambda r: r.phone),
        "userAndLocation.position": (S, lambda r: r.position),
        "userAndLocation.room": (S, lambda r: r.room),
        "userAndLocation.username": (S, lambda r: r.username),
        "diskEncryption.fileVault2Enabled": (B, lambda r: r.filevault != "NOT_ENCRYPTED"),
        "purchasing.appleCareId": (S, lambda r: facts.purchasing(r)["appleCareId"]),
        "purchasing.lifeExpectancy": (N, lambda r: facts.purchasing(r)["lifeExpectancy"]),
        "purchasing.purchased": (B, lambda r: facts.purchasing(r)["purchased"]),
        "purchasing.leased": (B, lambda r: facts.purchasing(r)["leased"]),
        "purchasing.vendor": (S, lambda r: facts.purchasing(r)["vendor"]),
        "purchasing.warrantyDate": (D, facts.warranty_ms),
    }


_LAST_CONTACT: Getter = lambda r: r.last_contact  # noqa: E731

_SORTABLE_V1 = (
    "general.name", "udid", "id", "general.assetTag", "general.jamfBinaryVersion",
    "general.lastContactTime", "general.lastEnrolledDate", "general.lastCloudBackupDate",
    "general.reportDate", "general.mdmCertificateExpiration", "general.platform",
    "general.lastLoggedInUsernameSelfService", "general.lastLoggedInUsernameSelfServiceTimestamp",
    "general.lastLoggedInUsernameBinary", "general.lastLoggedInUsernameBinaryTimestamp",
    "general.lastLoggedInUsernameMdm", "general.lastLoggedInUsernameMdmTimestamp",
    "hardware.make", "hardware.model", "operatingSystem.build",
    "operatingSystem.supplementalBuildVersion", "operatingSystem.rapidSecurityResponse",
    "operatingSystem.name", "operatingSystem.version", "userAndLocation.realname",
    "purchasing.lifeExpectancy", "purchasing.warrantyDate",
)  # fmt: skip


@cache
def computer_fields(seed: int, v4: bool) -> dict[str, Field]:
    """The filter whitelist of ``/api/v1|v3/computers-inventory`` (or v4's, with ``lastContact``)."""
    table = _base_fields(ComputerFacts(seed))
    # v4 records no longer carry `lastReportedIp`, but its filter allow-list still names it
    # (Jamf Pro 11.30.1 /api/schema, `GET /v4/computers-inventory` `filter` description).
    table["general.lastReportedIp"] = (S, table["general.lastReportedIpV4"][1])
    if v4:
        table["general.lastContact"] = (D, _LAST_CONTACT)
        table["general.lastCheckIn"] = (D, _LAST_CONTACT)
    else:
        table["general.lastContactTime"] = (D, _LAST_CONTACT)
    return {name: Field(kind, get) for name, (kind, get) in table.items()}


@cache
def computer_sort_fields(seed: int, v4: bool) -> dict[str, Field]:
    """The sort whitelist, with the same accessors as the filter fields."""
    fields = dict(computer_fields(seed, v4))
    names = list(_SORTABLE_V1)
    if v4:
        names.remove("general.lastContactTime")
        names += ["general.lastContact", "general.lastCheckIn"]
    return {name: fields[name] for name in names}
