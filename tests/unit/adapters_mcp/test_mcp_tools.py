"""tools/list and tools/call in the MCP core: wire shapes, paging, validation, errors and progress."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from typing import Any

import pytest

from jamf_mcp.adapters.mcp import (
    InMemorySessionStore,
    McpServer,
    RequestContext,
    ServerInfo,
    Stream,
    ToolCatalogue,
    ToolContext,
    ToolDefinition,
    ToolResult,
)
from jamf_mcp.domain.principal import Principal
from tests.unit.adapters_mcp.mcp_core_support import (
    READ_ONLY,
    READER,
    STREAMING,
    Calls,
    body_of,
    build_tools,
    handle,
    message,
    messages_of,
    send,
    status_of,
)

ADMIN = Principal(issuer="https://idp.example", subject="root", scopes={"read:jamf", "write:jamf"})


def call(name: str, arguments: Any = None, *, id: int = 1, token: object = None) -> bytes:
    params: dict[str, Any] = {"name": name}
    if arguments is not None:
        params["arguments"] = arguments
    if token is not None:
        params["_meta"] = {"progressToken": token}
    return message("tools/call", params, id=id)


async def test_lists_tools_with_every_field_for_current_clients(server: McpServer) -> None:
    _, body = await send(server, message("tools/list"), version="2025-11-25")

    echo = body["result"]["tools"][0]
    assert echo == {
        "name": "echo",
        "title": "Echo",
        "description": "Echo the text back.",
        "inputSchema": echo["inputSchema"],
        "outputSchema": {"type": "object", "properties": {"echo": {"type": "string"}}},
        "annotations": {
            "title": "Read only",
            "readOnlyHint": True,
            "destructiveHint": False,
            "idempotentHint": True,
            "openWorldHint": False,
        },
        "_meta": {"example.com/origin": "tests"},
    }
    assert echo["inputSchema"]["required"] == ["text"]
    assert [t["name"] for t in body["result"]["tools"]] == [
        "echo",
        "wipe",
        "find_device",
        "explode",
        "count",
        "untyped",
    ]
    assert "nextCursor" not in body["result"]


async def test_lists_only_what_2024_11_05_clients_know(server: McpServer) -> None:
    _, body = await send(server, message("tools/list"), version="2024-11-05")

    assert body["result"]["tools"][1] == {
        "name": "wipe",
        "description": "Erase a device.",
        "inputSchema": {"type": "object", "additionalProperties": False},
    }


def _numbered_tools(count: int) -> list[ToolDefinition]:
    async def handler(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        return ToolResult(None, text="ok")

    schema = {"type": "object"}
    return [
        ToolDefinition(f"tool_{i}", f"Tool {i}", "d", schema, None, READ_ONLY, frozenset(), handler)
        for i in range(count)
    ]


async def test_pages_tools_list_with_opaque_cursors_in_catalogue_order() -> None:
    server = McpServer(
        ToolCatalogue(_numbered_tools(7)), ServerInfo("s", "1"), InMemorySessionStore(), page_size=3
    )
    names: list[list[str]] = []
    cursor: str | None = None
    for _ in range(5):
        params = {"cursor": cursor} if cursor is not None else None
        _, body = await send(server, message("tools/list", params))
        names.append([tool["name"] for tool in body["result"]["tools"]])
        cursor = body["result"].get("nextCursor")
        if cursor is None:
            break
        assert not cursor.isdigit()

    assert names == [
        ["tool_0", "tool_1", "tool_2"],
        ["tool_3", "tool_4", "tool_5"],
        ["tool_6"],
    ]


@pytest.mark.parametrize("cursor", ["garbage!", "dG9vbHM6OTk=", "dG9vbHM6MA==", 3, "", "YWJj"])
async def test_refuses_cursors_it_did_not_issue(cursor: object) -> None:
    server = McpServer(
        ToolCatalogue(_numbered_tools(7)), ServerInfo("s", "1"), InMemorySessionStore(), page_size=3
    )

    _, body = await send(server, message("tools/list", {"cursor": cursor}))

    assert body["error"]["code"] == -32602
    assert body["error"]["message"].startswith("Invalid cursor")


async def test_returns_text_then_json_and_structured_content(
    server: McpServer, calls: Calls
) -> None:
    _, body = await send(server, call("echo", {"text": "hello"}), version="2025-06-18")

    assert body["result"] == {
        "content": [
            {"type": "text", "text": "Echoed."},
            {"type": "text", "text": '{"echo":"hello"}'},
        ],
        "structuredContent": {"echo": "hello"},
        "isError": False,
    }
    [(_, arguments, ctx)] = calls.seen
    assert arguments == {"text": "hello"}
    assert ctx.principal == READER
    assert ctx.request_id == 1
    assert ctx.protocol_version == "2025-06-18"


async def test_hands_the_handler_its_session_and_client_capabilities(
    server: McpServer, calls: Calls
) -> None:
    capabilities = {"roots": {"listChanged": True}, "elicitation": {"form": {"x": 1}}}
    init = message("initialize", {"protocolVersion": "2025-11-25", "capabilities": capabilities})
    session_id = (await send(server, init))[0].session_id

    await send(server, call("echo", {"text": "x"}))
    await send(server, call("echo", {"text": "y"}), session_id=session_id)

    stateless, in_session = (ctx for _, _, ctx in calls.seen)
    assert (stateless.session_id, stateless.client_capabilities) == (None, {})
    # Only what the server acts on is kept: whether (and how) the client can elicit.
    assert (in_session.session_id, in_session.client_capabilities) == (
        session_id,
        {"elicitation": {"form": {}}},
    )
    assert in_session.protocol_version == "2025-11-25"


@pytest.mark.parametrize(
    ("arguments", "text"),
    [
        ({"text": "a", "limit": -5}, "Invalid argument 'limit': -5 is less than the minimum of 1"),
        ({"text": 3}, "Invalid argument 'text': 3 is not of type 'string'"),
        ({}, "Invalid arguments: 'text' is a required property"),
        (None, "Invalid arguments: 'text' is a required property"),
        (
            {"text": "a", "colour": "red"},
            "Invalid arguments: Additional properties are not allowed ('colour' was unexpected)",
        ),
        (
            {"text": "", "limit": 0},
            "Invalid argument 'limit': 0 is less than the minimum of 1\n"
            "Invalid argument 'text': '' should be non-empty",
        ),
    ],
)
async def test_reports_invalid_arguments_as_a_tool_error_without_running_the_tool(
    server: McpServer, calls: Calls, arguments: Any, text: str
) -> None:
    reply, body = await send(server, call("echo", arguments))

    assert status_of(reply) == 200
    assert body["result"] == {"content": [{"type": "text", "text": text}], "isError": True}
    assert calls.seen == []


async def test_refuses_a_tool_whose_scopes_the_principal_lacks(
    server: McpServer, calls: Calls
) -> None:
    _, body = await send(server, call("wipe", {}))

    assert body["result"]["isError"] is True
    assert body["result"]["content"] == [
        {
            "type": "text",
            "text": "This action needs the scope(s) write:jamf, which your sign-in does not grant.",
        }
    ]
    assert calls.seen == []


async def test_runs_a_tool_when_the_principal_has_its_scopes(
    server: McpServer, calls: Calls
) -> None:
    _, body = await send(server, call("wipe"), principal=ADMIN)

    assert body["result"]["isError"] is False
    assert calls.names() == ["wipe"]


async def test_turns_domain_errors_into_tool_errors_with_their_message(server: McpServer) -> None:
    _, body = await send(server, call("find_device", {"identifier": "C02XYZ"}))

    assert body["result"]["isError"] is True
    [block] = body["result"]["content"]
    assert block["text"].startswith("No device matches 'C02XYZ'.")


@pytest.mark.parametrize("tool", ["explode", "untyped"])
async def test_hides_unexpected_tool_failures_and_logs_them(
    server: McpServer, caplog: pytest.LogCaptureFixture, tool: str
) -> None:
    with caplog.at_level(logging.INFO):
        _, body = await send(server, call(tool, id=7))

    assert body["result"] == {
        "content": [
            {
                "type": "text",
                "text": f"Internal error while running {tool}; the incident was logged (request 7)",
            }
        ],
        "isError": True,
    }
    assert "hunter2" not in json.dumps(body)
    failure = next(r for r in caplog.records if r.levelno == logging.ERROR)
    assert failure.fields == {"rpc_id": 7}  # type: ignore[attr-defined]  # a field, not text
    assert failure.exc_info is not None


async def test_logs_tool_name_and_outcome_but_never_argument_values(
    server: McpServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        await send(server, call("echo", {"text": "classified-serial-C02XYZ"}, id=11))

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "tools/call echo: ok" in logged
    assert {"rpc_id": 11} in [getattr(record, "fields", None) for record in caplog.records]
    assert "classified-serial" not in logged


async def _collect(server: McpServer, raw: bytes, version: str) -> list[dict[str, Any]]:
    context = RequestContext(READER, protocol_version=version, can_stream=True)
    reply = await handle(server, raw, context)
    assert isinstance(reply, Stream)  # the client asked for progress: streaming is worth it
    return [json.loads(item) async for item in messages_of(reply)]


async def test_streams_monotonic_progress_before_the_response(server: McpServer) -> None:
    messages = await _collect(server, call("count", token="tok-1", id=4), "2025-06-18")

    progress = [m["params"] for m in messages if m.get("method") == "notifications/progress"]
    assert progress == [
        {"progressToken": "tok-1", "progress": 1, "total": 3, "message": "step 1"},
        {"progressToken": "tok-1", "progress": 2, "total": 3, "message": "step 2"},
        {"progressToken": "tok-1", "progress": 3, "total": 3, "message": "step 3"},
    ]
    assert messages[-1]["id"] == 4
    assert messages[-1]["result"]["isError"] is False
    assert len(messages) == 4


async def test_leaves_progress_messages_out_for_2024_11_05(server: McpServer) -> None:
    messages = await _collect(server, call("count", token=17), "2024-11-05")

    assert messages[0]["params"] == {"progressToken": 17, "progress": 1, "total": 3}


@pytest.mark.parametrize("token", [None, True, 1.5, {"x": 1}])
async def test_progress_is_a_no_op_without_a_valid_progress_token(
    server: McpServer, token: object
) -> None:
    params: dict[str, Any] = {"name": "count"}
    if token is not None:
        params["_meta"] = {"progressToken": token}
    context = RequestContext(READER, can_stream=True)
    reply = await handle(server, message("tools/call", params), context)

    messages = [json.loads(item) async for item in messages_of(reply)]

    assert not isinstance(reply, Stream)  # nothing to stream ahead of the response
    assert [m.get("id") for m in messages] == [1]


async def test_a_json_body_drops_progress_and_keeps_the_response(server: McpServer) -> None:
    reply = await handle(server, call("count", token="t"), RequestContext(READER))

    body = json.loads(await body_of(reply) or b"")

    assert body["result"]["content"] == [{"type": "text", "text": '{"counted":3}'}]


async def test_closing_the_stream_early_signals_cancellation_then_cancels_a_tool_that_ignores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("jamf_mcp.adapters.mcp.delivery.ABANDON_GRACE_SECONDS", 0.05)
    started, cancelled = asyncio.Event(), asyncio.Event()
    seen: list[ToolContext] = []

    async def slow(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        seen.append(ctx)
        await ctx.progress(1, None, "started")
        started.set()
        try:
            await asyncio.sleep(30)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return ToolResult(None, text="never")

    slow_tool = ToolDefinition(
        "slow", "Slow", "d", {"type": "object"}, None, READ_ONLY, frozenset(), slow
    )
    server = McpServer(ToolCatalogue([slow_tool]), ServerInfo("s", "1"), InMemorySessionStore())
    reply = await handle(server, call("slow", token="t"), STREAMING)
    stream = messages_of(reply)

    first = await anext(stream)
    await started.wait()
    await stream.aclose()

    assert json.loads(first)["method"] == "notifications/progress"
    assert seen[0].cancellation.cancelled
    assert not cancelled.is_set()
    await asyncio.wait_for(cancelled.wait(), 2)


async def test_a_tool_that_stops_when_signalled_finishes_cleanly_after_the_client_left() -> None:
    finished = asyncio.Event()

    async def careful(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        await ctx.progress(1, None, "started")
        while not ctx.cancellation.cancelled:
            await asyncio.sleep(0.01)
        finished.set()
        return ToolResult({"stopped": True})

    tool = ToolDefinition(
        "careful", "Careful", "d", {"type": "object"}, None, READ_ONLY, frozenset(), careful
    )
    server = McpServer(ToolCatalogue([tool]), ServerInfo("s", "1"), InMemorySessionStore())
    reply = await handle(server, call("careful", token="t"), STREAMING)
    stream = messages_of(reply)
    await anext(stream)
    await stream.aclose()

    await asyncio.wait_for(finished.wait(), 2)


async def test_a_call_refused_for_scopes_carries_the_sign_in_challenge_chatgpt_follows(
    calls: Calls,
) -> None:
    def challenge(held: frozenset[str], missing: tuple[str, ...]) -> str:
        return f'Bearer error="insufficient_scope", scope="{" ".join([*sorted(held), *missing])}"'

    server = McpServer(
        ToolCatalogue(build_tools(calls)),
        ServerInfo(name="jamf-mcp", version="1"),
        InMemorySessionStore(),
        scope_challenge=challenge,
    )
    _, body = await send(server, message("tools/call", {"name": "wipe", "arguments": {}}))

    result = body["result"]
    assert result["isError"] is True
    assert result["_meta"]["mcp/www_authenticate"] == [
        'Bearer error="insufficient_scope", scope="read:jamf write:jamf"'
    ]
    assert calls.names() == []  # the tool never ran
