"""The tenant's clock (epoch milliseconds) and the timestamp formats Jamf puts on the wire."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import attrs

MS_PER_SECOND = 1000
MS_PER_MINUTE = 60 * MS_PER_SECOND
MS_PER_HOUR = 60 * MS_PER_MINUTE
MS_PER_DAY = 24 * MS_PER_HOUR

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_ms(instant: datetime) -> int:
    """Epoch milliseconds of an aware datetime (naive ones are taken as UTC)."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return (instant - _EPOCH) // timedelta(milliseconds=1)


def from_ms(ms: int) -> datetime:
    """The UTC datetime of epoch milliseconds."""
    return _EPOCH + timedelta(milliseconds=ms)


def iso_ms(ms: int) -> str:
    """Jamf Pro API date-time: ``2026-08-20T10:15:30.123Z``."""
    return f"{from_ms(ms):%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def iso_or_none(ms: int | None) -> str | None:
    """``iso_ms`` that lets a missing value through."""
    return None if ms is None else iso_ms(ms)


def date_only(ms: int) -> str:
    """Jamf Pro API date: ``2026-08-20``."""
    return f"{from_ms(ms):%Y-%m-%d}"


def classic_local(ms: int) -> str:
    """Classic API ``date_completed``: ``2026-08-20 10:15:30``."""
    return f"{from_ms(ms):%Y-%m-%d %H:%M:%S}"


def classic_utc(ms: int) -> str:
    """Classic API ``*_utc``: ``2026-08-20T10:15:30.123+0000``."""
    return f"{from_ms(ms):%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}+0000"


@attrs.define
class SimClock:
    """Wall-clock time since start-up plus whatever ``advance`` added (epoch ms)."""

    start_ms: int
    offset_ms: int = 0
    _started: float = attrs.field(factory=time.monotonic)

    def now_ms(self) -> int:
        """The simulated current instant."""
        elapsed = int((time.monotonic() - self._started) * MS_PER_SECOND)
        return self.start_ms + elapsed + self.offset_ms

    def advance(self, seconds: float) -> None:
        """Jump the clock forward."""
        self.offset_ms += int(seconds * MS_PER_SECOND)
