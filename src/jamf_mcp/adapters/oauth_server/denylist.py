"""Revoked grants and subjects that access tokens are checked against until they have expired.

Access tokens stay stateless JWTs. Revoking a grant family stops its refresh tokens at once (the
state store), and puts its public id (`sid`, carried by every access token of the family) on this
denylist; revoking a person puts their subject on it with the time of revocation, so every token
of theirs issued before then is refused. An entry is kept only as long as a token it refuses can
still be alive, so the list stays small; it is also capped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

import attrs

from jamf_mcp.application.ports.clock import Clock

MAX_DENIALS = 100_000
GRANT = "grant"
SUBJECT = "subject"


def subject_key(subject: str) -> str:
    """How a subject appears on the denylist (its SHA-256: the list names no one)."""
    return hashlib.sha256(subject.encode()).hexdigest()


@attrs.frozen
class Denial:
    """One revocation the resource side enforces.

    Attributes:
        kind: `grant` (value is a family's `sid`) or `subject` (value is `subject_key(sub)`).
        value: what is refused.
        at: when it was revoked (seconds since the epoch); a subject's tokens issued at or
            before this are refused, a grant's tokens all are.
        until: when the entry may be forgotten (no token it refuses is alive any more).
    """

    kind: str = attrs.field(validator=attrs.validators.in_((GRANT, SUBJECT)))
    value: str
    at: float
    until: float


class AccessDenylist(Protocol):
    """The shared list of denials (in memory for one replica, in Redis for a fleet)."""

    async def add(self, denials: Sequence[Denial]) -> None:
        """Add denials (the oldest go first beyond the cap) and change the version.

        Raises:
            StateUnavailable: a shared implementation cannot reach its store.
        """
        ...

    async def version(self) -> int:
        """A number that changes whenever a denial is added (cheap: checked often)."""
        ...

    async def entries(self) -> tuple[int, list[Denial]]:
        """The version and every denial not yet forgotten."""
        ...


class InMemoryAccessDenylist:
    """Implements `AccessDenylist` in this process.

    Args:
        clock: the time source for forgetting entries.
        capacity: the most entries kept.
    """

    def __init__(self, clock: Clock, capacity: int = MAX_DENIALS) -> None:
        self._clock = clock
        self._capacity = capacity
        self._denials: list[Denial] = []
        self._version = 0

    async def add(self, denials: Sequence[Denial]) -> None:
        """Add denials; forget expired ones and the oldest beyond the cap."""
        if not denials:
            return
        now = self._clock.now().timestamp()
        kept = [d for d in [*self._denials, *denials] if d.until > now]
        kept.sort(key=lambda d: d.until)
        self._denials = kept[-self._capacity :]
        self._version += 1

    async def version(self) -> int:
        """The version."""
        return self._version

    async def entries(self) -> tuple[int, list[Denial]]:
        """The version and the live denials."""
        now = self._clock.now().timestamp()
        return self._version, [d for d in self._denials if d.until > now]


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_denylist: type[AccessDenylist] = InMemoryAccessDenylist
