"""Which computers-inventory API version to call: decided once, from the server's version."""

from __future__ import annotations

import asyncio
import re

import attrs

from jamf_mcp.adapters.jamf_rest.http_errors import JamfResourceMissing
from jamf_mcp.adapters.jamf_rest.settings import InventoryApiPreference
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.domain.errors import JamfRequestRejected

VERSION_PATH = "/api/v1/jamf-pro-version"
_VERSION = re.compile(r"^\s*(\d+)\.(\d+)(?:\.(\d+))?")


@attrs.frozen
class ComputersApi:
    """One version of `/api/vN/computers-inventory`, and the field names that differ between them."""

    version: int

    @property
    def list_path(self) -> str:
        """The paged, filterable list."""
        return f"/api/v{self.version}/computers-inventory"

    def detail_path(self, jamf_id: str) -> str:
        """Every section of one computer."""
        return f"/api/v{self.version}/computers-inventory-detail/{jamf_id}"

    @property
    def last_contact_field(self) -> str:
        """The RSQL/sort field for the last check-in (renamed in v4)."""
        return "general.lastContact" if self.version >= 4 else "general.lastContactTime"

    def older(self) -> ComputersApi | None:
        """The next older version worth trying, or None."""
        return {4: ComputersApi(3), 3: ComputersApi(1)}.get(self.version)


def parse_version(text: str) -> tuple[int, int, int] | None:
    """`11.30.1-t1784555528405` → `(11, 30, 1)`; None when unreadable."""
    match = _VERSION.match(text)
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


def computers_api_for(version: tuple[int, int, int] | None) -> ComputersApi:
    """v4 from 11.30, v3 from 11.23, else v1 (also when the version is unknown)."""
    if version is None:
        return ComputersApi(1)
    if version[:2] >= (11, 30):
        return ComputersApi(4)
    if version[:2] >= (11, 23):
        return ComputersApi(3)
    return ComputersApi(1)


class JamfApiVersions:
    """Reads `/api/v1/jamf-pro-version` once, lazily, and keeps the endpoint choice in one place.

    When the chosen list endpoint turns out to be missing (404), `step_down` falls back to the
    next older version so a tenant that reports a version it does not fully serve still works.
    """

    def __init__(self, http: JamfHttp, preference: InventoryApiPreference = "auto") -> None:
        self._http = http
        self._preference = preference
        self._lock = asyncio.Lock()
        self._computers: ComputersApi | None = None
        self._server_version: str | None = None

    @property
    def server_version(self) -> str | None:
        """The version string Jamf reported, once read."""
        return self._server_version

    async def computers(self) -> ComputersApi:
        """The computers-inventory API to use."""
        if self._computers is not None:
            return self._computers
        async with self._lock:
            if self._computers is None:
                self._computers = await self._choose()
            return self._computers

    async def at_least(self, major: int, minor: int) -> bool:
        """True when the server reported version `major.minor` or later (False if unknown)."""
        await self.computers()
        version = parse_version(self._server_version or "")
        return version is not None and version[:2] >= (major, minor)

    def step_down(self, failed: ComputersApi) -> ComputersApi:
        """Fall back from `failed` to an older version, or raise when there is none."""
        older = failed.older()
        if older is None:
            raise JamfRequestRejected(
                f"Jamf Pro at {self._http.connection.host} serves no computers-inventory API "
                f"(version {self._server_version or 'unknown'})."
            )
        if self._computers == failed:
            self._computers = older
        return older

    async def _choose(self) -> ComputersApi:
        if self._preference != "auto":
            return ComputersApi(int(self._preference[1:]))
        try:
            body = await self._http.get_json(VERSION_PATH)
        except JamfResourceMissing:  # very old servers: v1 is the safe choice
            return ComputersApi(1)
        text = body.get("version") if isinstance(body, dict) else None
        self._server_version = text if isinstance(text, str) else None
        return computers_api_for(parse_version(self._server_version or ""))
