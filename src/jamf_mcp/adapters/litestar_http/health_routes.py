"""Liveness endpoint for load balancers and container health checks."""

from __future__ import annotations

from litestar import get
from litestar.types import ControllerRouterHandler


@get("/health", include_in_schema=False, sync_to_thread=False)
def health() -> dict[str, str]:
    """Answer 200 while the process serves HTTP; no authentication, no dependencies."""
    return {"status": "ok"}


def health_route_handlers() -> list[ControllerRouterHandler]:
    """Route handlers for `GET /health`."""
    return [health]
