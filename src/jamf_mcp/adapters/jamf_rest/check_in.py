"""`JamfCheckInSchedule`: the `CheckInSchedule` port over `GET /api/v3/check-in` (reference §6)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from jamf_mcp.adapters.jamf_rest.http_errors import JamfResourceMissing
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.domain.errors import JamfPermissionDenied
from jamf_mcp.domain.jamf_operations import CheckInSettings

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_policies import CheckInSchedule

_log = logging.getLogger(__name__)

CHECK_IN_PATH = "/api/v3/check-in"
READ_CHECK_IN = "Read Computer Check-In"
JAMF_DEFAULT = CheckInSettings(frequency_minutes=15, known=False)
"""`ClientCheckInV3.checkInFrequency` defaults to 15 (Jamf Pro 11.30.1 schema)."""


class JamfCheckInSchedule:
    """Implements `CheckInSchedule`: one GET, cached for `cache_seconds` (5 minutes by default).

    Without the "Read Computer Check-In" privilege (403), or on a server without the v3 path
    (404), Jamf's default of 15 minutes is reported with `known=False`, so summaries can say it
    was assumed. Other failures (Jamf unavailable) propagate.
    """

    def __init__(
        self,
        http: JamfHttp,
        *,
        cache_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._ttl = cache_seconds
        self._clock = clock
        self._lock = asyncio.Lock()
        self._cached: tuple[float, CheckInSettings] | None = None

    async def settings(self) -> CheckInSettings:
        """The tenant's check-in frequency (minutes)."""
        cached = self._cached
        if cached is not None and self._clock() - cached[0] < self._ttl:
            return cached[1]
        async with self._lock:
            cached = self._cached
            if cached is None or self._clock() - cached[0] >= self._ttl:
                cached = (self._clock(), await self._read())
                self._cached = cached
            return cached[1]

    async def _read(self) -> CheckInSettings:
        try:
            body = await self._http.get_json(CHECK_IN_PATH, privilege=READ_CHECK_IN)
        except (JamfPermissionDenied, JamfResourceMissing) as error:
            _log.warning("Check-in frequency unreadable, assuming 15 minutes: %s", error.message)
            return JAMF_DEFAULT
        minutes = body.get("checkInFrequency") if isinstance(body, dict) else None
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 1440:
            return JAMF_DEFAULT
        return CheckInSettings(frequency_minutes=minutes)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_check_in_schedule: type[CheckInSchedule] = JamfCheckInSchedule
