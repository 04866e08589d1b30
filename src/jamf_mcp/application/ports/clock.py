"""The clock: the current time as a port, so tests can fix it."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """The current time, so tests can fix it."""

    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...
