"""Server-to-client requests (elicitation) on a tool call's stream, and client cancellations."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from typing import Any

import pytest

from jamf_mcp.adapters.mcp import (
    InMemorySessionStore,
    McpServer,
    NoBackChannel,
    RequestContext,
    ServerInfo,
    Stream,
    ToolCatalogue,
    ToolContext,
    ToolDefinition,
    ToolResult,
)
from jamf_mcp.adapters.mcp_jamf.elicitation import elicitation_confirmer
from jamf_mcp.application.ports import ConfirmationAnswer
from tests.unit.adapters_mcp.mcp_core_support import (
    OTHER_READER,
    READ_ONLY,
    READER,
    body_of,
    handle,
    initialize,
    message,
    messages_of,
    status_of,
)

answers: list[ConfirmationAnswer] = []


async def _confirm(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
    confirmer = elicitation_confirmer(
        ctx.channel, ctx.protocol_version, ctx.client_capabilities, timeout=2
    )
    if confirmer is None:
        return ToolResult({"asked": False})
    answer = await confirmer.ask("Restart MAC-123")
    answers.append(answer)
    return ToolResult({"asked": True, "answer": answer.value})


async def _long(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
    steps = 0
    while not ctx.cancellation.cancelled and steps < 500:
        steps += 1
        await ctx.progress(steps, None, f"step {steps}")
        await asyncio.sleep(0.01)
    return ToolResult({"steps": steps, "cancelled": ctx.cancellation.cancelled})


def _server() -> McpServer:
    tools = [
        ToolDefinition(
            "confirm", "Confirm", "d", {"type": "object"}, None, READ_ONLY, frozenset(), _confirm,
            may_elicit=True,
        ),
        ToolDefinition("long", "Long", "d", {"type": "object"}, None, READ_ONLY, frozenset(), _long),
    ]  # fmt: skip
    return McpServer(ToolCatalogue(tools), ServerInfo("s", "1"), InMemorySessionStore())


def _call(name: str, *, id: int = 7, token: str | None = None) -> bytes:
    params: dict[str, Any] = {"name": name, "arguments": {}}
    if token is not None:
        params["_meta"] = {"progressToken": token}
    return message("tools/call", params, id=id)


async def _answer(server: McpServer, session: str, request: Any, result: Any, **kw: Any) -> int:
    body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": result}).encode()
    reply = await handle(server, body, RequestContext(kw.get("principal", READER), session))
    return status_of(reply)


async def test_an_elicitation_travels_on_the_calls_stream_and_the_answer_resumes_the_tool() -> None:
    server = _server()
    session = await initialize(server)
    context = RequestContext(READER, session, "2025-11-25", can_stream=True)
    reply = await handle(server, _call("confirm"), context)
    assert isinstance(reply, Stream)  # the tool may ask the client: streaming is worth it
    stream = messages_of(reply)

    asked = json.loads(await anext(stream))
    assert asked["method"] == "elicitation/create"
    assert asked["params"]["mode"] == "form"
    assert "Restart MAC-123" in asked["params"]["message"]
    assert asked["params"]["requestedSchema"]["required"] == ["confirm"]
    status = await _answer(
        server, session, asked, {"action": "accept", "content": {"confirm": True}}
    )
    final = json.loads(await anext(stream))

    assert status == 202
    assert final["result"]["structuredContent"] == {"asked": True, "answer": "accepted"}


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({"action": "decline"}, "declined"),
        ({"action": "cancel"}, "dismissed"),
        ({"action": "accept", "content": {"confirm": False}}, "declined"),
    ],
)
async def test_only_accept_with_confirm_true_confirms(result: Any, expected: str) -> None:
    server = _server()
    session = await initialize(server)
    context = RequestContext(READER, session, "2025-11-25", can_stream=True, only_stream=True)
    stream = messages_of(await handle(server, _call("confirm"), context))
    asked = json.loads(await anext(stream))
    await _answer(server, session, asked, result)

    final = json.loads(await anext(stream))

    assert final["result"]["structuredContent"]["answer"] == expected


async def test_another_users_answer_never_reaches_the_waiting_call() -> None:
    server = _server()
    session = await initialize(server)
    other_session = await initialize(server, principal=OTHER_READER)
    context = RequestContext(READER, session, "2025-11-25", can_stream=True, only_stream=True)
    stream = messages_of(await handle(server, _call("confirm"), context))
    asked = json.loads(await anext(stream))

    accepted = {"action": "accept", "content": {"confirm": True}}
    await _answer(server, other_session, asked, accepted, principal=OTHER_READER)
    final = json.loads(await anext(stream))  # the elicitation times out (2 s) instead

    assert final["result"]["structuredContent"]["answer"] == "timed_out"


async def test_a_client_without_elicitation_or_a_json_reply_is_not_asked() -> None:
    server = _server()
    context = RequestContext(READER, None, "2025-11-25", can_stream=True)
    reply = await handle(server, _call("confirm"), context)
    assert not isinstance(reply, Stream)  # nothing to ask: no reason to stream
    body = json.loads(await body_of(reply) or b"")
    assert body["result"]["structuredContent"] == {"asked": False}


async def test_a_request_on_a_json_reply_has_no_back_channel() -> None:
    seen: list[BaseException] = []

    async def ask(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        try:
            await ctx.channel.request("elicitation/create", {}, answer_within=1)
        except NoBackChannel as error:
            seen.append(error)
        return ToolResult({"ok": True})

    tool = ToolDefinition("ask", "Ask", "d", {"type": "object"}, None, READ_ONLY, frozenset(), ask)
    server = McpServer(ToolCatalogue([tool]), ServerInfo("s", "1"), InMemorySessionStore())
    await body_of(await handle(server, _call("ask"), RequestContext(READER)))
    assert len(seen) == 1


async def test_notifications_cancelled_signals_the_running_call_of_the_same_user() -> None:
    server = _server()
    session = await initialize(server)
    context = RequestContext(READER, session, can_stream=True, only_stream=True)
    stream = messages_of(await handle(server, _call("long", token="p"), context))
    await anext(stream)

    cancel = message("notifications/cancelled", {"requestId": 7, "reason": "user"}, id=None)
    other = await handle(server, cancel, RequestContext(OTHER_READER))
    await anext(stream)
    mine = await handle(server, cancel, RequestContext(READER, session))
    messages = [json.loads(item) async for item in stream]

    assert (status_of(other), status_of(mine)) == (202, 202)
    final = messages[-1]["result"]["structuredContent"]
    assert final["cancelled"] is True
    assert final["steps"] < 500
