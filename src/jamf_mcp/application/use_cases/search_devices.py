"""Use case: find devices by a free-text term, department, building and device type."""

from __future__ import annotations

import asyncio
from enum import StrEnum

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.application.ports.paging import Page
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect

SEARCH_ASPECTS = frozenset(
    {
        InventoryAspect.GENERAL,
        InventoryAspect.HARDWARE,
        InventoryAspect.OPERATING_SYSTEM,
        InventoryAspect.USER_AND_LOCATION,
    }
)
MAX_LIMIT = 200


class DeviceTypeFilter(StrEnum):
    """Which device families a search covers."""

    COMPUTER = "computer"
    MOBILE = "mobile"
    ANY = "any"

    @property
    def kinds(self) -> tuple[DeviceKind, ...]:
        """The device kinds, computers first."""
        if self is DeviceTypeFilter.COMPUTER:
            return (DeviceKind.COMPUTER,)
        if self is DeviceTypeFilter.MOBILE:
            return (DeviceKind.MOBILE,)
        return (DeviceKind.COMPUTER, DeviceKind.MOBILE)


@attrs.frozen(kw_only=True)
class SearchDevicesRequest:
    """What to look for, and which page: at most `limit` matches from position `offset`.

    The device families and the page size have no default: they are the caller's choice (the
    MCP tool's schema holds the tool's). The other fields default to "no filter" and "the first
    page" (ADR 0042).
    """

    device_type: DeviceTypeFilter
    limit: int = attrs.field(validator=attrs.validators.in_(range(1, MAX_LIMIT + 1)))
    search_term: str = ""
    department: str | None = None
    building: str | None = None
    offset: int = attrs.field(default=0, validator=attrs.validators.ge(0))


@attrs.frozen
class SearchDevicesResult:
    """Matching devices (computers before mobile devices) and how many matched in all."""

    devices: tuple[Device, ...]
    total: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None when every match has been returned."""
        end = self.offset + len(self.devices)
        return end if end < self.total else None


class SearchDevices:
    """Search the fleet.

    Rules:
    - Needs `read:jamf`.
    - The term matches name, serial number, asset tag, username, real name or email as a
      case-insensitive substring; it is data, never query syntax. An empty term matches all.
    - Filtering happens in Jamf; only one page of records is fetched per family.
    - With `any`, computers come first, then mobile devices; `total` counts both. The first
      page asks both families at once (one round trip); a later page first counts both.
    """

    required_scopes = READ

    def __init__(self, inventory: DeviceInventory) -> None:
        self._inventory = inventory

    async def execute(
        self, request: SearchDevicesRequest, principal: Principal
    ) -> SearchDevicesResult:
        """Run the search and return one page of matches."""
        require(principal, self.required_scopes)
        query = DeviceQuery(
            text=request.search_term.strip() or None,
            department=request.department,
            building=request.building,
        )
        kinds = request.device_type.kinds
        if len(kinds) == 1:
            page = await self._inventory.search(
                kinds[0], query, aspects=SEARCH_ASPECTS, offset=request.offset, limit=request.limit
            )
            return SearchDevicesResult(page.items, page.total, request.offset)
        return await self._search_both(query, request)

    async def _search_both(
        self, query: DeviceQuery, request: SearchDevicesRequest
    ) -> SearchDevicesResult:
        if request.offset == 0:  # the first page: both families at once, one round trip
            computers, mobiles = await asyncio.gather(
                *(
                    self._inventory.search(
                        kind, query, aspects=SEARCH_ASPECTS, offset=0, limit=request.limit
                    )
                    for kind in (DeviceKind.COMPUTER, DeviceKind.MOBILE)
                )
            )
            room = request.limit - len(computers.items)
            devices = computers.items + mobiles.items[: max(room, 0)]
            return SearchDevicesResult(devices, computers.total + mobiles.total, 0)
        computers_total, mobiles_total = await asyncio.gather(
            self._inventory.count(DeviceKind.COMPUTER, query),
            self._inventory.count(DeviceKind.MOBILE, query),
        )
        wanted: list[tuple[DeviceKind, int, int]] = []
        start, remaining = request.offset, request.limit
        if start < computers_total:
            take = min(remaining, computers_total - start)
            wanted.append((DeviceKind.COMPUTER, start, take))
            remaining -= take
        mobile_start = max(start - computers_total, 0)
        if remaining > 0 and mobile_start < mobiles_total:
            wanted.append((DeviceKind.MOBILE, mobile_start, remaining))
        pages: list[Page[Device]] = await asyncio.gather(
            *(
                self._inventory.search(kind, query, aspects=SEARCH_ASPECTS, offset=o, limit=n)
                for kind, o, n in wanted
            )
        )
        devices = tuple(device for page in pages for device in page.items)
        return SearchDevicesResult(devices, computers_total + mobiles_total, request.offset)
