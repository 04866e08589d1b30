"""JSON-RPC framing and error paths of the MCP core, driven through parse, authorize and dispatch."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from jamf_mcp.adapters.mcp import McpServer, ServerInfo, Session, ToolCatalogue
from tests.unit.adapters_mcp.mcp_core_support import message, send, status_of


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        (b'{"jsonrpc": "2.0", "id": 1, "method": ', -32700, "not valid JSON"),
        (b"\xff\xfe", -32700, "not valid JSON"),
        (b'"just a string"', -32600, "expected a JSON-RPC object"),
        (b'[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]', -32600, "batches are not supported"),
        (b"[]", -32600, "batches are not supported"),
    ],
)
async def test_rejects_bodies_that_are_not_one_json_rpc_object_with_400_and_a_null_id(
    server: McpServer, raw: bytes, code: int, fragment: str
) -> None:
    reply, body = await send(server, raw)

    assert status_of(reply) == 400
    assert body["id"] is None
    assert body["error"]["code"] == code
    assert fragment in body["error"]["message"]


@pytest.mark.parametrize(
    ("payload", "expected_id", "fragment"),
    [
        ({"jsonrpc": "1.0", "id": 7, "method": "ping"}, 7, '"jsonrpc" must be "2.0"'),
        ({"id": 7, "method": "ping"}, 7, '"jsonrpc" must be "2.0"'),
        ({"jsonrpc": "2.0", "id": 7}, 7, '"method" is missing'),
        ({"jsonrpc": "2.0", "id": "x", "method": 5}, "x", '"method" must be a non-empty string'),
        ({"jsonrpc": "2.0", "id": 7, "method": ""}, 7, '"method" must be a non-empty string'),
        ({"jsonrpc": "2.0", "id": True, "method": "ping"}, None, '"id" must be'),
        ({"jsonrpc": "2.0", "id": 1.5, "method": "ping"}, None, '"id" must be'),
        ({"jsonrpc": "2.0", "id": None, "method": "ping"}, None, '"id" must be'),
        ({"jsonrpc": "2.0", "id": [1], "method": "ping"}, None, '"id" must be'),
    ],
)
async def test_answers_malformed_messages_with_invalid_request(
    server: McpServer, payload: dict[str, Any], expected_id: object, fragment: str
) -> None:
    reply, body = await send(server, json.dumps(payload).encode())

    assert status_of(reply) == 400
    assert body["id"] == expected_id
    assert body["error"]["code"] == -32600
    assert fragment in body["error"]["message"]


async def test_answers_an_unknown_method_with_method_not_found(server: McpServer) -> None:
    reply, body = await send(server, message("resources/list", id="abc"))

    assert status_of(reply) == 200
    assert body == {
        "jsonrpc": "2.0",
        "id": "abc",
        "error": {"code": -32601, "message": "Method not found: resources/list"},
    }


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ([1, 2], '"params" must be an object'),
        ("tools", '"params" must be an object'),
    ],
)
async def test_answers_params_that_are_not_an_object_with_invalid_params(
    server: McpServer, params: object, fragment: str
) -> None:
    raw = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": params})
    reply, body = await send(server, raw.encode())

    assert status_of(reply) == 200
    assert body["id"] == 3
    assert body["error"] == {"code": -32602, "message": fragment}


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({}, "tools/call needs a string 'name'"),
        ({"name": 42}, "tools/call needs a string 'name'"),
        ({"name": "no_such_tool"}, "Unknown tool: 'no_such_tool'"),
        ({"name": "echo", "arguments": ["hello"]}, "'arguments' must be an object"),
        ({"name": "echo", "arguments": "hello"}, "'arguments' must be an object"),
    ],
)
async def test_answers_unusable_tool_calls_with_invalid_params(
    server: McpServer, params: dict[str, Any], fragment: str
) -> None:
    reply, body = await send(server, message("tools/call", params, id=9))

    assert status_of(reply) == 200
    assert body["error"] == {"code": -32602, "message": fragment}
    assert body["id"] == 9


async def test_answers_ping_with_an_empty_result(server: McpServer) -> None:
    reply, body = await send(server, message("ping", id=0))

    assert (status_of(reply), body) == (200, {"jsonrpc": "2.0", "id": 0, "result": {}})


@pytest.mark.parametrize(
    "raw",
    [
        message("notifications/initialized", id=None),
        message("notifications/cancelled", {"requestId": 1}, id=None),
        message("some/unknown-notification", id=None),
        b'{"jsonrpc": "2.0", "id": 4, "result": {}}',
        b'{"jsonrpc": "2.0", "id": 4, "error": {"code": -1, "message": "no"}}',
    ],
)
async def test_accepts_notifications_and_client_responses_with_202_and_no_body(
    server: McpServer, raw: bytes
) -> None:
    reply, body = await send(server, raw)

    assert status_of(reply) == 202
    assert body is None
    assert reply.message is None


class _BrokenSessionStore:
    async def add(self, session: Session) -> None:
        raise ConnectionError("redis://:s3cret@cache:6379 refused")

    async def get(self, session_id: str) -> Session | None:
        raise ConnectionError("redis://:s3cret@cache:6379 refused")

    async def remove(self, session_id: str) -> bool:
        raise ConnectionError("redis://:s3cret@cache:6379 refused")


async def test_hides_unexpected_failures_behind_internal_error_and_logs_them(
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = McpServer(ToolCatalogue([]), ServerInfo("s", "1"), _BrokenSessionStore())

    with caplog.at_level(logging.ERROR):
        reply, body = await send(server, message("ping", id=21), session_id="abc")

    assert status_of(reply) == 200
    assert body["error"] == {
        "code": -32603,
        "message": "Internal error; the incident was logged (request 21)",
    }
    assert "s3cret" not in str(body)
    [record] = caplog.records
    assert record.fields == {"rpc_id": 21}  # type: ignore[attr-defined]  # a field, not text
    assert record.exc_info is not None
