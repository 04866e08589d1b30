"""Rate limits inside the front door: token and revocation requests per client.

OpenAI's servers make the token requests of every ChatGPT user, from a handful of addresses, so a
per-address limit there would throttle all of them at once. The HTTP edge limits sign-in pages
per address (people's browsers) and puts only a generous ceiling per address on the token and
revocation endpoints (it bounds the work one address can cause); here, once a request has
authenticated its client, it draws from that client's bucket. A public client's id can be claimed
by anyone, so its bucket is per client *and* address: a stranger cannot spend ChatGPT's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.application.ports.rate_limits import RateLimiter


class AuthRateLimiter(Protocol):
    """Decides whether one more request from `client_key` to `endpoint` may proceed."""

    async def allow(self, endpoint: str, client_key: str) -> bool:
        """True to serve the request; False answers 429. Must not raise for a full bucket."""
        ...


class AllowAllRateLimiter:
    """Lets everything through (implements `AuthRateLimiter`)."""

    async def allow(self, endpoint: str, client_key: str) -> bool:
        """Always True."""
        return True


class BucketRateLimiter:
    """Token buckets per key (implements `AuthRateLimiter`); shared by replicas when the
    `RateLimiter` is.

    Args:
        limiter: the buckets.
        per_minute: each key's capacity and refill per minute.
        observer: told `scope` at each refusal (e.g. to count it in a metric).
        scope: what these buckets limit (`client`, `token_ip`).
    """

    def __init__(
        self,
        limiter: RateLimiter,
        per_minute: int,
        observer: Callable[[str], None] | None = None,
        scope: str = "client",
    ) -> None:
        self._limiter = limiter
        self._per_minute = per_minute
        self._observer = observer
        self._scope = scope

    async def allow(self, endpoint: str, client_key: str) -> bool:
        """Take one token from the bucket of `client_key` at `endpoint`."""
        decision = await self._limiter.take(f"{endpoint}:{client_key}", self._per_minute)
        if not decision.allowed and self._observer is not None:
            self._observer(self._scope)
        return decision.allowed


def client_bucket(client: RegisteredClient, address: str | None) -> str:
    """The bucket a request of an authenticated `client` from `address` draws from."""
    if client.is_public:
        return f"client:{client.client_id}@{address or 'unknown'}"
    return f"client:{client.client_id}"
