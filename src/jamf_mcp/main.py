"""`create_app(settings)`: the Litestar application, built from the container."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response
from litestar.di import Provide

from jamf_mcp.adapters.dev_idp import dev_idp_route_handlers
from jamf_mcp.adapters.litestar_http import (
    AuthenticationFailed,
    BearerAuthenticator,
    HttpTransportConfig,
    ScopeRequired,
    health_route_handlers,
    mcp_route_handlers,
    metadata_route_handlers,
    oauth_route_handlers,
)
from jamf_mcp.adapters.mcp import McpServer
from jamf_mcp.containers import Container
from jamf_mcp.settings import Settings

logger = logging.getLogger(__name__)


def build_container(settings: Settings) -> Container:
    """A container for these settings (resources not yet started)."""
    container = Container(settings=settings)
    container.jamf.settings.override(settings)
    return container


def create_app(settings: Settings, container: Container | None = None) -> Litestar:
    """The ASGI application serving MCP on `/mcp` and the health check on `/health`."""
    container = container or build_container(settings)

    running: dict[str, McpServer] = {}

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await container.init_resources()  # type: ignore[misc]
        try:
            # Providers that depend on an async Resource resolve to awaitables.
            server = container.mcp.server()
            running["server"] = await server if inspect.isawaitable(server) else server
            yield
        finally:
            running.clear()
            for client in (container.identity.http(), container.identity.cimd_http()):
                if client is not None:
                    await client.aclose()
            await container.shutdown_resources()  # type: ignore[misc]

    def mcp_server() -> McpServer:
        return running["server"]

    identity = container.identity
    authenticator: BearerAuthenticator = identity.authenticator()
    transport = HttpTransportConfig(
        max_body_bytes=settings.max_body_bytes,
        allowed_origins=settings.allowed_origins,
        allowed_hosts=settings.allowed_hosts or None,
    )
    routes = [*mcp_route_handlers(transport), *health_route_handlers()]
    front_door = identity.front_door()
    if front_door is not None:
        routes += [*metadata_route_handlers(front_door.config), *oauth_route_handlers(front_door)]
    dev_idp = identity.dev_idp()
    if dev_idp is not None:
        routes += dev_idp_route_handlers(dev_idp)

    def unauthorized(_: Request[Any, Any, Any], failure: AuthenticationFailed) -> Response[Any]:
        return authenticator.unauthorized(failure)

    def forbidden(_: Request[Any, Any, Any], needed: ScopeRequired) -> Response[Any]:
        return authenticator.forbidden(needed)

    app = Litestar(
        route_handlers=routes,
        dependencies={
            "mcp_server": Provide(mcp_server, sync_to_thread=False),
            "principal": Provide(authenticator.principal),
        },
        exception_handlers={AuthenticationFailed: unauthorized, ScopeRequired: forbidden},
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        debug=False,
        logging_config=None,
    )
    identity.loopback().bind(app)
    return app
