"""A live server (uvicorn on loopback) with a slow tool, for tests of SSE streams over real HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import attrs
import httpx
import uvicorn
from litestar import Litestar, Request

from jamf_mcp.adapters.asgi_mcp import HttpTransportConfig, McpEndpoint, McpFirst, McpHttpApp
from jamf_mcp.adapters.litestar_http import health_route_handlers
from jamf_mcp.adapters.mcp import (
    InMemorySessionStore,
    McpServer,
    ServerInfo,
    ToolAnnotations,
    ToolCatalogue,
    ToolContext,
    ToolDefinition,
    ToolResult,
)
from jamf_mcp.domain.principal import Principal


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


READ = ToolAnnotations(None, read_only=True, destructive=False, idempotent=True, open_world=False)
HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}


@attrs.define
class Ticks:
    """What the slow tool did: steps taken and whether it saw a cancellation."""

    steps: int = 0
    stopped_by_cancel: bool = False
    finished: asyncio.Event = attrs.field(factory=asyncio.Event)


def _catalogue(ticks: Ticks) -> ToolCatalogue:
    async def tick(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        total = int(arguments.get("steps", 10))
        try:
            for step in range(1, total + 1):
                if ctx.cancellation.cancelled:
                    ticks.stopped_by_cancel = True
                    break
                ticks.steps = step
                await ctx.progress(step, total, f"step {step}")
                await asyncio.sleep(float(arguments.get("delay", 0.1)))
        finally:
            ticks.finished.set()
        return ToolResult({"steps": ticks.steps, "cancelled": ticks.stopped_by_cancel})

    return ToolCatalogue(
        [
            ToolDefinition(
                "tick",
                "Tick",
                "Reports progress every `delay` seconds.",
                {"type": "object"},
                None,
                READ,
                frozenset(),
                tick,
            )
        ]
    )


async def _principal(request: Request[Any, Any, Any]) -> Principal:
    user = request.headers.get("x-test-user", "carol")
    return Principal("https://idp.example", user, {"read:jamf"})


@attrs.frozen
class LiveServer:
    """The base URL of a running test server and the state of its slow tool."""

    base_url: str
    ticks: Ticks
    sessions: InMemorySessionStore


@asynccontextmanager
async def live_server(
    *, keepalive: float = 0.2, resume_grace: float = 0.5
) -> AsyncIterator[LiveServer]:
    """Serve the slow tool (and legacy SSE) until the block ends."""
    ticks = Ticks()
    sessions = InMemorySessionStore()
    server = McpServer(
        _catalogue(ticks),
        ServerInfo("stream-test", "0"),
        sessions,
        resume_grace_seconds=resume_grace,
    )
    config = HttpTransportConfig(keepalive_seconds=keepalive)
    endpoint = McpEndpoint(server=lambda: server, authenticate=_principal)
    app = McpFirst(McpHttpApp(config, endpoint), Litestar(route_handlers=health_route_handlers()))
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    task = asyncio.create_task(uv.serve())
    while not uv.started:
        await asyncio.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", ticks, sessions)
    finally:
        uv.should_exit = True
        await task


def rpc(method: str, params: dict[str, Any] | None = None, id: int | None = 1) -> bytes:
    body: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params or {}}
    if id is not None:
        body["id"] = id
    return json.dumps(body).encode()


async def initialize(client: httpx.AsyncClient, version: str = "2025-11-25", **headers: str) -> str:
    """Open a session; return its id."""
    params = {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "t"}}
    response = await client.post(
        "/mcp", content=rpc("initialize", params), headers={**HEADERS, **headers}
    )
    return response.headers["mcp-session-id"]


@attrs.frozen
class Frame:
    """One SSE frame: an event (id/event/data) or a comment."""

    id: str | None = None
    event: str | None = None
    data: str = ""
    comment: str | None = None

    def json(self) -> Any:
        return json.loads(self.data)


async def frames(response: httpx.Response) -> AsyncIterator[Frame]:
    """Parse an SSE response frame by frame as it arrives."""
    fields: dict[str, str] = {}
    comment = None
    async for line in response.aiter_lines():
        if line == "":
            if fields or comment is not None:
                yield Frame(fields.get("id"), fields.get("event"), fields.get("data", ""), comment)
            fields, comment = {}, None
            continue
        if line.startswith(":"):
            comment = line[1:].strip()
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        fields[name] = fields[name] + "\n" + value if name in fields else value
