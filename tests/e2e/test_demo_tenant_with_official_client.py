"""`jamf-mcp serve` on the embedded demo tenant, driven by the official MCP Python SDK client."""

from __future__ import annotations

import httpx
import pytest
from mcp import Client

from tests.e2e.conftest import RunningServer

pytestmark = pytest.mark.e2e


READ_TOOLS = [
    "searchDevices",
    "getDeviceDetails",
    "checkDeviceCompliance",
    "listPolicies",
    "getPolicyDetails",
    "getFleetSummary",
    "getCommandStatus",
    "getActionStatus",
    "search",
    "fetch",
]
ACTION_TOOLS = ["executePolicy", "updateInventory", "sendMdmCommand"]


async def test_client_lists_read_tools_and_action_tools_with_honest_annotations(
    demo_server: RunningServer,
) -> None:
    async with Client(demo_server.mcp_url, mode="legacy") as client:
        listed = await client.list_tools()
    by_name = {tool.name: tool for tool in listed.tools}
    assert sorted(by_name) == sorted(READ_TOOLS + ACTION_TOOLS)
    for name in READ_TOOLS:
        hints = by_name[name].annotations
        assert hints is not None and hints.read_only_hint and not hints.destructive_hint
    for name in ACTION_TOOLS:
        hints = by_name[name].annotations
        assert hints is not None
        assert (hints.read_only_hint, hints.idempotent_hint, hints.open_world_hint) == (
            False,
            False,
            False,
        )
        assert "confirm" not in by_name[name].input_schema["properties"]
    destructive = {n for n in ACTION_TOOLS if by_name[n].annotations.destructive_hint}  # type: ignore[union-attr]
    assert destructive == {"executePolicy", "sendMdmCommand"}


async def test_compliance_at_30_days_reports_the_seed_numbers(demo_server: RunningServer) -> None:
    async with Client(demo_server.mcp_url, mode="legacy") as client:
        result = await client.call_tool("checkDeviceCompliance", {"daysSinceLastCheckin": 30})
    assert result.is_error is False
    data = result.structured_content
    assert data is not None
    summary = data["summary"]
    assert (summary["total"], summary["noncompliant"], summary["critical"], summary["warning"]) == (
        500,
        23,
        5,
        18,
    )
    by_name = {device["name"]: device for device in data["devices"]}
    assert by_name["Marketing-MBP"]["daysSinceCheckIn"] == 95
    assert by_name["Marketing-MBP"]["severity"] == "critical"
    assert by_name["Sales-Mac-02"]["daysSinceCheckIn"] == 92
    assert all(device["daysSinceCheckIn"] > 30 for device in data["devices"])
    assert all(device["serialNumber"] and device["user"] for device in data["devices"])
    assert [d["severity"] for d in data["devices"]].count("warning") == 18


async def test_john_smiths_macbook_is_found_and_shown_in_full(demo_server: RunningServer) -> None:
    async with Client(demo_server.mcp_url, mode="legacy") as client:
        found = await client.call_tool("searchDevices", {"searchTerm": "John Smith"})
        assert found.structured_content is not None
        macs = [d for d in found.structured_content["devices"] if d["deviceType"] == "computer"]
        assert len(macs) == 1
        assert "MacBook" in (macs[0]["model"] or "")
        assert macs[0]["user"] == "John Smith"
        details = await client.call_tool(
            "getDeviceDetails", {"deviceIdentifier": macs[0]["serialNumber"]}
        )
    assert details.structured_content is not None
    assert details.structured_content["user"]["email"] == "john.smith@example.com"
    assert details.structured_content["security"]["fileVault"] != "unknown"


async def test_mac_123_and_the_software_update_policy_resolve_by_name(
    demo_server: RunningServer,
) -> None:
    async with Client(demo_server.mcp_url, mode="legacy") as client:
        mac = await client.call_tool("getDeviceDetails", {"deviceIdentifier": "MAC-123"})
        policy = await client.call_tool("getPolicyDetails", {"policyName": "Software Update"})
        policies = await client.call_tool("listPolicies", {"nameContains": "inventory"})
    assert mac.structured_content is not None
    assert mac.structured_content["id"] == "123"
    assert policy.structured_content is not None
    assert policy.structured_content["name"] == "Software Update"
    assert policies.structured_content is not None
    assert "Update Inventory" in [p["name"] for p in policies.structured_content["policies"]]


async def test_fleet_summary_counts_all_500_computers(demo_server: RunningServer) -> None:
    async with Client(demo_server.mcp_url, mode="legacy") as client:
        result = await client.call_tool("getFleetSummary", {})
    assert result.structured_content is not None
    assert result.structured_content["total"] == 500
    assert sum(row["count"] for row in result.structured_content["byCheckIn"]) == 500


async def test_bad_input_gets_clear_errors_and_the_server_keeps_serving(
    demo_server: RunningServer,
) -> None:
    headers = {
        "Accept": "application/json, text/event-stream",
        "Content-Type": "application/json",
        "MCP-Protocol-Version": "2025-06-18",
    }
    async with httpx.AsyncClient(
        base_url=demo_server.base_url, headers=headers, timeout=30
    ) as http:
        malformed = await http.post("/mcp", content=b'{"jsonrpc": "2.0", "id": 1, "method": ')
        assert malformed.status_code == 400
        assert malformed.json()["error"]["code"] == -32700
        unknown = await http.post(
            "/mcp", json={"jsonrpc": "2.0", "id": 2, "method": "tools/explode"}
        )
        assert unknown.json()["error"]["code"] == -32601
        huge = await http.post("/mcp", content=b"{" + b" " * 2_000_000 + b"}")
        assert huge.status_code == 413
        hostile = await http.post(
            "/mcp",
            json={
                "jsonrpc": "2.0",
                "id": 3,
                "method": "tools/call",
                "params": {
                    "name": "searchDevices",
                    "arguments": {"searchTerm": '" or general.name=="*'},
                },
            },
        )
        assert hostile.json()["result"]["structuredContent"]["total"] == 0
        wrong_type = await http.post(
            "/mcp",
            json={
                "jsonrpc": "2.0",
                "id": 4,
                "method": "tools/call",
                "params": {"name": "searchDevices", "arguments": {"limit": "all"}},
            },
        )
        assert wrong_type.json()["result"]["isError"] is True
        assert "limit" in wrong_type.json()["result"]["content"][0]["text"]
        still_alive = await http.post("/mcp", json={"jsonrpc": "2.0", "id": 5, "method": "ping"})
        assert still_alive.json() == {"jsonrpc": "2.0", "id": 5, "result": {}}


async def test_the_banner_says_the_embedded_simulator_is_in_use(demo_server: RunningServer) -> None:
    assert "embedded Jamf Pro simulator" in demo_server.output()


def test_the_server_log_never_contains_credentials(demo_server: RunningServer) -> None:
    from jamf_mcp.simulator import DEMO_CLIENT_SECRET

    log = demo_server.output()
    assert DEMO_CLIENT_SECRET not in log
    assert "Bearer " not in log
    assert "access_token" not in log
