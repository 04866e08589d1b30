"""The Prometheus scrape endpoint (`GET /metrics`), optionally behind a static bearer token.

Exposure rule (`metrics_exposure`): with a token configured the endpoint always asks for it;
without one it is open only when the server listens on loopback alone, and otherwise not
mounted unless the operator explicitly allowed an open endpoint (a scrape network they trust).
"""

from __future__ import annotations

import secrets
from typing import Any, Literal, Protocol

from litestar import Request, Response, get
from litestar.types import ControllerRouterHandler

METRICS_PATH = "/metrics"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

MetricsExposure = Literal["token", "open", "disabled"]


class MetricsText(Protocol):
    """Renders the metrics in the Prometheus text format (the Prometheus `Metrics`)."""

    def render(self) -> bytes:
        """The exposition text."""
        ...


def metrics_exposure(
    token: str | None, *, loopback_only: bool, allow_unauthenticated: bool = False
) -> MetricsExposure:
    """How `/metrics` is served: `token` (bearer required), `open`, or `disabled` (not mounted).

    Args:
        token: The configured scrape token, if any.
        loopback_only: Whether the server listens on loopback addresses only.
        allow_unauthenticated: The operator's explicit consent to an open endpoint elsewhere.
    """
    if token:
        return "token"
    if loopback_only or allow_unauthenticated:
        return "open"
    return "disabled"


def _authorized(request: Request[Any, Any, Any], token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return secrets.compare_digest(given.strip().encode(), token.encode())


def metrics_route_handlers(
    metrics: MetricsText, *, token: str | None = None, path: str = METRICS_PATH
) -> list[ControllerRouterHandler]:
    """Route handlers for the scrape endpoint.

    Args:
        metrics: What to render.
        token: When set, scrapes must send `Authorization: Bearer <token>` (else 401).
        path: Where the endpoint lives.
    """

    @get(path, include_in_schema=False, sync_to_thread=False)
    def scrape(request: Request[Any, Any, Any]) -> Response[bytes]:
        if token and not _authorized(request, token):
            return Response(
                b"Unauthorized\n",
                status_code=401,
                media_type="text/plain",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"', "Cache-Control": "no-store"},
            )
        return Response(
            metrics.render(),
            media_type=CONTENT_TYPE,
            headers={"Cache-Control": "no-store"},
        )

    return [scrape]
