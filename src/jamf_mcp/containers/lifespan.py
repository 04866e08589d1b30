"""The HTTP application's lifespan: the service starts with it and stops in order, and meanwhile
the routes read what exists only while it runs (the MCP server, the readiness probes, the
approval desk) from it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from typing import Any

import attrs
from dependency_injector import containers, providers
from litestar import Litestar

from jamf_mcp.adapters.asgi_mcp.draining import Draining
from jamf_mcp.adapters.asgi_observability.readiness import Readiness
from jamf_mcp.adapters.mcp import McpServer
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.application.approval_desk import ApprovalDesk


class NotServing(RuntimeError):
    """A request reached the MCP endpoints or the approval pages before the service started or
    after it stopped (answered 500)."""


@attrs.frozen
class RunningService:
    """What exists only while the application serves, over the resources opened at start-up.

    Attributes:
        server: the MCP server (its stores, signal router and audit trail are open).
        readiness: the readiness probes (the Jamf client and the audit trail are open).
        approval_desk: the approval pages' desk (the audit trail is open).
    """

    server: McpServer
    readiness: Readiness
    approval_desk: ApprovalDesk


async def running_service(
    server: McpServer,
    readiness: Readiness,
    approval_desk: ApprovalDesk,
    draining: Draining,
    metrics: Metrics | None,
    grace_seconds: float,
) -> AsyncIterator[RunningService]:
    """The running service, as a container Resource (its dependencies on async Resources are
    resolved by the container). When it is shut down, idle streams are told to go elsewhere and
    work that outlived its connection finishes within the grace period, recording its outcome."""
    if metrics is not None:
        metrics.track_active_sessions(server.connections.active_sessions)
    try:
        yield RunningService(server, readiness, approval_desk)
    finally:
        draining.begin()
        await server.drain(grace_seconds)


async def _done(step: Awaitable[Any] | None) -> None:
    """Await a container step: `init_resources`, `shutdown_resources` and `Resource.shutdown`
    return an awaitable when any resource involved is async (the Jamf client always is)."""
    if step is not None:
        await step


@asynccontextmanager
async def resources_open(container: containers.Container) -> AsyncIterator[None]:
    """Every resource of `container`, open for the block and shut down (in dependency order)
    when it ends — or when one fails to open: those that did open are closed."""
    try:
        await _done(container.init_resources())
        yield
    finally:
        await _done(container.shutdown_resources())


class ServiceLifespan:
    """Starts the service with the application and stops it in order.

    Start: every resource of `resources` (the Jamf client, the stores, the audit trail, the
    background work), the running service among them — the container opens what it depends on
    first. Stop: first the running service (streams told to go, work in flight finished and
    audited), then every other resource, in dependency order; if the start fails, what did open
    is closed. The routes read the running service through `server`, `readiness` and
    `approval_desk`; before the start and after the stop there is none.

    Args:
        resources: the container whose resources start and stop with the application.
        running: its Resource that yields the `RunningService`.
    """

    def __init__(
        self, resources: containers.Container, running: providers.Resource[RunningService]
    ) -> None:
        self._resources = resources
        self._running_resource = running
        self._running: RunningService | None = None

    def server(self) -> McpServer:
        """The running MCP server."""
        return self._now().server

    def readiness(self) -> Readiness | None:
        """The readiness probes (None before the start: answered 503 "starting")."""
        return None if self._running is None else self._running.readiness

    async def approval_desk(self) -> ApprovalDesk:
        """The approval desk of the running service."""
        return self._now().approval_desk

    def _now(self) -> RunningService:
        if self._running is None:
            raise NotServing("the service is not running")
        return self._running

    @asynccontextmanager
    async def __call__(self, _app: Litestar) -> AsyncIterator[None]:
        """Litestar's lifespan: the service runs while the application does."""
        async with resources_open(self._resources):
            try:
                self._running = await self._running_resource.async_()
                yield
            finally:
                self._running = None
                await _done(self._running_resource.shutdown())
