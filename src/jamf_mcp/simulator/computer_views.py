"""Render computer records as Jamf Pro API ``ComputerInventory`` JSON, section by section."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from jamf_mcp.simulator.catalog import APPS, MAC_MODELS
from jamf_mcp.simulator.clock import MS_PER_DAY, date_only, iso_ms, iso_or_none
from jamf_mcp.simulator.records import ComputerRecord, stable_uuid
from jamf_mcp.simulator.tenant import Tenant

SECTION_KEYS = {
    "GENERAL": "general", "DISK_ENCRYPTION": "diskEncryption", "PURCHASING": "purchasing",
    "APPLICATIONS": "applications", "STORAGE": "storage", "USER_AND_LOCATION": "userAndLocation",
    "CONFIGURATION_PROFILES": "configurationProfiles", "PRINTERS": "printers", "SERVICES": "services",
    "HARDWARE": "hardware", "LOCAL_USER_ACCOUNTS": "localUserAccounts", "CERTIFICATES": "certificates",
    "ATTACHMENTS": "attachments", "PLUGINS": "plugins", "PACKAGE_RECEIPTS": "packageReceipts",
    "FONTS": "fonts", "SECURITY": "security", "OPERATING_SYSTEM": "operatingSystem",
    "LICENSED_SOFTWARE": "licensedSoftware", "IBEACONS": "ibeacons", "SOFTWARE_UPDATES": "softwareUpdates",
    "EXTENSION_ATTRIBUTES": "extensionAttributes", "CONTENT_CACHING": "contentCaching",
    "GROUP_MEMBERSHIPS": "groupMemberships",
}  # fmt: skip
V1_ONLY = frozenset({"PLUGINS", "FONTS"})


def sections_for(version: int) -> list[str]:
    """Valid ``section`` values of ``/api/v{version}/computers-inventory``."""
    return [s for s in SECTION_KEYS if version == 1 or s not in V1_ONLY]


class ComputerRenderer:
    """Builds records for one API version; unrequested sections are ``null``."""

    def __init__(self, tenant: Tenant, version: int) -> None:
        self.tenant = tenant
        self.facts = tenant.facts
        self.version = version
        self.sections = sections_for(version)
        self._builders: dict[str, Callable[[ComputerRecord], Any]] = {
            "GENERAL": self.general, "DISK_ENCRYPTION": self.disk_encryption,
            "PURCHASING": self.facts.purchasing, "APPLICATIONS": self.applications,
            "STORAGE": self.storage, "USER_AND_LOCATION": self.user_and_location,
            "HARDWARE": self.hardware, "SECURITY": self.security,
            "OPERATING_SYSTEM": self.operating_system, "EXTENSION_ATTRIBUTES": self.extension_attributes,
            "GROUP_MEMBERSHIPS": self.group_memberships, "LOCAL_USER_ACCOUNTS": self.local_accounts,
            "PACKAGE_RECEIPTS": lambda _r: {"installedByJamfPro": [], "installedByInstallerSwu": [], "cached": []},
            "CONTENT_CACHING": lambda _r: None,
        }  # fmt: skip

    def render(self, rec: ComputerRecord, wanted: Collection[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"id": str(rec.id), "udid": self.facts.udid(rec)}
        for section in self.sections:
            key = SECTION_KEYS[section]
            if section not in wanted:
                out[key] = None
            elif section in self._builders:
                out[key] = self._builders[section](rec)
            else:
                out[key] = []
        return out

    def general(self, rec: ComputerRecord) -> dict[str, Any]:
        facts = self.facts
        general: dict[str, Any] = {
            "name": rec.name,
            "lastIpAddress": facts.ip_address(rec),
            "lastReportedIp": facts.reported_ip(rec),
            "lastReportedIpV4": facts.reported_ip(rec),
            "lastReportedIpV6": None,
            "jamfBinaryVersion": facts.jamf_binary_version(rec),
            "platform": "Mac",
            "barcode1": rec.get_extra("barcode1"),
            "barcode2": rec.get_extra("barcode2"),
            "assetTag": rec.asset_tag,
            "remoteManagement": {"managed": rec.managed, "managementUsername": None},
            "supervised": rec.supervised,
            "mdmCapable": {
                "capable": rec.managed,
                "capableUsers": [rec.username] if rec.managed else [],
                "userManagementInfo": [],
            },
            "reportDate": iso_ms(rec.report),
            "lastContactTime": iso_or_none(rec.last_contact),
            "lastCloudBackupDate": None,
            "lastEnrolledDate": iso_ms(rec.enrolled),
            "mdmProfileExpiration": iso_ms(rec.enrolled + 2 * 365 * MS_PER_DAY),
            "initialEntryDate": date_only(rec.initial_entry),
            "distributionPoint": "",
            "enrollmentMethod": {
                "id": "1" if rec.ade else "0",
                "objectName": "Default ADE Prestage" if rec.ade else "",
                "objectType": "Automated Device Enrollment"
                if rec.ade
                else "User-initiated - no invitation",
            },
            "site": self._site(rec),
            "itunesStoreAccountActive": False,
            "enrolledViaAutomatedDeviceEnrollment": rec.ade,
            "userApprovedMdm": rec.managed,
            "declarativeDeviceManagementEnabled": rec.managed,
            "extensionAttributes": [],
            "managementId": facts.management_id(rec),
            "lastLoggedInUsernameSelfService": rec.username,
            "lastLoggedInUsernameSelfServiceTimestamp": iso_ms(rec.report),
            "lastLoggedInUsernameBinary": rec.username,
            "lastLoggedInUsernameBinaryTimestamp": iso_or_none(rec.last_contact),
            "lastLoggedInUsernameMdm": None,
            "lastLoggedInUsernameMdmTimestamp": None,
        }
        if self.version >= 4:
            contact = general.pop("lastContactTime")
            del general["lastReportedIp"]
            general["lastContact"] = contact
            general["lastCheckIn"] = contact
        return general

    def _site(self, rec: ComputerRecord) -> dict[str, str]:
        site_id = rec.get_extra("siteId")
        if site_id is not None and int(site_id) in self.tenant.sites:
            return {"id": str(site_id), "name": self.tenant.sites[int(site_id)]}
        return {"id": "-1", "name": "None"}

    def disk_encryption(self, rec: ComputerRecord) -> dict[str, Any]:
        encrypted = rec.filevault != "NOT_ENCRYPTED"
        return {
            "bootPartitionEncryptionDetails": {
                "partitionName": "Macintosh HD (Boot Partition)",
                "partitionFileVault2State": "ENCRYPTED" if encrypted else "UNENCRYPTED",
                "partitionFileVault2Percent": 100 if encrypted else 0,
            },
            "individualRecoveryKeyValidityStatus": "VALID" if encrypted else "NOT_APPLICABLE",
            "institutionalRecoveryKeyPresent": False,
            "diskEncryptionConfigurationName": "Company FileVault" if encrypted else "",
            "fileVault2Enabled": encrypted,
            "fileVault2EnabledUserNames": [rec.username] if encrypted else [],
            "fileVault2EligibilityMessage": "Eligible",
        }

    def applications(self, rec: ComputerRecord) -> list[dict[str, Any]]:
        apps = []
        for index, app in enumerate(APPS):
            if index >= 4 and (rec.id + index) % 3 == 0:
                continue
            item: dict[str, Any] = {
                "name": app.name,
                "path": f"/Applications/{app.name}",
                "version": app.version,
                "macAppStore": app.mac_app_store,
                "sizeMegabytes": app.size_mb,
                "bundleId": app.bundle_id,
                "updateAvailable": False,
                "externalVersionId": "0",
            }
            if self.version >= 3:
                item["cfBundleShortVersionString"] = app.version
                item["cfBundleVersion"] = app.version
            apps.append(item)
        return apps

    def storage(self, rec: ComputerRecord) -> dict[str, Any]:
        used = rec.disk_mb - rec.free_mb
        return {
            "bootDriveAvailableSpaceMegabytes": rec.free_mb,
            "disks": [
                {
                    "id": "1",
                    "device": "disk0",
                    "model": "APPLE SSD AP0512Z",
                    "revision": "1249.140.",
                    "serialNumber": rec.serial[-8:] + "0A1B",
                    "sizeMegabytes": rec.disk_mb,
                    "smartStatus": "Verified",
                    "type": "SSD",
                    "partitions": [
                        {
                            "name": "Macintosh HD (Boot Partition)",
                            "sizeMegabytes": rec.disk_mb,
                            "availableMegabytes": rec.free_mb,
                            "partitionType": "BOOT",
                            "percentUsed": round(100 * used / rec.disk_mb),
                            "fileVault2State": "ENCRYPTED"
                            if rec.filevault != "NOT_ENCRYPTED"
                            else "UNENCRYPTED",
                            "fileVault2ProgressPercent": 100
                            if rec.filevault != "NOT_ENCRYPTED"
                            else 0,
                            "lvmManaged": False,
                        }
                    ],
                }
            ],
        }

    def user_and_location(self, rec: ComputerRecord) -> dict[str, Any]:
        return {
            "username": rec.username,
            "realname": rec.realname,
            "email": rec.email,
            "position": rec.position,
            "phone": rec.phone,
            "departmentId": str(rec.department_id),
            "buildingId": str(rec.building_id),
            "room": rec.room,
            "extensionAttributes": [],
        }

    def hardware(self, rec: ComputerRecord) -> dict[str, Any]:
        mac = MAC_MODELS[rec.model]
        return {
            "make": "Apple",
            "model": mac.model,
            "modelIdentifier": mac.identifier,
            "serialNumber": rec.serial,
            "processorSpeedMhz": 0 if mac.apple_silicon else 2400,
            "processorCount": 1,
            "coreCount": 8 if mac.apple_silicon else 6,
            "processorType": mac.processor,
            "processorArchitecture": "arm64" if mac.apple_silicon else "i386",
            "busSpeedMhz": 0,
            "cacheSizeKilobytes": 0 if mac.apple_silicon else 12288,
            "networkAdapterType": rec.get_extra("networkAdapterType", "Wi-Fi"),
            "macAddress": self.facts.mac_address(rec),
            "altNetworkAdapterType": rec.get_extra("altNetworkAdapterType", "Ethernet"),
            "altMacAddress": self.facts.alt_mac_address(rec),
            "totalRamMegabytes": rec.ram_mb,
            "openRamSlots": 0,
            "batteryCapacityPercent": 80 + rec.id % 21 if mac.portable else 0,  # schema: 0-100
            "batteryHealth": "NORMAL" if mac.portable else "UNSUPPORTED",
            "smcVersion": "" if mac.apple_silicon else "2.44f1",
            "nicSpeed": "n/a",
            "opticalDrive": "",
            "bootRom": "11881.140.96" if mac.apple_silicon else "2069.0.0.0.0",
            "bleCapable": True,
            "supportsIosAppInstalls": mac.apple_silicon,
            "appleSilicon": mac.apple_silicon,
            "provisioningUdid": stable_uuid(self.tenant.seed, "provisioning", rec.id).upper(),
            "extensionAttributes": [],
        }

    def security(self, rec: ComputerRecord) -> dict[str, Any]:
        silicon = MAC_MODELS[rec.model].apple_silicon
        return {
            "sipStatus": "ENABLED" if rec.sip_enabled else "DISABLED",
            "gatekeeperStatus": rec.gatekeeper,
            "xprotectVersion": "5310",
            "autoLoginDisabled": True,
            "remoteDesktopEnabled": rec.id % 9 == 0,
            "activationLockEnabled": rec.id % 11 == 0,
            "recoveryLockEnabled": silicon and rec.id % 3 == 0,
            "firewallEnabled": rec.firewall,
            "secureBootLevel": "FULL_SECURITY" if rec.sip_enabled else "MEDIUM_SECURITY",
            "externalBootLevel": "DISALLOW_BOOTING_FROM_EXTERNAL_MEDIA"
            if silicon
            else "NOT_SUPPORTED",
            "bootstrapTokenAllowed": rec.managed,
            "bootstrapTokenEscrowedStatus": "ESCROWED" if rec.managed else "NOT_ESCROWED",
            "lastAttestationAttempt": None,
            "lastSuccessfulAttestation": None,
            "attestationStatus": "SUCCESS" if silicon else "MDA_UNSUPPORTED_DUE_TO_HARDWARE",
        }

    def operating_system(self, rec: ComputerRecord) -> dict[str, Any]:
        return {
            "name": "macOS",
            "version": self.facts.os_version(rec),
            "build": self.facts.os_build(rec),
            "supplementalBuildVersion": self.facts.os_build(rec),
            "rapidSecurityResponse": "",
            "activeDirectoryStatus": "Not Bound",
            "fileVault2Status": rec.filevault,
            "softwareUpdateDeviceId": "J413AP" if MAC_MODELS[rec.model].apple_silicon else "",
            "extensionAttributes": [],
        }

    def extension_attributes(self, rec: ComputerRecord) -> list[dict[str, Any]]:
        patched: dict[str, list[str]] = rec.get_extra("ea") or {}
        defaults = {
            "1": [str(50 + rec.id * 7 % 900)] if MAC_MODELS[rec.model].portable else [],
            "2": ["Running" if rec.id % 17 else "Not Installed"],
            "3": [],
        }
        return [
            _ea("1", "Battery Cycle Count", "INTEGER", "SCRIPT", patched.get("1", defaults["1"])),
            _ea(
                "2", "Endpoint Security Status", "STRING", "SCRIPT", patched.get("2", defaults["2"])
            ),
            _ea("3", "Asset Notes", "STRING", "TEXT", patched.get("3", defaults["3"])),
        ]

    def group_memberships(self, rec: ComputerRecord) -> list[dict[str, Any]]:
        return [
            {"groupId": str(g.id), "groupName": g.name, "smartGroup": g.is_smart}
            for g in self.tenant.groups_of(rec)
        ]

    def local_accounts(self, rec: ComputerRecord) -> list[dict[str, Any]]:
        return [
            {
                "uid": "501",
                "userGuid": stable_uuid(self.tenant.seed, "user", rec.id).upper(),
                "username": rec.username,
                "fullName": rec.realname,
                "admin": rec.id % 4 == 0,
                "homeDirectory": f"/Users/{rec.username}",
                "homeDirectorySizeMb": -1,
                "fileVault2Enabled": rec.filevault != "NOT_ENCRYPTED",
                "userAccountType": "LOCAL",
                "passwordMinLength": 8,
                "passwordMaxAge": 0,
                "passwordMinComplexCharacters": 0,
                "passwordHistoryDepth": 0,
                "passwordRequireAlphanumeric": False,
                "computerAzureActiveDirectoryId": None,
                "userAzureActiveDirectoryId": None,
                "azureActiveDirectoryId": "ACTIVATED",
            }
        ]


def _ea(
    definition: str, name: str, data_type: str, input_type: str, values: list[str]
) -> dict[str, Any]:
    return {
        "definitionId": definition, "name": name, "description": None, "enabled": True,
        "multiValue": False, "values": values, "dataType": data_type, "options": [],
        "inputType": input_type,
    }  # fmt: skip


EXTENSION_ATTRIBUTE_IDS = frozenset({"1", "2", "3"})
