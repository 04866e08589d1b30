"""A clock that says what it is told (implements `Clock`)."""

from __future__ import annotations

from datetime import datetime, timedelta

import attrs


@attrs.define
class FixedClock:
    """Returns `current` until moved with `advance`."""

    current: datetime

    def now(self) -> datetime:
        """The fixed instant."""
        return self.current

    def advance(self, delta: timedelta) -> None:
        """Move time forward."""
        self.current += delta
