"""Support for MCP core tests: a tiny fake catalogue and helpers that send JSON-RPC messages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs

from jamf_mcp.adapters.mcp import (
    McpServer,
    Reply,
    RequestContext,
    ToolAnnotations,
    ToolContext,
    ToolDefinition,
    ToolResult,
)
from jamf_mcp.domain.errors import DeviceNotFound
from jamf_mcp.domain.principal import Principal

READER = Principal(issuer="https://idp.example", subject="alice", scopes=frozenset({"read:jamf"}))
OTHER_READER = Principal(issuer="https://idp.example", subject="bob", scopes={"read:jamf"})

READ_ONLY = ToolAnnotations(
    title="Read only", read_only=True, destructive=False, idempotent=True, open_world=False
)
DESTRUCTIVE = ToolAnnotations(
    title=None, read_only=False, destructive=True, idempotent=False, open_world=True
)


@attrs.define
class Calls:
    """Records what the fake handlers saw."""

    seen: list[tuple[str, Mapping[str, Any], ToolContext]] = attrs.Factory(list)

    def names(self) -> list[str]:
        return [name for name, _, _ in self.seen]


def build_tools(calls: Calls) -> list[ToolDefinition]:
    async def echo(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        calls.seen.append(("echo", arguments, ctx))
        return ToolResult({"echo": arguments["text"]}, text="Echoed.")

    async def wipe(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        calls.seen.append(("wipe", arguments, ctx))
        return ToolResult({"wiped": True})

    async def find_device(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        calls.seen.append(("find_device", arguments, ctx))
        raise DeviceNotFound(arguments["identifier"])

    async def explode(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        calls.seen.append(("explode", arguments, ctx))
        raise RuntimeError("database password is hunter2")

    async def count(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        calls.seen.append(("count", arguments, ctx))
        for step in (1, 1, 0.5, 2, 3):
            await ctx.progress(step, 3, f"step {step}")
        return ToolResult({"counted": 3})

    async def untyped(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        return {"not": "a ToolResult"}  # type: ignore[return-value]

    echo_schema = {
        "type": "object",
        "properties": {
            "text": {"type": "string", "minLength": 1},
            "limit": {"type": "integer", "minimum": 1},
        },
        "required": ["text"],
        "additionalProperties": False,
    }
    no_args = {"type": "object", "additionalProperties": False}
    return [
        ToolDefinition(
            name="echo",
            title="Echo",
            description="Echo the text back.",
            input_schema=echo_schema,
            output_schema={"type": "object", "properties": {"echo": {"type": "string"}}},
            annotations=READ_ONLY,
            required_scopes=frozenset({"read:jamf"}),
            handler=echo,
            meta={"example.com/origin": "tests"},
        ),
        ToolDefinition(
            name="wipe",
            title="Wipe",
            description="Erase a device.",
            input_schema=no_args,
            output_schema=None,
            annotations=DESTRUCTIVE,
            required_scopes=frozenset({"read:jamf", "write:jamf"}),
            handler=wipe,
        ),
        ToolDefinition(
            name="find_device",
            title="Find device",
            description="Look a device up.",
            input_schema={"type": "object", "properties": {"identifier": {"type": "string"}}},
            output_schema=None,
            annotations=READ_ONLY,
            required_scopes=frozenset(),
            handler=find_device,
        ),
        ToolDefinition(
            "explode", "Explode", "Fails.", no_args, None, READ_ONLY, frozenset(), explode
        ),
        ToolDefinition("count", "Count", "Counts.", no_args, None, READ_ONLY, frozenset(), count),
        ToolDefinition(
            "untyped", "Untyped", "Bad.", no_args, None, READ_ONLY, frozenset(), untyped
        ),
    ]


def message(method: str, params: Mapping[str, Any] | None = None, *, id: Any = 1) -> bytes:
    body: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if id is not None:
        body["id"] = id
    if params is not None:
        body["params"] = params
    return json.dumps(body).encode()


async def send(
    server: McpServer,
    raw: bytes,
    *,
    principal: Principal = READER,
    session_id: str | None = None,
    version: str | None = None,
) -> tuple[Reply, Any]:
    """Send one message; return the reply and its decoded response (None without a body)."""
    reply = await server.handle(raw, RequestContext(principal, session_id, version))
    body = await reply.body()
    return reply, (json.loads(body) if body is not None else None)


async def initialize(
    server: McpServer, version: str = "2025-11-25", principal: Principal = READER
) -> str:
    params = {
        "protocolVersion": version,
        "capabilities": {"elicitation": {}},
        "clientInfo": {"name": "pytest", "version": "0"},
    }
    reply, _ = await send(server, message("initialize", params), principal=principal)
    assert reply.session_id is not None
    return reply.session_id
