"""Support for MCP HTTP tests: the MCP endpoints wired with a small fake catalogue."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from litestar import Litestar

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

USER = Principal(issuer="https://idp.example", subject="carol", scopes={"read:jamf"})

_READ_ONLY = ToolAnnotations(
    title=None, read_only=True, destructive=False, idempotent=True, open_world=False
)


async def _add(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
    total = arguments["a"] + arguments["b"]
    return ToolResult({"sum": total}, text=f"{arguments['a']} + {arguments['b']} = {total}")


async def _countdown(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
    steps = int(arguments.get("steps", 3))
    for done in range(1, steps + 1):
        await asyncio.sleep(0)
        await ctx.progress(done, steps, f"{done} of {steps}")
    return ToolResult({"steps": steps})


def fake_catalogue() -> ToolCatalogue:
    """`add` (two integers) and `countdown` (reports progress)."""
    integer = {"type": "integer"}
    return ToolCatalogue(
        [
            ToolDefinition(
                name="add",
                title="Add",
                description="Add two integers.",
                input_schema={
                    "type": "object",
                    "properties": {"a": integer, "b": integer},
                    "required": ["a", "b"],
                    "additionalProperties": False,
                },
                output_schema={"type": "object", "properties": {"sum": integer}},
                annotations=_READ_ONLY,
                required_scopes=frozenset({"read:jamf"}),
                handler=_add,
            ),
            ToolDefinition(
                name="countdown",
                title="Countdown",
                description="Count to `steps`, reporting progress.",
                input_schema={
                    "type": "object",
                    "properties": {"steps": {"type": "integer", "minimum": 1, "maximum": 20}},
                },
                output_schema=None,
                annotations=_READ_ONLY,
                required_scopes=frozenset(),
                handler=_countdown,
            ),
        ]
    )


def build_app(
    config: HttpTransportConfig | None = None, principal: Principal = USER
) -> tuple[McpFirst, InMemorySessionStore]:
    """An app serving the fake catalogue, as the composition root would wire it."""
    sessions = InMemorySessionStore()
    server = McpServer(fake_catalogue(), ServerInfo("test-server", "0.0.1"), sessions)

    async def authenticate(_request: object) -> Principal:
        return principal

    endpoint = McpEndpoint(server=lambda: server, authenticate=authenticate)
    app = McpFirst(
        McpHttpApp(config or HttpTransportConfig(), endpoint),
        Litestar(route_handlers=health_route_handlers()),
    )
    return app, sessions
