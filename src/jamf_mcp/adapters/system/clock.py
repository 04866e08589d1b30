"""The system clock, the one `Clock` every deployment uses."""

from __future__ import annotations

from datetime import UTC, datetime


class SystemClock:
    """Reads the real time in UTC (implements `Clock`)."""

    def now(self) -> datetime:
        """The current instant, timezone-aware UTC."""
        return datetime.now(UTC)
