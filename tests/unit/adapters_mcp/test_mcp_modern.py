"""The 2026-07-28 era: per-request envelopes, routing headers, discovery, results and removals."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from jamf_mcp.adapters.mcp import McpServer, RequestContext
from tests.unit.adapters_mcp.mcp_core_support import READER, body_of, handle, status_of

MODERN = "2026-07-28"
ENVELOPE = {
    "io.modelcontextprotocol/protocolVersion": MODERN,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "pytest", "version": "1"},
}


def _request(method: str, params: dict[str, Any] | None = None, **meta: Any) -> bytes:
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": {**(params or {})}}
    body["params"]["_meta"] = {**ENVELOPE, **meta}
    return json.dumps(body).encode()


async def _send(
    server: McpServer,
    raw: bytes,
    *,
    version: str | None = MODERN,
    method: str | None = None,
    name: str | None = None,
) -> tuple[int, Any]:
    method = method if method is not None else json.loads(raw)["method"]
    context = RequestContext(READER, None, version, method, name)
    reply = await handle(server, raw, context)
    body = await body_of(reply)
    return status_of(reply), json.loads(body) if body else None


async def test_discovery_names_every_supported_version_capabilities_and_cache_hints(
    server: McpServer,
) -> None:
    status, body = await _send(server, _request("server/discover"))

    result = body["result"]
    assert status == 200
    assert result["supportedVersions"][-1] == MODERN
    assert "2025-11-25" in result["supportedVersions"]
    assert "tools" in result["capabilities"]
    assert result["resultType"] == "complete"
    assert (result["ttlMs"], result["cacheScope"]) == (300_000, "public")
    assert result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "jamf-mcp"


async def test_tools_list_carries_result_type_and_cache_hints(server: McpServer) -> None:
    _, body = await _send(server, _request("tools/list"))

    result = body["result"]
    assert result["resultType"] == "complete"
    assert result["cacheScope"] == "private"
    assert result["ttlMs"] >= 0
    assert [tool["name"] for tool in result["tools"]][:1] == ["echo"]


async def test_a_tool_call_completes_with_result_type_and_no_session(server: McpServer) -> None:
    raw = _request("tools/call", {"name": "echo", "arguments": {"text": "hi"}})
    status, body = await _send(server, raw, name="echo")

    assert status == 200
    assert body["result"]["resultType"] == "complete"
    assert body["result"]["structuredContent"] == {"echo": "hi"}


@pytest.mark.parametrize(
    ("version", "method", "name", "why"),
    [
        ("2025-11-25", None, "echo", "MCP-Protocol-Version"),
        (MODERN, "tools/list", "echo", "Mcp-Method"),
        (MODERN, None, "wipe", "Mcp-Name"),
        (MODERN, None, None, "Mcp-Name"),
    ],
)
async def test_a_header_that_disagrees_with_the_body_is_refused_with_header_mismatch(
    server: McpServer, version: str, method: str | None, name: str | None, why: str
) -> None:
    raw = _request("tools/call", {"name": "echo", "arguments": {"text": "hi"}})
    context = RequestContext(READER, None, version, method or "tools/call", name)

    reply = await handle(server, raw, context)
    body = json.loads(await body_of(reply) or b"")

    assert status_of(reply) == 400
    assert body["error"]["code"] == -32020
    assert why in body["error"]["message"]


async def test_a_non_ascii_name_header_is_accepted_in_its_base64_form(server: McpServer) -> None:
    encoded = "=?base64?" + base64.b64encode(b"echo").decode() + "?="
    raw = _request("tools/call", {"name": "echo", "arguments": {"text": "hi"}})

    status, _ = await _send(server, raw, name=encoded)

    assert status == 200


async def test_an_unsupported_version_lists_the_supported_ones(server: McpServer) -> None:
    raw = _request("tools/list").replace(MODERN.encode(), b"2099-01-01")

    status, body = await _send(server, raw, version="2099-01-01")

    assert status == 400
    assert body["error"]["code"] == -32022
    assert body["error"]["data"]["requested"] == "2099-01-01"
    assert MODERN in body["error"]["data"]["supported"]


@pytest.mark.parametrize("method", ["ping", "logging/setLevel", "no/such/method"])
async def test_removed_and_unknown_methods_answer_404_with_method_not_found(
    server: McpServer, method: str
) -> None:
    status, body = await _send(server, _request(method))

    assert status == 404
    assert body["error"]["code"] == -32601


async def test_a_request_without_its_envelope_is_refused(server: McpServer) -> None:
    raw = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}).encode()

    status, body = await _send(server, raw)

    assert status == 400
    assert body["error"]["code"] == -32602


async def test_modern_requests_never_create_or_need_a_session(
    server: McpServer, sessions: Any
) -> None:
    await _send(server, _request("tools/list"))

    assert len(sessions) == 0
