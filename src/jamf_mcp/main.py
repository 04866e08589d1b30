"""`create_app(settings)`: the Litestar application, built from the container."""

from __future__ import annotations

import inspect
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.di import Provide

from jamf_mcp.adapters.litestar_http import (
    HttpTransportConfig,
    health_route_handlers,
    mcp_route_handlers,
)
from jamf_mcp.adapters.mcp import McpServer
from jamf_mcp.containers import Container
from jamf_mcp.domain.principal import Principal, local_operator
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
            await container.shutdown_resources()  # type: ignore[misc]

    def mcp_server() -> McpServer:
        return running["server"]

    def principal() -> Principal:
        # Sign-in arrives with the identity issue; until then the server only binds to loopback
        # and every request acts as the local operator.
        return local_operator()

    transport = HttpTransportConfig(
        max_body_bytes=settings.max_body_bytes,
        allowed_origins=settings.allowed_origins,
        allowed_hosts=settings.allowed_hosts or None,
    )
    return Litestar(
        route_handlers=[*mcp_route_handlers(transport), *health_route_handlers()],
        dependencies={
            "mcp_server": Provide(mcp_server, sync_to_thread=False),
            "principal": Provide(principal, sync_to_thread=False),
        },
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        debug=False,
        logging_config=None,
    )
