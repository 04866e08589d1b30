"""Client assertions are single use: the port that remembers every `jti` until its assertion
expires, and its in-process implementation (the Redis one is shared by every replica)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from jamf_mcp.application.ports.clock import Clock

MAX_REMEMBERED = 100_000


class AssertionReplayCache(Protocol):
    """Remembers which client assertions were used (by a digest of client id and `jti`)."""

    async def first_use(self, key: str, ttl: float, request_id: str) -> bool:
        """Record a use of `key` for `ttl` seconds (until the assertion has expired).

        Idempotent for one `request_id`: a retry of the same call (its answer lost) is told True
        again, while any other request presenting the same key is told False.

        Returns:
            True when no other request used `key` before.

        Raises:
            StateUnavailable: a shared implementation cannot reach its store.
        """
        ...


class InMemoryAssertionReplays:
    """Implements `AssertionReplayCache` in this process (one replica).

    Args:
        clock: the time source for expiry.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._used: dict[str, tuple[float, str]] = {}

    async def first_use(self, key: str, ttl: float, request_id: str) -> bool:
        """Record `key` unless another request used it and it has not expired."""
        now = self._clock.now().timestamp()
        expires_at = now + ttl
        used = self._used.get(key)
        if used is not None and used[0] > now:
            return used[1] == request_id
        if len(self._used) >= MAX_REMEMBERED:
            for stale in [k for k, (end, _) in self._used.items() if end <= now]:
                del self._used[stale]
            if len(self._used) >= MAX_REMEMBERED:
                # Full of live assertions (at most 5 minutes each): refuse rather than forget one.
                return False
        self._used[key] = (expires_at, request_id)
        return True


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements: type[AssertionReplayCache] = InMemoryAssertionReplays
