"""Departments and buildings from Jamf Pro, cached, with name ↔ id resolution for filters."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Literal

import attrs

from jamf_mcp.adapters.jamf_rest.json_fields import text
from jamf_mcp.adapters.jamf_rest.mapping import DirectoryNames
from jamf_mcp.adapters.jamf_rest.paging import ResultPage, fetch_page, stream_pages
from jamf_mcp.adapters.jamf_rest.rsql import Resolved
from jamf_mcp.adapters.jamf_rest.settings import MAX_PAGE_SIZE
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.domain.errors import UnknownBuilding, UnknownDepartment

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_inventory import Directory

_Kind = Literal["departments", "buildings"]
_PRIVILEGES: dict[_Kind, str] = {
    "departments": "Read Departments",
    "buildings": "Read Buildings",
}


@attrs.frozen
class _Entry:
    loaded_at: float
    names_by_id: dict[str, str]


class JamfDirectory:
    """Implements the `Directory` port over `/api/v1/departments` and `/api/v1/buildings`.

    Each list is read in full (paged) and cached for `connection.directory_cache_seconds`
    (5 minutes by default); concurrent callers share one fetch.
    """

    def __init__(self, http: JamfHttp, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._http = http
        self._clock = clock
        self._ttl = http.connection.directory_cache_seconds
        self._cache: dict[_Kind, _Entry] = {}
        self._locks: dict[_Kind, asyncio.Lock] = {
            "departments": asyncio.Lock(),
            "buildings": asyncio.Lock(),
        }

    async def departments(self) -> Sequence[str]:
        """Every department name, sorted."""
        return sorted((await self._names_by_id("departments")).values(), key=str.casefold)

    async def buildings(self) -> Sequence[str]:
        """Every building name, sorted."""
        return sorted((await self._names_by_id("buildings")).values(), key=str.casefold)

    async def names(self) -> DirectoryNames:
        """Department and building names by id, for mapping inventory records."""
        departments, buildings = await asyncio.gather(
            self._names_by_id("departments"), self._names_by_id("buildings")
        )
        return DirectoryNames(departments=departments, buildings=buildings)

    async def resolve(
        self,
        departments: Collection[str],
        buildings: Collection[str],
        *,
        by: Literal["id", "name"],
    ) -> Resolved:
        """Map names (case-insensitively) to ids or to Jamf's own spelling of the name.

        Raises:
            UnknownDepartment / UnknownBuilding: a name matches nothing; lists the known names.
        """
        resolved_departments: dict[str, str] = {}
        resolved_buildings: dict[str, str] = {}
        if departments:
            known = await self._names_by_id("departments")
            resolved_departments = _resolve(departments, known, by, UnknownDepartment)
        if buildings:
            known = await self._names_by_id("buildings")
            resolved_buildings = _resolve(buildings, known, by, UnknownBuilding)
        return Resolved(departments=resolved_departments, buildings=resolved_buildings)

    def forget(self) -> None:
        """Drop the cache (the next call reads Jamf again)."""
        self._cache.clear()

    async def _names_by_id(self, kind: _Kind) -> dict[str, str]:
        entry = self._cache.get(kind)
        if entry is not None and self._clock() - entry.loaded_at < self._ttl:
            return entry.names_by_id
        async with self._locks[kind]:
            entry = self._cache.get(kind)
            if entry is None or self._clock() - entry.loaded_at >= self._ttl:
                entry = _Entry(self._clock(), await self._load(kind))
                self._cache[kind] = entry
            return entry.names_by_id

    async def _load(self, kind: _Kind) -> dict[str, str]:
        path = f"/api/v1/{kind}"
        privilege = _PRIVILEGES[kind]

        async def fetch(page: int, size: int) -> ResultPage:
            return await fetch_page(
                self._http, path, [("sort", "id:asc")], page=page, size=size, privilege=privilege
            )

        names: dict[str, str] = {}
        window = self._http.connection.max_in_flight
        async for rows in stream_pages(fetch, size=MAX_PAGE_SIZE, window=window):
            for row in rows:
                jamf_id, name = text(row, "id"), text(row, "name")
                if jamf_id is not None and name is not None:
                    names[jamf_id] = name
        return names


def _resolve(
    wanted: Collection[str],
    known: dict[str, str],
    by: Literal["id", "name"],
    error: type[UnknownDepartment] | type[UnknownBuilding],
) -> dict[str, str]:
    by_folded: dict[str, tuple[str, str]] = {}
    for jamf_id, name in sorted(known.items(), key=lambda item: _numeric_first(item[0])):
        by_folded.setdefault(name.casefold(), (jamf_id, name))
    resolved: dict[str, str] = {}
    for name in wanted:
        match = by_folded.get(name.casefold())
        if match is None:
            raise error(name, sorted(known.values(), key=str.casefold))
        resolved[name.casefold()] = match[0] if by == "id" else match[1]
    return resolved


def _numeric_first(jamf_id: str) -> tuple[int, str]:
    return (int(jamf_id), "") if jamf_id.isdigit() else (2**63, jamf_id)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_directory: type[Directory] = JamfDirectory
