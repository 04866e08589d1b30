"""Rate limits: a token bucket per principal on the MCP endpoints, per client IP on sign-in
pages (the token and revocation endpoints are limited per OAuth client instead).

Over the limit the answer is HTTP 429 with `Retry-After` and the body
`{"error": "Rate limit exceeded", "retry_after": N}` (whole seconds, at least 1). Buckets live
behind the `RateLimiter` port, so with a shared implementation every replica draws from the same
bucket.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

import attrs

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer
from jamf_mcp.application.ports.rate_limits import RateLimiter
from jamf_mcp.domain.principal import Principal

RATE_LIMIT_CODE = -32000
"""The JSON-RPC error code of a rate-limited message on a stream (implementation-defined range)."""


class RateLimited(Exception):
    """A request over its bucket's limit; answered 429."""

    def __init__(self, retry_after: float, scope: str, principal: Principal | None = None) -> None:
        super().__init__(f"rate limited ({scope})")
        self.retry_after = retry_after
        self.scope = scope
        self.principal = principal

    @property
    def retry_after_seconds(self) -> int:
        """`Retry-After` in whole seconds (at least 1)."""
        return max(1, math.ceil(self.retry_after))

    def body(self) -> bytes:
        """The HTTP body (the seed's shape)."""
        return json.dumps(
            {"error": "Rate limit exceeded", "retry_after": self.retry_after_seconds}
        ).encode()

    def jsonrpc_error(self, request_id: str | int | None = None) -> bytes:
        """The same refusal as a JSON-RPC error, for a client that reads a stream."""
        return json.dumps(
            {
                "jsonrpc": "2.0",
                "id": request_id,
                "error": {
                    "code": RATE_LIMIT_CODE,
                    "message": "Rate limit exceeded",
                    "data": {"retry_after": self.retry_after_seconds},
                },
            }
        ).encode()


def too_many_requests(limited: RateLimited) -> Answer:
    """The 429 answer."""
    return Answer(
        429,
        limited.body(),
        headers={"Retry-After": str(limited.retry_after_seconds), "Cache-Control": "no-store"},
    )


Observer = Callable[[str], None]
"""Told the scope (`principal` or `ip`) of every refused request (e.g. to count it)."""


def ignore_refusal(_scope: str) -> None:
    return None


RequestT = TypeVar("RequestT")


@attrs.frozen
class PrincipalRateLimit(Generic[RequestT]):
    """Wraps the sign-in check: the principal, once its bucket allows the request.

    Attributes:
        authenticate: turns a request into a principal.
        limiter: the buckets.
        per_minute: the bucket's capacity and refill per minute.
        observer: told of each refusal.
    """

    authenticate: Callable[[RequestT], Awaitable[Principal]]
    limiter: RateLimiter
    per_minute: int
    observer: Observer = ignore_refusal

    async def principal(self, request: RequestT) -> Principal:
        """The caller, or `RateLimited` (naming them) when their bucket is empty."""
        principal = await self.authenticate(request)
        decision = await self.limiter.take(f"principal:{principal.key}", self.per_minute)
        if not decision.allowed:
            self.observer("principal")
            raise RateLimited(decision.retry_after_seconds, "principal", principal)
        return principal
