"""The seam for rate limiting the front door's POST endpoints (a real limiter comes later)."""

from __future__ import annotations

from typing import Protocol


class AuthRateLimiter(Protocol):
    """Decides whether one more request from `client_key` to `endpoint` may proceed."""

    async def allow(self, endpoint: str, client_key: str) -> bool:
        """True to serve the request; False answers 429. Must not raise."""
        ...


class AllowAllRateLimiter:
    """Lets everything through (implements `AuthRateLimiter`)."""

    async def allow(self, endpoint: str, client_key: str) -> bool:
        """Always True."""
        return True
