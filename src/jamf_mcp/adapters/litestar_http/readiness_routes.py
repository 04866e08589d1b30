"""Readiness endpoint (`GET /health/ready`) for load balancers and orchestrators.

200 `{"status": "ready", "components": {name: {"status": "ok"}}}` when every probe passes,
else 503 `{"status": "not_ready", …}` with each failing component's short detail. No
authentication: the body names components and fixed reasons, never hosts, URLs or secrets.
Liveness stays on `/health` (`health_routes.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from litestar import Response, get
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.asgi_observability.readiness import Readiness

READINESS_PATH = "/health/ready"
_STARTING: dict[str, object] = {"status": "not_ready", "components": {}, "detail": "starting"}


def readiness_route_handlers(
    readiness: Readiness | Callable[[], Readiness | None], *, path: str = READINESS_PATH
) -> list[ControllerRouterHandler]:
    """Route handlers for the readiness endpoint.

    Args:
        readiness: Runs and caches the probes; or a function returning it once the application's
            resources have started (None until then, answered 503 "starting"), for probes that
            need a resource opened in the lifespan such as the Jamf client.
        path: Where the endpoint lives.
    """
    current = (lambda: readiness) if isinstance(readiness, Readiness) else readiness

    @get(path, include_in_schema=False)
    async def ready() -> Response[dict[str, object]]:
        checker = current()
        if checker is None:
            return Response(_STARTING, status_code=503, headers={"Cache-Control": "no-store"})
        report = await checker.report()
        return Response(
            report.to_json(),
            status_code=200 if report.ready else 503,
            headers={"Cache-Control": "no-store"},
        )

    return [ready]
