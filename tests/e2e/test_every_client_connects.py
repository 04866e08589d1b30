"""Every kind of client connects: the official SDK in legacy, auto and 2026-07-28 modes, over legacy
HTTP+SSE, and a client that never echoes `Mcp-Session-Id` — all signed in, on the demo tenant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import mcp.types as types
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from tests.e2e.inprocess import InProcessServer, serving
from tests.support.approval import decide_in_browser

pytestmark = pytest.mark.e2e

COMPLIANCE = {"daysSinceLastCheckin": 30}
# Ongoing: due on every computer (a daily policy may already have run today on MAC-123)
RUN_MAC_123 = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}


async def _accept(context: Any, params: Any) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"confirm": True})


async def _use(client: Client) -> dict[str, Any]:
    """List tools, check compliance and run a confirmed policy; what the server answered."""
    tools = await client.list_tools()
    compliance = await client.call_tool("checkDeviceCompliance", COMPLIANCE)
    run = await client.call_tool("executePolicy", RUN_MAC_123)
    assert compliance.structured_content is not None or compliance.content
    summary = (compliance.structured_content or {}).get("summary", {})
    return {
        "tools": {tool.name for tool in tools.tools},
        "noncompliant": summary.get("noncompliant"),
        "run": run.structured_content or {},
    }


@pytest.fixture
async def server(tmp_path: Path) -> Any:
    async with serving(tmp_path / "data") as running:
        yield running


@pytest.mark.parametrize(
    ("mode", "channel"),
    [("legacy", "elicitation"), ("auto", "input_required"), ("2026-07-28", "input_required")],
)
async def test_the_official_client_works_in_every_mode(
    server: InProcessServer, mode: str, channel: str
) -> None:
    transport = streamable_http_client(server.mcp_url, http_client=server.http("alice"))
    async with Client(transport, mode=mode, elicitation_callback=_accept) as client:  # type: ignore[arg-type]
        used = await _use(client)

    assert {"checkDeviceCompliance", "executePolicy", "search", "fetch"} <= used["tools"]
    assert used["noncompliant"] == 23
    assert (used["run"]["status"], used["run"]["confirmedVia"]) == ("queued", channel)


async def test_the_official_client_works_over_legacy_http_sse(server: InProcessServer) -> None:
    headers = {"Authorization": f"Bearer {server.token('alice')}"}
    url = f"{server.settings.public_url}/sse"
    async with Client(
        sse_client(url, headers=headers), mode="legacy", elicitation_callback=_accept
    ) as client:
        used = await _use(client)

    assert "executePolicy" in used["tools"]
    assert used["run"]["status"] == "queued"


async def test_legacy_sse_refuses_a_missing_or_forged_token(server: InProcessServer) -> None:
    async with httpx.AsyncClient(base_url=server.settings.public_url) as http:
        missing = await http.get("/sse", headers={"accept": "text/event-stream"})
        forged = await http.get(
            "/sse", headers={"accept": "text/event-stream", "authorization": "Bearer x.y.z"}
        )

    assert (missing.status_code, forged.status_code) == (401, 401)
    assert "resource_metadata" in missing.headers["www-authenticate"]


async def test_a_client_that_never_echoes_the_session_id_still_works(
    server: InProcessServer,
) -> None:
    headers = {
        "Authorization": f"Bearer {server.token('alice')}",
        "Accept": "application/json, text/event-stream",
        "Content-Type": "application/json",
        "MCP-Protocol-Version": "2025-06-18",
    }

    def rpc(id: int, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}

    async with httpx.AsyncClient(
        base_url=server.settings.public_url, headers=headers, timeout=30
    ) as http:
        init = await http.post(
            "/mcp", json=rpc(1, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}})
        )
        assert init.headers.get("mcp-session-id")
        listed = await http.post("/mcp", json=rpc(2, "tools/list"))
        call = await http.post(
            "/mcp",
            json=rpc(3, "tools/call", {"name": "checkDeviceCompliance", "arguments": COMPLIANCE}),
        )
        first = await http.post(
            "/mcp", json=rpc(4, "tools/call", {"name": "executePolicy", "arguments": RUN_MAC_123})
        )
        link = first.json()["result"]["structuredContent"]["approvalUrl"]
        assert await decide_in_browser(link, "alice") == "Approved"
        second = await http.post(
            "/mcp",
            json=rpc(5, "tools/call", {"name": "executePolicy", "arguments": RUN_MAC_123}),
        )

    assert len(listed.json()["result"]["tools"]) >= 10
    assert call.json()["result"]["structuredContent"]["summary"]["noncompliant"] == 23
    assert first.json()["result"]["structuredContent"]["status"] == "approval_required"
    assert second.json()["result"]["structuredContent"]["status"] == "queued"
