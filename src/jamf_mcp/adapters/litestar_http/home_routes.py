"""`GET /`: the home page an operator opens first (see `home_page.py` for what it shows).

The page is public: it shows what any client learns from the discovery documents (URLs, scopes,
registration) and the readiness probes' secret-free details (never the Jamf URL, never a user).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import attrs
from litestar import MediaType, Response, get
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.asgi_observability.readiness import Readiness
from jamf_mcp.adapters.litestar_http.home_page import (
    ConnectorSettings,
    HomePage,
    home_headers,
    home_html,
)
from jamf_mcp.adapters.litestar_http.metadata_routes import authorization_server_metadata
from jamf_mcp.adapters.oauth_server import FrontDoorConfig

HOME_PATH = "/"


def connector_settings(resource_url: str, front_door: FrontDoorConfig | None) -> ConnectorSettings:
    """The settings to paste, read from the front door's configuration and discovery metadata
    (None: sign-in is off, only the MCP URL matters)."""
    if front_door is None:
        return ConnectorSettings(mcp_url=resource_url)
    metadata = authorization_server_metadata(front_door)
    return ConnectorSettings(
        mcp_url=front_door.resource,
        authorization_url=metadata["authorization_endpoint"],
        token_url=metadata["token_endpoint"],
        # `offline_access` is advertised for clients that ask for it, but refresh tokens come
        # without it: the form needs only what the connector settings show (docs/sign-in.md).
        scopes=tuple(s for s in front_door.scopes_supported if s != "offline_access"),
        registration=front_door.registration,
    )


def home_route_handlers(
    page: HomePage,
    readiness: Callable[[], Readiness | None],
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    registration_modes: Callable[[], Awaitable[tuple[str, ...]]] | None = None,
) -> list[ControllerRouterHandler]:
    """Route handlers for the home page.

    Args:
        page: The settings and facts that do not change while the server runs.
        readiness: The readiness checker once the resources have started (None before).
        clock: The time the status was checked (tests inject their own).
        registration_modes: The registration modes as of now (an operator may add a
            pre-registered client while the server runs); None: those of `page`.
    """

    @get(HOME_PATH, include_in_schema=False)
    async def home() -> Response[str]:
        checker = readiness()
        report = await checker.report() if checker is not None else None
        shown = page
        if registration_modes is not None:
            modes = await registration_modes()
            shown = attrs.evolve(page, connector=attrs.evolve(page.connector, registration=modes))
        return Response(
            home_html(shown, report, clock()),
            media_type=MediaType.HTML,
            headers=home_headers(),
        )

    return [home]
