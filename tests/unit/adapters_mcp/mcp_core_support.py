"""Support for MCP core tests: a tiny fake catalogue and helpers that send JSON-RPC messages."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncGenerator, Mapping
from typing import Any

import attrs

from jamf_mcp.adapters.asgi_mcp.framing import HTTP_STATUS
from jamf_mcp.adapters.mcp import (
    Forbidden,
    McpServer,
    Outcome,
    RequestContext,
    Result,
    Stream,
    ToolAnnotations,
    ToolContext,
    ToolDefinition,
    ToolResult,
)
from jamf_mcp.domain.errors import DeviceNotFound
from jamf_mcp.domain.principal import Principal

READER = Principal(issuer="https://idp.example", subject="alice", scopes=frozenset({"read:jamf"}))
OTHER_READER = Principal(issuer="https://idp.example", subject="bob", scopes={"read:jamf"})
STREAMING = RequestContext(READER, can_stream=True, only_stream=True)
"""A stateless request whose answer is always streamed (a client that accepts only SSE)."""

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


async def handle(server: McpServer, raw: bytes, context: RequestContext) -> Result | Stream:
    """`parse` → `authorize` → `dispatch`, as a transport without a refusal of its own (stdio)
    does: a `Forbidden` message is answered with its JSON-RPC error."""
    verdict = server.authorize(server.parse(raw), context.principal)
    if isinstance(verdict, Forbidden):
        return Result(Outcome.ANSWERED, verdict.error.encode())
    return await server.dispatch(verdict, context)


def status_of(answer: Result | Stream) -> int:
    """The HTTP status the answer travels with over Streamable HTTP."""
    return 200 if isinstance(answer, Stream) else HTTP_STATUS[answer.kind]


async def messages_of(answer: Result | Stream) -> AsyncGenerator[bytes, None]:
    """Every message of the answer, the response last."""
    if isinstance(answer, Result):
        if answer.message is not None:
            yield answer.message
        return
    async with contextlib.aclosing(answer.events):  # closing this closes the stream
        async for event in answer.events:
            if event.data:
                yield event.data


async def body_of(answer: Result | Stream) -> bytes | None:
    """The response alone (interim messages dropped)."""
    messages = [message async for message in messages_of(answer)]
    return messages[-1] if messages else None


async def send(
    server: McpServer,
    raw: bytes,
    *,
    principal: Principal = READER,
    session_id: str | None = None,
    version: str | None = None,
) -> tuple[Result, Any]:
    """Send one message; return the answer and its decoded response (None without a body)."""
    answer = await handle(server, raw, RequestContext(principal, session_id, version))
    assert isinstance(answer, Result)
    body = answer.message
    return answer, (json.loads(body) if body is not None else None)


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
