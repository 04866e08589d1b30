"""`JamfDeviceInventory`: the `DeviceInventory` port over the Jamf Pro inventory APIs."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from jamf_mcp.adapters.jamf_rest.directory import JamfDirectory
from jamf_mcp.adapters.jamf_rest.http_errors import JamfResourceMissing
from jamf_mcp.adapters.jamf_rest.listing import (
    COMPUTER_EXACT_FIELDS,
    MOBILE_EXACT_FIELDS,
    MOBILE_FIELDS,
    READ_COMPUTERS,
    READ_MOBILE_DEVICES,
    Listing,
    computer_fields,
    computer_listing,
    computer_sort,
    mobile_listing,
    mobile_sort,
    sections_for,
)
from jamf_mcp.adapters.jamf_rest.mapping import (
    DirectoryNames,
    computer_from_inventory,
    mobile_device_from_single_detail,
)
from jamf_mcp.adapters.jamf_rest.paging import ResultPage, page_span, stream_pages
from jamf_mcp.adapters.jamf_rest.rsql import device_filter, identifier_filter, names_in
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.adapters.jamf_rest.version import JamfApiVersions
from jamf_mcp.application.ports.paging import Page
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.errors import DeviceNotFound, JamfPermissionDenied
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect, SortKey

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_inventory import DeviceInventory

_log = logging.getLogger(__name__)

FIND_LIMIT = 100
"""`find` is an exact-identifier lookup: more matches than this means the identifier is useless."""


class JamfDeviceInventory:
    """Implements the `DeviceInventory` port: computers and mobile devices read from Jamf Pro.

    Criteria and sorting are pushed down as RSQL; only the sections for the requested aspects are
    fetched; lists are read page by page (`page-size` from the connection, never above 2000) with
    later pages fetched concurrently. Computers come from `/api/vN/computers-inventory` (N chosen
    from the server version), mobile devices from `/api/v2/mobile-devices/detail`.
    """

    def __init__(
        self,
        http: JamfHttp,
        directory: JamfDirectory,
        *,
        versions: JamfApiVersions | None = None,
    ) -> None:
        self._http = http
        self._directory = directory
        self._versions = versions or JamfApiVersions(http, http.connection.inventory_api)
        self._page_size = http.connection.page_size

    async def count(self, kind: DeviceKind, query: DeviceQuery) -> int:
        """How many devices match, from `totalCount` of a one-row page."""
        _, first = await self._first_page(kind, query, frozenset(), SortKey.NAME, size=1)
        return first.total

    async def search(
        self,
        kind: DeviceKind,
        query: DeviceQuery,
        *,
        aspects: frozenset[InventoryAspect],
        offset: int,
        limit: int,
        sort: SortKey = SortKey.NAME,
    ) -> Page[Device]:
        """Rows `[offset, offset + limit)` of the matches, and how many match in all."""
        offset = max(offset, 0)
        if limit <= 0:
            return Page(items=(), total=await self.count(kind, query), offset=offset)
        size, first_page, last_page = page_span(offset, limit)
        listing, first = await self._first_page(kind, query, aspects, sort, size, first_page)
        rest = await asyncio.gather(
            *(listing.fetch(page, size) for page in range(first_page + 1, last_page + 1))
            if first.results
            else ()
        )
        rows = [row for page in (first, *rest) for row in page.results]
        start = offset - first_page * size
        devices = tuple(listing.to_device(row) for row in rows[start : start + limit])
        return Page(items=devices, total=first.total, offset=offset)

    async def stream(
        self,
        kind: DeviceKind,
        query: DeviceQuery,
        *,
        aspects: frozenset[InventoryAspect],
        sort: SortKey = SortKey.NAME,
    ) -> AsyncIterator[Device]:
        """Every match, in order; at most `max_in_flight` pages are held at once."""
        listing, first = await self._first_page(kind, query, aspects, sort, self._page_size)
        pages = stream_pages(
            listing.fetch,
            size=self._page_size,
            window=self._http.connection.max_in_flight,
            first=first,
        )
        try:
            async for rows in pages:
                for row in rows:
                    yield listing.to_device(row)
        finally:
            await pages.aclose()

    async def get(self, kind: DeviceKind, jamf_id: str) -> Device:
        """One device with every section; `DeviceNotFound` for an unknown or non-numeric id."""
        if not (jamf_id.isdigit() and jamf_id.isascii()):
            raise DeviceNotFound(jamf_id)
        try:
            if kind is DeviceKind.COMPUTER:
                api = await self._versions.computers()
                record = await self._http.get_json(
                    api.detail_path(jamf_id), privilege=READ_COMPUTERS
                )
                return computer_from_inventory(record, await self._names())
            record = await self._http.get_json(
                f"/api/v2/mobile-devices/{jamf_id}/detail", privilege=READ_MOBILE_DEVICES
            )
            return mobile_device_from_single_detail(record, await self._names())
        except JamfResourceMissing:
            raise DeviceNotFound(jamf_id) from None

    async def find(
        self, kind: DeviceKind, identifier: str, *, aspects: frozenset[InventoryAspect]
    ) -> Sequence[Device]:
        """Devices whose id, serial, asset tag, UDID or name (any case) equals `identifier`."""
        identifier = identifier.strip()
        if not identifier:
            return ()
        mobile = kind is DeviceKind.MOBILE
        rsql = identifier_filter(
            identifier,
            id_field=None if mobile else "id",
            exact_fields=MOBILE_EXACT_FIELDS if mobile else COMPUTER_EXACT_FIELDS,
        )
        listing, first = await self._first_page(
            kind, DeviceQuery(), aspects, SortKey.NAME, FIND_LIMIT, rsql=rsql
        )
        found = [listing.to_device(row) for row in first.results]
        if mobile and identifier.isdigit() and identifier.isascii():
            # the mobile detail list cannot filter by id: look the id up directly
            try:
                by_id = await self.get(kind, identifier)
            except DeviceNotFound:
                pass
            else:
                if all(d.identity.jamf_id != by_id.identity.jamf_id for d in found):
                    found.insert(0, by_id)
        return tuple(found)

    async def _names(self) -> DirectoryNames | None:
        """Department and building names for records; without the privilege to read them, none."""
        try:
            return await self._directory.names()
        except JamfPermissionDenied as denied:
            _log.warning("Department/building names unavailable: %s", denied.message)
            return None

    async def _first_page(
        self,
        kind: DeviceKind,
        query: DeviceQuery,
        aspects: frozenset[InventoryAspect],
        sort: SortKey,
        size: int,
        page: int = 0,
        *,
        rsql: str | None = None,
    ) -> tuple[Listing, ResultPage]:
        """Describe the list request and read its first wanted page (stepping down API versions)."""
        while True:
            listing = await self._listing(kind, query, aspects, sort, rsql)
            try:
                return listing, await listing.fetch(page, size)
            except JamfResourceMissing:
                if kind is DeviceKind.MOBILE:
                    raise
                self._versions.step_down(await self._versions.computers())

    async def _listing(
        self,
        kind: DeviceKind,
        query: DeviceQuery,
        aspects: frozenset[InventoryAspect],
        sort: SortKey,
        rsql: str | None,
    ) -> Listing:
        departments, buildings = names_in(query)
        mobile = kind is DeviceKind.MOBILE
        resolved = await self._directory.resolve(
            departments, buildings, by="name" if mobile else "id"
        )
        sections = sections_for(aspects, mobile=mobile)
        if mobile:
            rsql = rsql or device_filter(query, MOBILE_FIELDS, resolved)
            return mobile_listing(
                self._http,
                sections=sections,
                rsql=rsql,
                sort=mobile_sort(sort),
                lenient=await self._versions.at_least(11, 29),
            )
        api = await self._versions.computers()
        rsql = rsql or device_filter(query, computer_fields(api), resolved)
        names = (
            await self._directory.names() if InventoryAspect.USER_AND_LOCATION in aspects else None
        )
        return computer_listing(
            self._http,
            api,
            sections=sections,
            rsql=rsql,
            sort=computer_sort(sort, api),
            names=names,
        )


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_device_inventory: type[DeviceInventory] = JamfDeviceInventory
