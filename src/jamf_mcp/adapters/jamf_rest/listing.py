"""What to ask each inventory list for: path, sections, filter fields, sort, and the record mapper."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from jamf_mcp.adapters.jamf_rest.json_fields import Json
from jamf_mcp.adapters.jamf_rest.mapping import (
    DirectoryNames,
    computer_from_inventory,
    mobile_device_from_detail,
)
from jamf_mcp.adapters.jamf_rest.paging import ResultPage, fetch_page
from jamf_mcp.adapters.jamf_rest.rsql import FilterFields
from jamf_mcp.domain.devices import Device
from jamf_mcp.domain.queries import InventoryAspect, SortKey

if TYPE_CHECKING:
    from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
    from jamf_mcp.adapters.jamf_rest.version import ComputersApi

MOBILE_LIST_PATH = "/api/v2/mobile-devices/detail"
READ_COMPUTERS = "Read Computers"
READ_MOBILE_DEVICES = "Read Mobile Devices"

_COMPUTER_SECTIONS: dict[InventoryAspect, str] = {
    InventoryAspect.GENERAL: "GENERAL",
    InventoryAspect.HARDWARE: "HARDWARE",
    InventoryAspect.OPERATING_SYSTEM: "OPERATING_SYSTEM",
    InventoryAspect.SECURITY: "SECURITY",
    InventoryAspect.DISK_ENCRYPTION: "DISK_ENCRYPTION",
    InventoryAspect.USER_AND_LOCATION: "USER_AND_LOCATION",
    InventoryAspect.STORAGE: "STORAGE",
    InventoryAspect.GROUPS: "GROUP_MEMBERSHIPS",
}
# Mobile records keep OS facts in GENERAL and capacity in HARDWARE; there is no disk encryption.
_MOBILE_SECTIONS: dict[InventoryAspect, str] = {
    InventoryAspect.GENERAL: "GENERAL",
    InventoryAspect.OPERATING_SYSTEM: "GENERAL",
    InventoryAspect.HARDWARE: "HARDWARE",
    InventoryAspect.STORAGE: "HARDWARE",
    InventoryAspect.USER_AND_LOCATION: "USER_AND_LOCATION",
    InventoryAspect.SECURITY: "SECURITY",
    InventoryAspect.GROUPS: "GROUPS",
}
_SECTION_ORDER = list(dict.fromkeys([*_COMPUTER_SECTIONS.values(), *_MOBILE_SECTIONS.values()]))

# `assetTag` is among the fields Jamf documents for the mobile-devices `filter` (11.30.1).
MOBILE_FIELDS = FilterFields(
    text=("displayName", "serialNumber", "assetTag", "username", "fullName", "emailAddress"),
    last_contact="lastContactDate",
    department="department",
    building="building",
)
MOBILE_EXACT_FIELDS = ("serialNumber", "assetTag", "udid", "displayName")
COMPUTER_EXACT_FIELDS = ("hardware.serialNumber", "general.assetTag", "udid", "general.name")


def computer_fields(api: ComputersApi) -> FilterFields:
    """The computers-inventory filter fields for one API version."""
    return FilterFields(
        text=(
            "general.name",
            "hardware.serialNumber",
            "general.assetTag",
            "userAndLocation.username",
            "userAndLocation.realname",
            "userAndLocation.email",
        ),
        last_contact=api.last_contact_field,
        department="userAndLocation.departmentId",
        building="userAndLocation.buildingId",
    )


def sections_for(aspects: frozenset[InventoryAspect], *, mobile: bool) -> tuple[str, ...]:
    """The Jamf `section`s that carry `aspects` (GENERAL always), in a stable order."""
    table = _MOBILE_SECTIONS if mobile else _COMPUTER_SECTIONS
    wanted = {table[aspect] for aspect in aspects | {InventoryAspect.GENERAL} if aspect in table}
    return tuple(name for name in _SECTION_ORDER if name in wanted)


def computer_sort(sort: SortKey, api: ComputersApi) -> str:
    """The `sort` parameter; `id` breaks ties so pages never overlap."""
    key = "general.name" if sort is SortKey.NAME else api.last_contact_field
    return f"{key}:asc,id:asc"


def mobile_sort(sort: SortKey) -> str:
    """The `sort` parameter of the mobile detail list; `mobileDeviceId` breaks ties, so pages
    never skip or repeat a device when names (or dates) are equal."""
    key = "displayName" if sort is SortKey.NAME else "lastContactDate"
    return f"{key}:asc,mobileDeviceId:asc"


@attrs.frozen
class Listing:
    """A fully described inventory list request; `fetch` reads one page of it as domain devices."""

    http: JamfHttp
    path: str
    params: tuple[tuple[str, str], ...]
    to_device: Callable[[Json], Device]
    privilege: str

    async def fetch(self, page: int, size: int) -> ResultPage:
        """One page of raw records."""
        return await fetch_page(
            self.http, self.path, self.params, page=page, size=size, privilege=self.privilege
        )


def computer_listing(
    http: JamfHttp,
    api: ComputersApi,
    *,
    sections: tuple[str, ...],
    rsql: str | None,
    sort: str,
    names: DirectoryNames | None,
) -> Listing:
    """The computers-inventory list for one query."""
    return Listing(
        http=http,
        path=api.list_path,
        params=_params(sections, rsql, sort),
        to_device=lambda record: computer_from_inventory(record, names),
        privilege=READ_COMPUTERS,
    )


def mobile_listing(
    http: JamfHttp, *, sections: tuple[str, ...], rsql: str | None, sort: str, lenient: bool
) -> Listing:
    """The mobile-devices detail list for one query.

    With `lenient` (Jamf Pro 11.29+), `exception-handling=LENIENT` keeps one broken record from
    failing a whole page: Jamf "Returns a 200 response even when devices have processing issues.
    Problematic sections will be null" (11.30.1 schema); STRICT, the default, answers 500.
    """
    params = _params(sections, rsql, sort)
    if lenient:
        params = (*params, ("exception-handling", "LENIENT"))
    return Listing(
        http=http,
        path=MOBILE_LIST_PATH,
        params=params,
        to_device=mobile_device_from_detail,
        privilege=READ_MOBILE_DEVICES,
    )


def _params(sections: tuple[str, ...], rsql: str | None, sort: str) -> tuple[tuple[str, str], ...]:
    params = [("section", name) for name in sections]
    params.append(("sort", sort))
    if rsql:
        params.append(("filter", rsql))
    return tuple(params)
