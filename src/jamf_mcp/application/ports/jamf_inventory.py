"""Jamf Pro inventory: computers and mobile devices, and the departments and buildings they name."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Protocol

from jamf_mcp.application.ports.paging import Page
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect, SortKey


class DeviceInventory(Protocol):
    """Read access to computers and mobile devices.

    Implementations push `DeviceQuery` criteria and sorting down to the inventory server wherever
    possible and fetch only the requested `aspects`. Every method may raise `JamfUnavailable`,
    `JamfCredentialsRejected` or `JamfPermissionDenied`; all are idempotent reads.
    """

    async def count(self, kind: DeviceKind, query: DeviceQuery) -> int:
        """How many devices of `kind` match `query`, counted by the server (no records fetched).

        Raises:
            UnknownDepartment / UnknownBuilding: when the query names one that does not exist.
        """
        ...

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
        """One page of matching devices with the total number of matches.

        Raises:
            UnknownDepartment / UnknownBuilding: when the query names one that does not exist.
        """
        ...

    def stream(
        self,
        kind: DeviceKind,
        query: DeviceQuery,
        *,
        aspects: frozenset[InventoryAspect],
        sort: SortKey = SortKey.NAME,
    ) -> AsyncIterator[Device]:
        """Every matching device, fetched page by page; memory stays bounded by the page size."""
        ...

    async def get(self, kind: DeviceKind, jamf_id: str) -> Device:
        """One device with every aspect.

        Raises:
            DeviceNotFound: no device of `kind` has this Jamf id.
        """
        ...

    async def find(
        self, kind: DeviceKind, identifier: str, *, aspects: frozenset[InventoryAspect]
    ) -> Sequence[Device]:
        """Devices whose Jamf id, serial number, asset tag, UDID or exact name equals `identifier`.

        Name comparison is case-insensitive. Returns an empty sequence when nothing matches.
        """
        ...


class Directory(Protocol):
    """Organisation data that devices refer to: departments and buildings."""

    async def departments(self) -> Sequence[str]:
        """Every department name."""
        ...

    async def buildings(self) -> Sequence[str]:
        """Every building name."""
        ...
