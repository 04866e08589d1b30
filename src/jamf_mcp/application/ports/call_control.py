"""Call control: progress reported by a long-running use case, and its caller giving up."""

from __future__ import annotations

from typing import Protocol


class ProgressSink(Protocol):
    """Receives progress of a long-running use case (devices done out of total)."""

    async def __call__(self, done: float, total: float, message: str, /) -> None:
        """Report that `done` of `total` units are finished; `done` only ever increases."""
        ...


class Cancellation(Protocol):
    """Tells a running use case that its caller gave up; checked between units of work."""

    @property
    def cancelled(self) -> bool:
        """True once the caller cancelled."""
        ...
