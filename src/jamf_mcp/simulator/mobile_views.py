"""Render iPhones and iPads in the shapes of ``/api/v2/mobile-devices`` (list, detail, sectioned)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from jamf_mcp.simulator.catalog import IOS_BUILDS, IPAD_MODELS, IPHONE_MODELS, MobileModel
from jamf_mcp.simulator.clock import MS_PER_DAY, iso_ms
from jamf_mcp.simulator.records import (
    MobileRecord,
    stable_bytes,
    stable_ip,
    stable_mac,
    stable_uuid,
)
from jamf_mcp.simulator.rsql import Field, Kind
from jamf_mcp.simulator.tenant import Tenant

SECTION_KEYS = {
    "GENERAL": "general", "HARDWARE": "hardware", "USER_AND_LOCATION": "userAndLocation",
    "PURCHASING": "purchasing", "SECURITY": "security", "APPLICATIONS": "applications",
    "EBOOKS": "ebooks", "NETWORK": "network", "SERVICE_SUBSCRIPTIONS": "serviceSubscriptions",
    "CERTIFICATES": "certificates", "PROFILES": "profiles", "USER_PROFILES": "userProfiles",
    "PROVISIONING_PROFILES": "provisioningProfiles", "SHARED_USERS": "sharedUsers", "GROUPS": "groups",
    "EXTENSION_ATTRIBUTES": "extensionAttributes",
}  # fmt: skip


# The union of the `filter` and `sort` allow-lists of `GET /v2/mobile-devices/detail` in the
# Jamf Pro 11.30.1 schema (their descriptions, "Fields allowed in the query/sort").
MOBILE_ALLOWED = frozenset(
    [
        "airPlayPassword",
        "appAnalyticsEnabled",
        "assetTag",
        "availableSpaceMb",
        "batteryLevel",
        "batteryHealth",
        "bluetoothLowEnergyCapable",
        "bluetoothMacAddress",
        "capacityMb",
        "lostModeEnabledDate",
        "declarativeDeviceManagementEnabled",
        "deviceId",
        "deviceLocatorServiceEnabled",
        "devicePhoneNumber",
        "diagnosticAndUsageReportingEnabled",
        "displayName",
        "doNotDisturbEnabled",
        "enrollmentSessionTokenValid",
        "exchangeDeviceId",
        "cloudBackupEnabled",
        "osBuild",
        "osSupplementalBuildVersion",
        "osVersion",
        "osRapidSecurityResponse",
        "ipAddress",
        "itunesStoreAccountActive",
        "mobileDeviceId",
        "managementId",
        "languages",
        "lastBackupDate",
        "lastContactDate",
        "lastEnrolledDate",
        "lastCloudBackupDate",
        "lastInventoryUpdateDate",
        "locales",
        "locationServicesForSelfServiceMobileEnabled",
        "lostModeEnabled",
        "managed",
        "mdmProfileExpirationDate",
        "model",
        "modelIdentifier",
        "modelNumber",
        "modemFirmwareVersion",
        "preferredVoiceNumber",
        "quotaSize",
        "residentUsers",
        "serialNumber",
        "sharedIpad",
        "supervised",
        "tethered",
        "timeZone",
        "udid",
        "usedSpacePercentage",
        "wifiMacAddress",
        "deviceOwnershipType",
        "building",
        "department",
        "emailAddress",
        "fullName",
        "userPhoneNumber",
        "position",
        "room",
        "username",
        "appleCareId",
        "leaseExpirationDate",
        "lifeExpectancyYears",
        "poDate",
        "poNumber",
        "purchasePrice",
        "purchasedOrLeased",
        "purchasingAccount",
        "purchasingContact",
        "vendor",
        "warrantyExpirationDate",
        "activationLockEnabled",
        "blockEncryptionCapable",
        "dataProtection",
        "fileEncryptionCapable",
        "hardwareEncryptionSupported",
        "jailbreakStatus",
        "passcodeCompliant",
        "passcodeCompliantWithProfile",
        "passcodeLockGracePeriodEnforcedSeconds",
        "passcodePresent",
        "carrierSettingsVersion",
        "cellularTechnology",
        "currentCarrierNetwork",
        "currentMobileCountryCode",
        "currentMobileNetworkCode",
        "dataRoamingEnabled",
        "eid",
        "network",
        "homeMobileCountryCode",
        "homeMobileNetworkCode",
        "iccid",
        "imei",
        "imei2",
        "meid",
        "personalHotspotEnabled",
        "voiceRoamingEnabled",
        "roaming",
        "lastLoggedInUsernameSelfService",
        "lastLoggedInUsernameSelfServiceTimestamp",
        "lastLoggedInUsernameMdm",
        "lastLoggedInUsernameMdmTimestamp",
        "groupId",
        "groupName",
    ]
)


def model_of(rec: MobileRecord) -> MobileModel:
    return (IPHONE_MODELS if rec.kind == "iPhone" else IPAD_MODELS)[rec.model]


class MobileRenderer:
    """Derives the per-device identifiers from the seed and renders each API shape."""

    def __init__(self, tenant: Tenant) -> None:
        self.tenant = tenant
        self.seed = tenant.seed

    def udid(self, rec: MobileRecord) -> str:
        raw = stable_bytes(self.seed, "mobile-udid", rec.id, 8).hex().upper()
        return f"0000{8101 + rec.model * 10}-{raw}"

    def management_id(self, rec: MobileRecord) -> str:
        return stable_uuid(self.seed, "mobile-management", rec.id)

    def wifi_mac(self, rec: MobileRecord) -> str:
        return stable_mac(self.seed, "wifi", rec.id).lower()

    def department(self, rec: MobileRecord) -> str:
        return self.tenant.departments.get(rec.department_id, "")

    def building(self, rec: MobileRecord) -> str:
        building = self.tenant.buildings.get(rec.building_id)
        return building.name if building else ""

    def fields(self) -> dict[str, Field]:
        """Filter/sort fields of ``GET /api/v2/mobile-devices/detail`` (flat names).

        Every name of the 11.30.1 allow-lists is accepted; the ones this tenant does not model
        read as null (so ``x==…`` matches nothing and sorting on them keeps the id order).
        """
        unmodelled = Field(Kind.STRING, lambda _r: None)
        return {name: unmodelled for name in MOBILE_ALLOWED} | self._modelled()

    def _modelled(self) -> dict[str, Field]:
        s, d, b = Kind.STRING, Kind.DATE, Kind.BOOLEAN
        return {
            "mobileDeviceId": Field(Kind.NUMBER, lambda r: r.id),
            "displayName": Field(s, lambda r: r.name),
            "serialNumber": Field(s, lambda r: r.serial),
            "udid": Field(s, self.udid),
            "managementId": Field(s, self.management_id),
            "osVersion": Field(s, lambda r: IOS_BUILDS[r.os].version),
            "model": Field(s, lambda r: model_of(r).model),
            "modelIdentifier": Field(s, lambda r: model_of(r).identifier),
            "username": Field(s, lambda r: r.username),
            "emailAddress": Field(s, lambda r: r.email),
            "fullName": Field(s, lambda r: r.realname),
            "department": Field(s, self.department),
            "building": Field(s, self.building),
            "lastInventoryUpdateDate": Field(d, lambda r: r.last_inventory),
            "lastContactDate": Field(d, lambda r: r.last_contact),
            "managed": Field(b, lambda r: r.managed),
            "supervised": Field(b, lambda r: r.supervised),
            "lostModeEnabled": Field(b, lambda _r: False),
            "assetTag": Field(s, lambda r: r.asset_tag),
        }

    def list_item(self, rec: MobileRecord) -> dict[str, Any]:
        model = model_of(rec)
        return {
            "id": str(rec.id), "name": rec.name, "serialNumber": rec.serial,
            "wifiMacAddress": self.wifi_mac(rec), "udid": self.udid(rec),
            "phoneNumber": rec.phone if rec.kind == "iPhone" else "", "model": model.model,
            "modelIdentifier": model.identifier, "username": rec.username, "type": "ios",
            "managementId": self.management_id(rec), "softwareUpdateDeviceId": model.identifier,
        }  # fmt: skip

    def location(self, rec: MobileRecord, *, names: bool) -> dict[str, Any]:
        location: dict[str, Any] = {
            "username": rec.username, "realName": rec.realname, "emailAddress": rec.email,
            "position": rec.position, "phoneNumber": rec.phone, "departmentId": str(rec.department_id),
            "buildingId": str(rec.building_id), "room": rec.room,
        }  # fmt: skip
        if names:
            location.update(
                building=self.building(rec), department=self.department(rec), extensionAttributes=[]
            )
        return location

    def detail(self, rec: MobileRecord) -> dict[str, Any]:
        """``GET /api/v2/mobile-devices/{id}/detail``."""
        model, build = model_of(rec), IOS_BUILDS[rec.os]
        return {
            **self.list_item(rec),
            "enforceName": False, "assetTag": rec.asset_tag,
            "lastInventoryUpdateTimestamp": iso_ms(rec.last_inventory),
            "lastContactTimestamp": iso_ms(rec.last_contact),
            "osVersion": build.version, "osBuild": build.build, "osSupplementalBuildVersion": "",
            "osRapidSecurityResponse": "", "ipAddress": stable_ip(self.seed, rec.id + 50_000),
            "bluetoothMacAddress": stable_mac(self.seed, "bt", rec.id).lower(), "managed": rec.managed,
            "timeZone": "America/Chicago", "initialEntryTimestamp": iso_ms(rec.enrolled),
            "lastEnrollmentTimestamp": iso_ms(rec.enrolled),
            "mdmProfileExpirationTimestamp": iso_ms(rec.enrolled + 2 * 365 * MS_PER_DAY),
            "deviceOwnershipLevel": "Institutional", "enrollmentMethod": "Automated Device Enrollment",
            "enrollmentSessionTokenValid": False, "declarativeDeviceManagementEnabled": True,
            "site": {"id": "-1", "name": "None"}, "extensionAttributes": [],
            "location": self.location(rec, names=False),
            "ios": {
                "model": model.model, "modelIdentifier": model.identifier, "modelNumber": model.model_number,
                "supervised": rec.supervised, "batteryLevel": rec.battery, "batteryHealth": "NORMAL",
                "capacityMb": model.capacity_mb, "availableMb": rec.available_mb,
                "percentageUsed": round(100 * (model.capacity_mb - rec.available_mb) / model.capacity_mb),
                "shared": False, "deviceLocatorServiceEnabled": True, "doNotDisturbEnabled": False,
                "cloudBackupEnabled": False, "lastBackupTimestamp": None, "locationServicesEnabled": True,
                "itunesStoreAccountActive": True, "security": self.security(rec), "network": self.network(rec),
                "applications": [], "certificates": [], "profiles": [], "purchasing": self.purchasing(rec),
            },
            "tvos": None, "watchos": None, "visionos": None, "groups": [],
        }  # fmt: skip

    def security(self, rec: MobileRecord) -> dict[str, Any]:
        return {
            "dataProtected": True, "blockLevelEncryptionCapable": True, "fileLevelEncryptionCapable": True,
            "passcodePresent": rec.id % 23 != 0, "passcodeCompliant": rec.id % 23 != 0,
            "passcodeCompliantWithProfile": rec.id % 23 != 0, "hardwareEncryption": 3,
            "activationLockEnabled": rec.supervised, "jailBreakDetected": False,
            "passcodeLockGracePeriodEnforcedSeconds": 0, "personalDeviceProfileCurrent": False,
            "lostModeEnabled": False, "lostModePersistent": False, "lostModeMessage": None,
            "lostModePhoneNumber": None, "lostModeFootnote": None, "lostModeLocation": None,
        }  # fmt: skip

    def network(self, rec: MobileRecord) -> dict[str, Any]:
        phone = rec.kind == "iPhone"
        return {
            "cellularTechnology": "Unknown" if not phone else "GSM", "voiceRoamingEnabled": False,
            "imei": f"35{rec.id:013d}" if phone else "", "iccid": "", "meid": "", "eid": "",
            "carrierSettingsVersion": "62.0" if phone else "", "currentCarrierNetwork": "",
            "currentMobileCountryCode": "310" if phone else "", "currentMobileNetworkCode": "",
            "homeCarrierNetwork": "", "homeMobileCountryCode": "", "homeMobileNetworkCode": "",
            "dataRoamingEnabled": False, "roaming": False, "personalHotspotEnabled": False,
            "phoneNumber": rec.phone if phone else "",
        }  # fmt: skip

    def purchasing(self, rec: MobileRecord) -> dict[str, Any]:
        return {
            "purchased": True, "leased": False, "poNumber": f"PO-M{10000 + rec.id}", "vendor": "Apple",
            "appleCareId": "", "purchasePrice": "", "purchasingAccount": "", "poDate": None,
            "warrantyExpiresDate": None, "leaseExpiresDate": None, "lifeExpectancy": 3,
            "purchasingContact": "", "extensionAttributes": [],
        }  # fmt: skip

    def sectioned(self, rec: MobileRecord, wanted: Collection[str]) -> dict[str, Any]:
        """One record of ``GET /api/v2/mobile-devices/detail``; unrequested sections are ``null``."""
        out: dict[str, Any] = {"mobileDeviceId": str(rec.id), "deviceType": "iOS"}
        for section, key in SECTION_KEYS.items():
            out[key] = self._section(rec, section) if section in wanted else None
        return out

    def _section(self, rec: MobileRecord, section: str) -> Any:
        model, build = model_of(rec), IOS_BUILDS[rec.os]
        if section == "GENERAL":
            return {
                "udid": self.udid(rec), "displayName": rec.name, "assetTag": rec.asset_tag, "siteId": "-1",
                "lastInventoryUpdateDate": iso_ms(rec.last_inventory), "lastContactDate": iso_ms(rec.last_contact),
                "osVersion": build.version, "osRapidSecurityResponse": "", "osBuild": build.build,
                "osSupplementalBuildVersion": "", "softwareUpdateDeviceId": model.identifier,
                "ipAddress": stable_ip(self.seed, rec.id + 50_000), "managed": rec.managed,
                "supervised": rec.supervised, "deviceOwnershipType": "Institutional",
                "enrollmentSessionTokenValid": False, "lastEnrolledDate": iso_ms(rec.enrolled),
                "mdmProfileExpirationDate": iso_ms(rec.enrolled + 2 * 365 * MS_PER_DAY),
                "timeZone": "America/Chicago", "declarativeDeviceManagementEnabled": True,
                "managementId": self.management_id(rec), "extensionAttributes": [], "sharedIpad": False,
                "itunesStoreAccountActive": True, "lastCloudBackupDate": None,
            }  # fmt: skip
        if section == "HARDWARE":
            used = round(100 * (model.capacity_mb - rec.available_mb) / model.capacity_mb)
            return {
                "capacityMb": model.capacity_mb, "availableSpaceMb": rec.available_mb,
                "usedSpacePercentage": used, "batteryLevel": rec.battery, "batteryHealth": "NORMAL",
                "serialNumber": rec.serial, "wifiMacAddress": self.wifi_mac(rec),
                "bluetoothMacAddress": stable_mac(self.seed, "bt", rec.id).lower(),
                "modemFirmwareVersion": "2.05.01" if rec.kind == "iPhone" else "", "model": model.model,
                "modelIdentifier": model.identifier, "modelNumber": model.model_number,
                "bluetoothLowEnergyCapable": True, "deviceId": model.identifier, "extensionAttributes": [],
            }  # fmt: skip
        builders = {
            "USER_AND_LOCATION": lambda: self.location(rec, names=True),
            "SECURITY": lambda: self.security(rec),
            "NETWORK": lambda: self.network(rec),
            "PURCHASING": lambda: self.purchasing(rec),
        }
        return builders[section]() if section in builders else []
