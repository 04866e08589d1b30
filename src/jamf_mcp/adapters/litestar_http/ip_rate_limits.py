"""Litestar middleware: a bucket per client address on the sign-in pages."""

from __future__ import annotations

from collections.abc import Sequence

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Receive, Scope, Send

from jamf_mcp.adapters.asgi_mcp.rate_limits import Observer, RateLimited, ignore_refusal
from jamf_mcp.application.ports.rate_limits import RateLimiter


def client_ip(scope: Scope) -> str:
    """The client address uvicorn resolved (it honours proxy headers only when told to)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class ClientIpRateLimit:
    """ASGI middleware: one bucket per client IP for every request under `prefixes`.

    Args:
        app: the wrapped application.
        limiter: the buckets.
        per_minute: capacity and refill per minute.
        prefixes: path prefixes to limit (the sign-in endpoints).
        observer: told of each refusal.
        exempt: paths under `prefixes` limited elsewhere: the token and revocation endpoints,
            which OpenAI's few addresses call for every ChatGPT user (limited per client by the
            front door, with a generous ceiling per address at the route).
    """

    def __init__(
        self,
        app: ASGIApp,
        limiter: RateLimiter,
        per_minute: int,
        prefixes: Sequence[str] = ("/auth/", "/dev-idp/"),
        observer: Observer = ignore_refusal,
        exempt: Sequence[str] = (),
    ) -> None:
        self.app = app
        self._limiter = limiter
        self._per_minute = per_minute
        self._prefixes = tuple(prefixes)
        self._observer = observer
        self._exempt = frozenset(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse the request with 429 when its client's bucket is empty."""
        path = str(scope.get("path", ""))
        if (
            scope["type"] != ScopeType.HTTP
            or not path.startswith(self._prefixes)
            or path.rstrip("/") in self._exempt
        ):
            await self.app(scope, receive, send)
            return
        decision = await self._limiter.take(f"ip:{client_ip(scope)}", self._per_minute)
        if decision.allowed:
            await self.app(scope, receive, send)
            return
        self._observer("ip")
        limited = RateLimited(decision.retry_after_seconds, "ip")
        body = limited.body()
        await send(
            {
                "type": "http.response.start",
                "status": 429,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"retry-after", str(limited.retry_after_seconds).encode()),
                    (b"cache-control", b"no-store"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": False})
