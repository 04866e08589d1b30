"""Token buckets in process memory (implements `RateLimiter`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from jamf_mcp.application.ports.rate_limits import RateDecision

if TYPE_CHECKING:
    from jamf_mcp.application.ports.rate_limits import RateLimiter

_IDLE_SECONDS = 600.0


class InMemoryRateLimiter:
    """One bucket per key in a dict; full buckets idle for 10 minutes are forgotten.

    Args:
        clock: monotonic seconds (injectable for tests).
        period_seconds: the time in which an empty bucket fills again (a minute by default).
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, *, period_seconds: float = 60.0
    ) -> None:
        self._clock = clock
        self._period = period_seconds
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last update)
        self._next_sweep = clock() + _IDLE_SECONDS

    async def take(self, key: str, capacity: int) -> RateDecision:
        """Refill for the time elapsed, then take a token if there is one."""
        now = self._clock()
        self._sweep(now, capacity)
        rate = capacity / self._period
        tokens, last = self._buckets.get(key, (float(capacity), now))
        tokens = min(float(capacity), tokens + (now - last) * rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            return RateDecision(True, 0.0, int(tokens - 1.0))
        self._buckets[key] = (tokens, now)
        return RateDecision(False, (1.0 - tokens) / rate, 0)

    def _sweep(self, now: float, capacity: int) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + _IDLE_SECONDS
        rate = capacity / self._period
        for key, (tokens, last) in list(self._buckets.items()):
            if tokens + (now - last) * rate >= capacity and now - last > _IDLE_SECONDS:
                del self._buckets[key]


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_rate_limiter: type[RateLimiter] = InMemoryRateLimiter
