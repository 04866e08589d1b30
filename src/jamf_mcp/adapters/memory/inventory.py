"""An in-memory `DeviceInventory` with inspectable calls, for use-case tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from datetime import datetime

import attrs

from jamf_mcp.application.ports import Page
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.errors import DeviceNotFound, UnknownBuilding, UnknownDepartment
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect, SortKey


def _contains(value: str | None, needle: str) -> bool:
    return value is not None and needle in value.casefold()


def matches(device: Device, query: DeviceQuery) -> bool:
    """Whether `device` satisfies `query`, as Jamf's adapter filters (held to it by
    tests/contract/test_device_inventory_contract.py, ADR 0038)."""
    if query.text is not None:
        needle = query.text.casefold()
        fields = (
            device.identity.name,
            device.identity.serial_number,
            device.identity.asset_tag,
            device.user.username,
            device.user.real_name,
            device.user.email,
        )
        if not any(_contains(f, needle) for f in fields):
            return False
    if (
        query.department is not None
        and (device.user.department or "").casefold() != query.department.casefold()
    ):
        return False
    if (
        query.building is not None
        and (device.user.building or "").casefold() != query.building.casefold()
    ):
        return False
    seen = device.last_check_in
    if query.checked_in_before is not None and (seen is None or seen >= query.checked_in_before):
        return False
    if query.checked_in_since is not None and (seen is None or seen < query.checked_in_since):
        return False
    return not query.any_of or any(matches(device, sub) for sub in query.any_of)


@attrs.define
class InMemoryDeviceInventory:
    """Holds devices in a list (implements `DeviceInventory`).

    `calls` counts each method call by name and `aspects_requested` records the aspects of every
    search/stream, so tests can check that use cases push work down and ask only for what they need.
    """

    devices: list[Device] = attrs.field(factory=list)
    calls: Counter[str] = attrs.field(factory=Counter)
    streamed_queries: list[DeviceQuery] = attrs.field(factory=list)
    aspects_requested: list[frozenset[InventoryAspect]] = attrs.field(factory=list)

    def _select(self, kind: DeviceKind, query: DeviceQuery) -> list[Device]:
        self._check_directory(query)
        return [d for d in self.devices if d.kind is kind and matches(d, query)]

    def _check_directory(self, query: DeviceQuery) -> None:
        departments = {d.user.department.casefold() for d in self.devices if d.user.department}
        buildings = {d.user.building.casefold() for d in self.devices if d.user.building}
        if query.department is not None and query.department.casefold() not in departments:
            raise UnknownDepartment(query.department, sorted(departments))
        if query.building is not None and query.building.casefold() not in buildings:
            raise UnknownBuilding(query.building, sorted(buildings))
        for branch in query.any_of:  # as Jamf's adapter resolves the names of every branch
            self._check_directory(branch)

    @staticmethod
    def _sorted(devices: Iterable[Device], sort: SortKey) -> list[Device]:
        if sort is SortKey.LAST_CHECK_IN_OLDEST_FIRST:
            return sorted(
                devices,
                key=lambda d: (
                    d.last_check_in is not None,
                    d.last_check_in or datetime.min,
                    d.identity.name,
                ),
            )
        return sorted(devices, key=lambda d: (d.identity.name.casefold(), d.identity.jamf_id))

    async def count(self, kind: DeviceKind, query: DeviceQuery) -> int:
        """Count matching devices."""
        self.calls["count"] += 1
        return len(self._select(kind, query))

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
        """One page of matches."""
        self.calls["search"] += 1
        self.aspects_requested.append(aspects)
        selected = self._sorted(self._select(kind, query), sort)
        return Page(tuple(selected[offset : offset + limit]), len(selected), offset)

    async def stream(
        self,
        kind: DeviceKind,
        query: DeviceQuery,
        *,
        aspects: frozenset[InventoryAspect],
        sort: SortKey = SortKey.NAME,
    ) -> AsyncIterator[Device]:
        """Every match, in order."""
        self.calls["stream"] += 1
        self.streamed_queries.append(query)
        self.aspects_requested.append(aspects)
        for device in self._sorted(self._select(kind, query), sort):
            yield device

    async def get(self, kind: DeviceKind, jamf_id: str) -> Device:
        """One device by Jamf id."""
        self.calls["get"] += 1
        for device in self.devices:
            if device.kind is kind and device.identity.jamf_id == jamf_id:
                return device
        raise DeviceNotFound(jamf_id)

    async def find(
        self, kind: DeviceKind, identifier: str, *, aspects: frozenset[InventoryAspect]
    ) -> Sequence[Device]:
        """Exact matches on id, serial, asset tag, UDID or name (any case)."""
        self.calls["find"] += 1
        wanted = identifier.casefold()
        return [
            d
            for d in self.devices
            if d.kind is kind
            and wanted
            in {
                (v or "").casefold()
                for v in (
                    d.identity.jamf_id,
                    d.identity.serial_number,
                    d.identity.asset_tag,
                    d.identity.udid,
                    d.identity.name,
                )
            }
        ]
