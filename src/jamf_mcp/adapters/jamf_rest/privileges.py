"""The Jamf Pro privileges each feature needs with the calls this adapter makes, and where the
account's own privileges are read from.

Sources, per call:
- Jamf Pro API endpoints: the `x-required-privileges` of Jamf's OpenAPI documents (`/api/schema`
  of 11.23.2 and 11.30.1): `Read Computers` (computers-inventory[-detail] v1/v3/v4), `Read Mobile
  Devices` (`/v2/mobile-devices/detail`, `/v2/mobile-devices/{id}/detail`), `Read Departments`,
  `Read Buildings`, `View MDM command information in Jamf Pro API` (`GET`/`POST /v2/mdm/commands`
  and `POST /v2/mdm/blank-push`), `Read Computer Check-In` (`/v3/check-in`); `/v1/auth` and
  `/v1/jamf-pro-version` need none.
- Classic API endpoints: Jamf's "Classic API Privilege Requirements" page (CRUD on the resource:
  GET = Read, POST = Create, PUT = Update), with the names of the API role privilege catalogue
  (`GET /api/v1/api-role-privileges`): `Read Policies`, `Update Policies` (`/policies`), `Read`/
  `Create`/`Update Static Computer Groups` (`/computergroups`, static groups), `Read Computers`
  (`/computerhistory`), `Send Inventory Requests to Mobile Devices`
  (`/mobiledevicecommands/command/UpdateInventory`).
- Not confirmed by a Jamf document, so only warned about (`documented=False`): `Flush Policy
  Logs` for `/logflush` (Jamf's Platform API reference lists flush-policy-logs for it; the
  classic table's row could not be read), the per-command MDM privileges (the OpenAPI
  description of `POST /v2/mdm/commands` says "a separate privilege is required for each device
  type and MDM command"; the names are the catalogue's `Send … Command` privileges), and `Send
  MDM command information in Jamf Pro API` (reported needed next to the View privilege by
  administrators, not by Jamf's schema).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jamf_mcp.application.ports.doctor import JamfFeature as F
from jamf_mcp.application.ports.doctor import PrivilegeNeed
from jamf_mcp.domain.diagnostics import GrantedPrivileges

READ_COMPUTERS = "Read Computers"
READ_MOBILE = "Read Mobile Devices"
READ_DEPARTMENTS = "Read Departments"
READ_BUILDINGS = "Read Buildings"
READ_POLICIES = "Read Policies"
UPDATE_POLICIES = "Update Policies"
VIEW_MDM = "View MDM command information in Jamf Pro API"
SEND_MDM = "Send MDM command information in Jamf Pro API"
READ_CHECK_IN = "Read Computer Check-In"

_MDM_COMMAND_PRIVILEGES: Mapping[str, tuple[str | None, str | None]] = {
    "DEVICE_LOCK": ("Send Computer Remote Lock Command", "Send Mobile Device Remote Lock Command"),
    "RESTART_DEVICE": (
        "Send Computer Restart Command",
        "Send Mobile Device Restart Device Command",
    ),
    "SHUT_DOWN_DEVICE": ("Send Computer Shut Down Command", "Send Mobile Device Shut Down Command"),
    "ERASE_DEVICE": ("Send Computer Remote Wipe Command", "Send Mobile Device Remote Wipe Command"),
    "ENABLE_REMOTE_DESKTOP": ("Send Computer Remote Desktop Command", None),
    "DISABLE_REMOTE_DESKTOP": ("Send Computer Remote Desktop Command", None),
    "ENABLE_LOST_MODE": (None, "Send Mobile Device Lost Mode Command"),
    "DISABLE_LOST_MODE": (None, "Send Mobile Device Lost Mode Command"),
    "PLAY_LOST_MODE_SOUND": (None, "Send Mobile Device Lost Mode Command"),
    "DEVICE_LOCATION": (None, "Send Mobile Device Lost Mode Command"),
}
"""Per command type: the computer and the mobile-device privilege (None: not sent there)."""


def _needs(feature: F, *privileges: str) -> list[PrivilegeNeed]:
    return [PrivilegeNeed(feature, privilege) for privilege in privileges]


def _mdm_command_needs() -> Iterable[PrivilegeNeed]:
    for command, (computer, mobile) in _MDM_COMMAND_PRIVILEGES.items():
        if computer:
            yield PrivilegeNeed(F.MDM_COMMANDS, computer, f"{command} on computers", False)
        if mobile:
            yield PrivilegeNeed(F.MDM_COMMANDS, mobile, f"{command} on mobile devices", False)


PRIVILEGE_NEEDS: tuple[PrivilegeNeed, ...] = (
    *_needs(F.DEVICE_READS, READ_COMPUTERS, READ_MOBILE, READ_DEPARTMENTS, READ_BUILDINGS),
    *_needs(F.COMPLIANCE, READ_COMPUTERS, READ_MOBILE, READ_DEPARTMENTS),
    *_needs(F.POLICY_READS, READ_POLICIES),
    *_needs(
        F.POLICY_RUNS,
        READ_COMPUTERS,
        READ_POLICIES,
        UPDATE_POLICIES,
        "Read Static Computer Groups",
        "Create Static Computer Groups",
        "Update Static Computer Groups",
        VIEW_MDM,
    ),
    PrivilegeNeed(F.POLICY_RUNS, "Flush Policy Logs", "running a policy again", False),
    *_needs(F.MOBILE_INVENTORY, READ_MOBILE, "Send Inventory Requests to Mobile Devices"),
    *_needs(F.MDM_COMMANDS, READ_COMPUTERS, READ_MOBILE, VIEW_MDM),
    PrivilegeNeed(F.MDM_COMMANDS, SEND_MDM, "sending any command", False),
    *_mdm_command_needs(),
    *_needs(F.COMMAND_STATUS, VIEW_MDM),
)
"""Every (feature, privilege) pair, from the calls in this package (sources above)."""


def granted_from_authorization(body: Any) -> GrantedPrivileges:
    """The privileges in Jamf's `AuthorizationV1` (`GET /api/v1/auth`, OpenAPI 11.30.1).

    The union of `account.privilegesBySite` (site id → privilege names; an API client's role
    privileges appear under site `-1`, as administrators report) and each entry of
    `accountGroups[].privileges`; `privilegeSet: ADMINISTRATOR` holds every privilege.
    `authenticationType` tells an API client (`CLIENT_CREDENTIALS`) from a user account.
    """
    if not isinstance(body, dict):
        return GrantedPrivileges()
    found = body.get("account")
    account: dict[str, Any] = found if isinstance(found, dict) else {}
    names: set[str] = set()
    by_site = account.get("privilegesBySite")
    if isinstance(by_site, dict):
        for privileges in by_site.values():
            names.update(_strings(privileges))
    for group in body.get("accountGroups") or ():
        if isinstance(group, dict):
            names.update(_strings(group.get("privileges")))
    kind = (
        "API client" if body.get("authenticationType") == "CLIENT_CREDENTIALS" else "user account"
    )
    return GrantedPrivileges(
        names=frozenset(names),
        everything=account.get("privilegeSet") == "ADMINISTRATOR",
        account_kind=kind,
    )


def _strings(value: object) -> list[str]:
    if isinstance(value, str):  # the schema's example shows a bare string for a group
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
