"""The stdio transport on real pipes: concurrency, the session, elicitation, progress, shutdown."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Mapping
from typing import Any

import attrs
import pytest

from jamf_mcp.adapters.mcp import (
    InMemorySessionStore,
    McpServer,
    MethodHandler,
    Request,
    RequestScope,
    ServerInfo,
    ToolAnnotations,
    ToolCatalogue,
    ToolContext,
    ToolDefinition,
    ToolResult,
    result_reply,
)
from jamf_mcp.adapters.stdio import Frame, LineSplitter, PipeReader, PipeWriter, StdioTransport
from jamf_mcp.domain.principal import Principal, local_operator

NO_ARGS = {"type": "object"}
HINTS = ToolAnnotations(None, read_only=True, destructive=False, idempotent=True, open_world=False)


@attrs.define
class Tools:
    """Tools whose progress the test controls, and what they saw."""

    release: asyncio.Event = attrs.Factory(asyncio.Event)
    running: asyncio.Event = attrs.Factory(asyncio.Event)
    sessions_seen: list[str | None] = attrs.Factory(list)
    cancelled: list[str] = attrs.Factory(list)
    cancel_signals: list[bool] = attrs.Factory(list)

    def catalogue(self) -> ToolCatalogue:
        async def whoami(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
            self.sessions_seen.append(ctx.session_id)
            return ToolResult({"subject": ctx.principal.subject})

        async def wait_for_release(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
            self.running.set()
            await self.release.wait()
            return ToolResult({"released": True})

        async def hang(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
            try:
                self.running.set()
                await asyncio.Event().wait()  # never set: the call runs until cancelled
            except asyncio.CancelledError:
                self.cancelled.append("hang")
                raise
            return ToolResult({})

        async def until_cancelled(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
            self.running.set()
            while not ctx.cancellation.cancelled:
                await asyncio.sleep(0.01)
            self.cancel_signals.append(True)
            return ToolResult({"stopped": True})

        async def ask(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
            answer = await ctx.channel.request(
                "elicitation/create", {"message": "Sure?"}, answer_within=5
            )
            return ToolResult({"answer": dict(answer)})

        async def count(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
            for step in (1, 2, 3):
                await ctx.progress(step, 3)
            return ToolResult({"counted": 3})

        def tool(name: str, handler: Any, *, may_elicit: bool = False) -> ToolDefinition:
            return ToolDefinition(
                name, name, name, NO_ARGS, None, HINTS, frozenset(), handler, may_elicit=may_elicit
            )

        return ToolCatalogue(
            [
                tool("whoami", whoami),
                tool("wait_for_release", wait_for_release),
                tool("hang", hang),
                tool("until_cancelled", until_cancelled),
                tool("ask", ask, may_elicit=True),
                tool("count", count),
            ]
        )


class Client:
    """The client end: lines go into the transport, what it writes comes back parsed."""

    def __init__(self) -> None:
        self.inbound: asyncio.Queue[Frame | None] = asyncio.Queue()
        self.read_end, self.write_end = os.pipe()
        self.writer = PipeWriter(self.write_end)
        self._lines = aiter(PipeReader(self.read_end, 1 << 20))

    async def frames(self) -> AsyncIterator[Frame]:
        while (frame := await self.inbound.get()) is not None:
            yield frame

    def send_raw(self, line: bytes) -> None:
        for frame in LineSplitter(1 << 20).feed(line + b"\n"):
            self.inbound.put_nowait(frame)

    def send(self, method: str, params: Mapping[str, Any] | None = None, id: Any = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if id is not None:
            message["id"] = id
        if params is not None:
            message["params"] = params
        self.inbound.put_nowait(json.dumps(message).encode())

    def respond(self, id: Any, result: Mapping[str, Any]) -> None:
        self.inbound.put_nowait(json.dumps({"jsonrpc": "2.0", "id": id, "result": result}).encode())

    def end_input(self) -> None:
        self.inbound.put_nowait(None)

    async def receive(self) -> Any:
        async with asyncio.timeout(5):
            line = await anext(self._lines)
        assert isinstance(line, bytes)
        return json.loads(line)

    async def initialize(self, capabilities: Mapping[str, Any] | None = None) -> Any:
        params = {
            "protocolVersion": "2025-11-25",
            "capabilities": capabilities or {},
            "clientInfo": {"name": "pytest", "version": "0"},
        }
        self.send("initialize", params, id=0)
        answer = await self.receive()
        self.send("notifications/initialized")
        return answer

    def call(self, id: int, tool: str, meta: Mapping[str, Any] | None = None) -> None:
        params: dict[str, Any] = {"name": tool, "arguments": {}}
        if meta is not None:
            params["_meta"] = meta
        self.send("tools/call", params, id=id)

    async def close(self) -> None:
        os.close(self.write_end)
        async with asyncio.timeout(5):  # the reading thread has seen the end: its fd may go
            async for _ in self._lines:
                pass
        os.close(self.read_end)


@pytest.fixture
def tools() -> Tools:
    return Tools()


class SlowMethods:
    """A method the core answers itself (no deferred work) that takes as long as the test says."""

    def __init__(self, release: asyncio.Event) -> None:
        self._release = release

    def methods(self) -> Mapping[str, MethodHandler]:
        async def slow(request: Request, scope: RequestScope) -> bytes:
            await self._release.wait()
            return result_reply(request, scope, {"slow": True})

        return {"test/slow": slow}

    def scopes(self) -> Mapping[str, frozenset[str]]:
        return {}

    def capabilities(self) -> Mapping[str, Any]:
        return {}


@pytest.fixture
async def wire(tools: Tools) -> AsyncIterator[tuple[Client, StdioTransport, asyncio.Task[None]]]:
    client = Client()
    server = McpServer(
        tools.catalogue(),
        ServerInfo("jamf-mcp", "0"),
        InMemorySessionStore(),
        providers=[SlowMethods(tools.release)],
    )
    transport = StdioTransport(server, local_operator(), client.writer, grace_seconds=0.3)
    serving = asyncio.ensure_future(transport.serve(client.frames()))
    yield client, transport, serving
    serving.cancel()
    await asyncio.gather(serving, return_exceptions=True)
    await client.close()


Wire = tuple[Client, StdioTransport, "asyncio.Task[None]"]


async def test_answers_a_garbage_line_with_a_parse_error_and_keeps_serving(wire: Wire) -> None:
    client, _, _ = wire

    client.send_raw(b"this is not json")
    error = await client.receive()
    client.send("ping", id=7)
    pong = await client.receive()

    assert error["id"] is None and error["error"]["code"] == -32700
    assert pong == {"jsonrpc": "2.0", "id": 7, "result": {}}


async def test_blank_lines_and_notifications_get_no_answer(wire: Wire) -> None:
    client, _, _ = wire

    client.send_raw(b"")
    client.send_raw(b"   ")
    client.send("notifications/initialized")
    client.send("ping", id=1)

    assert (await client.receive())["id"] == 1


async def test_every_message_after_initialize_belongs_to_the_session(
    wire: Wire, tools: Tools
) -> None:
    client, transport, _ = wire

    await client.initialize()
    client.call(1, "whoami")
    result = await client.receive()

    assert transport.session_id is not None
    assert tools.sessions_seen == [transport.session_id]
    assert result["result"]["structuredContent"] == {"subject": "local-operator"}


async def test_a_long_call_does_not_hold_up_later_requests(wire: Wire, tools: Tools) -> None:
    client, _, _ = wire
    await client.initialize()

    client.call(1, "wait_for_release")
    client.send("ping", id=2)
    first = await client.receive()
    tools.release.set()
    second = await client.receive()

    assert first["id"] == 2
    assert second["id"] == 1 and second["result"]["structuredContent"] == {"released": True}


async def test_a_slow_answer_from_the_core_itself_does_not_hold_up_reading(
    wire: Wire, tools: Tools
) -> None:
    client, _, _ = wire
    await client.initialize()

    client.send("test/slow", {}, id=1)
    client.send("ping", id=2)
    first = await client.receive()
    tools.release.set()
    second = await client.receive()

    assert (first["id"], second["id"]) == (2, 1)
    assert second["result"] == {"slow": True}


async def test_relays_an_elicitation_and_hands_the_answer_to_the_waiting_call(
    wire: Wire,
) -> None:
    client, _, _ = wire
    await client.initialize({"elicitation": {}})

    client.call(1, "ask")
    question = await client.receive()
    client.respond(question["id"], {"action": "accept", "content": {"confirm": True}})
    result = await client.receive()

    assert question["method"] == "elicitation/create"
    assert question["params"]["message"] == "Sure?"
    assert result["id"] == 1
    assert result["result"]["structuredContent"] == {
        "answer": {"action": "accept", "content": {"confirm": True}}
    }


async def test_writes_progress_notifications_before_the_response(wire: Wire) -> None:
    client, _, _ = wire
    await client.initialize()

    client.call(1, "count", meta={"progressToken": "p1"})
    messages = [await client.receive() for _ in range(4)]

    assert [m.get("method") for m in messages] == ["notifications/progress"] * 3 + [None]
    assert [m["params"]["progress"] for m in messages[:3]] == [1, 2, 3]
    assert messages[3]["id"] == 1


async def test_a_cancelled_notification_reaches_the_running_call(wire: Wire, tools: Tools) -> None:
    client, _, _ = wire
    await client.initialize()

    client.call(1, "until_cancelled")
    await tools.running.wait()
    client.send("notifications/cancelled", {"requestId": 1})
    result = await client.receive()

    assert tools.cancel_signals == [True]
    assert result["result"]["structuredContent"] == {"stopped": True}


async def test_a_call_running_when_the_input_ends_may_finish_within_the_grace(
    wire: Wire, tools: Tools
) -> None:
    client, _, serving = wire
    await client.initialize()

    client.call(1, "wait_for_release")
    await tools.running.wait()
    client.end_input()
    tools.release.set()
    result = await client.receive()
    async with asyncio.timeout(2):
        await serving

    assert result["id"] == 1


async def test_calls_still_running_after_the_grace_are_cancelled(wire: Wire, tools: Tools) -> None:
    client, _, serving = wire
    await client.initialize()

    client.call(1, "hang")
    await tools.running.wait()
    client.end_input()
    async with asyncio.timeout(2):
        await serving

    assert tools.cancelled == ["hang"]


async def test_cancelling_serve_cancels_running_calls_at_once(wire: Wire, tools: Tools) -> None:
    client, _, serving = wire
    await client.initialize()

    client.call(1, "hang")
    await tools.running.wait()
    serving.cancel()
    results = await asyncio.gather(serving, return_exceptions=True)

    assert isinstance(results[0], asyncio.CancelledError)
    assert tools.cancelled == ["hang"]


async def test_refuses_an_oversized_line_with_an_invalid_request_error() -> None:
    client = Client()
    server = McpServer(Tools().catalogue(), ServerInfo("jamf-mcp", "0"), InMemorySessionStore())
    transport = StdioTransport(server, local_operator(), client.writer)
    splitter = LineSplitter(16)
    frames = splitter.feed(b'{"jsonrpc":"2.0","id":1,"method":"ping"}\n')

    async def incoming() -> AsyncIterator[Frame]:
        for frame in frames:
            yield frame

    await transport.serve(incoming())
    refusal = await client.receive()
    await client.close()

    assert refusal["id"] is None
    assert refusal["error"]["code"] == -32600
    assert "the limit is 16 bytes" in refusal["error"]["message"]


async def test_a_message_the_principal_may_not_send_is_answered_with_its_scope_error() -> None:
    client = Client()
    server = McpServer(
        Tools().catalogue(),
        ServerInfo("jamf-mcp", "0"),
        InMemorySessionStore(),
        session_scopes=frozenset({"read:jamf"}),
    )
    reader = Principal("https://idp.example", "bob", frozenset({"openid"}))
    transport = StdioTransport(server, reader, client.writer)
    client.send("initialize", {"protocolVersion": "2025-11-25", "capabilities": {}}, id=3)
    client.send("ping", id=4)
    client.end_input()

    await transport.serve(client.frames())
    refusal, pong = sorted([await client.receive(), await client.receive()], key=lambda m: m["id"])
    await client.close()

    assert refusal["id"] == 3 and refusal["error"]["code"] == -32600
    assert refusal["error"]["data"]["missingScopes"] == ["read:jamf"]
    assert pong == {"jsonrpc": "2.0", "id": 4, "result": {}}
    assert transport.session_id is None
