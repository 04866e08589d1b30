"""The Jamf read tools through the MCP protocol core, backed by in-memory ports."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jamf_mcp.adapters.mcp import (
    InMemorySessionStore,
    McpServer,
    RequestContext,
    ServerInfo,
    ToolCatalogue,
)
from jamf_mcp.adapters.mcp_jamf import jamf_tools_schemas as schemas
from jamf_mcp.adapters.mcp_jamf.jamf_tools import ReadTools
from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory, InMemoryPolicyCatalogue
from jamf_mcp.application.use_cases import (
    CheckDeviceCompliance,
    GetDeviceDetails,
    GetFleetSummary,
    GetPolicyDetails,
    ListPolicies,
    SearchDevices,
)
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.policies import Policy
from jamf_mcp.domain.principal import Principal, Scope, local_operator
from tests.builders import NOW, computer
from tests.unit.adapters_mcp.mcp_core_support import body_of, handle


@pytest.fixture
def server() -> McpServer:
    fleet = [computer(i, days_ago=(i % 10) + 0.5) for i in range(1, 121)]
    fleet[0] = computer(1, name="Marketing-MBP", days_ago=95, department="Marketing")
    fleet[1] = computer(2, days_ago=40)
    fleet.append(computer(500, name="Sales-iPad-01", department="Sales", kind=DeviceKind.MOBILE))
    return _server(fleet)


def _server(fleet: list[Device]) -> McpServer:
    inventory = InMemoryDeviceInventory(fleet)
    policies = InMemoryPolicyCatalogue.of(
        [
            Policy(i, f"Policy {i:02d}", i % 3 != 0, "Apps", "Ongoing", ("check-in",))
            for i in range(1, 31)
        ]
    )
    clock = FixedClock(NOW)
    tools = ReadTools(
        SearchDevices(inventory),
        GetDeviceDetails(inventory),
        CheckDeviceCompliance(inventory, clock),
        ListPolicies(policies),
        GetPolicyDetails(policies),
        GetFleetSummary(inventory, clock),
        clock,
    )
    return McpServer(
        ToolCatalogue(tools.definitions()),
        ServerInfo("jamf-mcp", "test", None, None),
        InMemorySessionStore(),
    )


async def call(
    server: McpServer, name: str, arguments: Any, principal: Principal | None = None
) -> dict[str, Any]:
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 7,
            "method": "tools/call",
            "params": {"name": name, "arguments": arguments},
        }
    ).encode()
    reply = await handle(
        server, body, RequestContext(principal or local_operator(), protocol_version="2025-06-18")
    )
    raw = await body_of(reply)
    assert raw is not None
    message: dict[str, Any] = json.loads(raw)
    return message["result"]


async def test_tools_list_announces_six_read_only_tools_with_schemas(server: McpServer) -> None:
    body = b'{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
    reply = await handle(
        server, body, RequestContext(local_operator(), protocol_version="2025-06-18")
    )
    raw = await body_of(reply)
    assert raw is not None
    tools = json.loads(raw)["result"]["tools"]
    assert [t["name"] for t in tools] == [
        "searchDevices",
        "getDeviceDetails",
        "checkDeviceCompliance",
        "listPolicies",
        "getPolicyDetails",
        "getFleetSummary",
    ]
    for tool in tools:
        assert tool["annotations"] | {"title": None} == {
            "title": None,
            "readOnlyHint": True,
            "destructiveHint": False,
            "idempotentHint": True,
            "openWorldHint": False,
        }
        assert tool["inputSchema"]["type"] == "object"
        assert tool["outputSchema"]["type"] == "object"


async def test_compliance_result_has_the_seed_shape_in_structured_content_and_text(
    server: McpServer,
) -> None:
    result = await call(server, "checkDeviceCompliance", {"daysSinceLastCheckin": 30})
    summary = result["structuredContent"]["summary"]
    assert (summary["total"], summary["noncompliant"], summary["critical"], summary["warning"]) == (
        120,
        2,
        1,
        1,
    )
    first = result["structuredContent"]["devices"][0]
    assert first["findings"][0]["rule"] == "check_in"
    assert (first["name"], first["daysSinceCheckIn"], first["severity"], first["department"]) == (
        "Marketing-MBP",
        95,
        "critical",
        "Marketing",
    )
    assert json.loads(result["content"][-1]["text"]) == result["structuredContent"]
    assert result["content"][0]["text"].startswith("120 computers checked: 2 non-compliant")


async def test_search_pages_with_a_cursor_and_says_there_is_more(server: McpServer) -> None:
    first = await call(server, "searchDevices", {"deviceType": "computer", "limit": 100})
    data = first["structuredContent"]
    assert (data["total"], data["returned"]) == (120, 100)
    assert "Showing 100 of 120" in data["note"]
    rest = await call(
        server,
        "searchDevices",
        {"deviceType": "computer", "limit": 100, "cursor": data["nextCursor"]},
    )
    assert rest["structuredContent"]["returned"] == 20
    assert rest["structuredContent"]["nextCursor"] is None


async def test_a_cursor_from_another_search_is_refused(server: McpServer) -> None:
    first = await call(server, "searchDevices", {"deviceType": "computer", "limit": 10})
    misuse = await call(
        server,
        "searchDevices",
        {"deviceType": "mobile", "limit": 10, "cursor": first["structuredContent"]["nextCursor"]},
    )
    assert misuse["isError"] is True
    assert "different arguments" in misuse["content"][0]["text"]
    garbage = await call(server, "searchDevices", {"cursor": "%%%not-a-cursor"})
    assert garbage["isError"] is True


async def test_a_wrong_argument_type_is_a_tool_error_naming_the_argument(server: McpServer) -> None:
    result = await call(server, "checkDeviceCompliance", {"daysSinceLastCheckin": "thirty"})
    assert result["isError"] is True
    assert "daysSinceLastCheckin" in result["content"][0]["text"]


async def test_unknown_arguments_are_refused_rather_than_ignored(server: McpServer) -> None:
    result = await call(server, "searchDevices", {"searchTerm": "x", "confirm": True})
    assert result["isError"] is True
    assert "confirm" in result["content"][0]["text"]


async def test_device_details_not_found_is_a_tool_error_with_advice(server: McpServer) -> None:
    result = await call(
        server, "getDeviceDetails", {"deviceIdentifier": "'); DROP TABLE computers;--"}
    )
    assert result["isError"] is True
    assert "searchDevices" in result["content"][0]["text"]


async def test_device_details_show_security_and_both_clocks(server: McpServer) -> None:
    result = await call(server, "getDeviceDetails", {"deviceIdentifier": "MAC-001"})
    data = result["structuredContent"]
    assert data["name"] == "Marketing-MBP"
    assert data["security"]["fileVault"] == "encrypted"
    assert data["daysSinceCheckIn"] == 95
    assert "lastInventoryUpdate" in data


async def test_list_policies_pages_and_filters(server: McpServer) -> None:
    first = await call(server, "listPolicies", {"limit": 25})
    assert (first["structuredContent"]["total"], first["structuredContent"]["returned"]) == (30, 25)
    enabled = await call(server, "listPolicies", {"enabledOnly": True, "limit": 100})
    assert all(p["enabled"] for p in enabled["structuredContent"]["policies"])
    assert enabled["structuredContent"]["returned"] == 20


async def test_policy_details_need_an_id_or_a_name(server: McpServer) -> None:
    result = await call(server, "getPolicyDetails", {})
    assert result["isError"] is True
    named = await call(server, "getPolicyDetails", {"policyName": "policy 07"})
    assert named["structuredContent"]["id"] == 7


async def test_fleet_summary_counts_every_computer(server: McpServer) -> None:
    result = await call(server, "getFleetSummary", {})
    assert result["structuredContent"]["total"] == 120


async def test_a_caller_without_read_scope_is_refused_by_name(server: McpServer) -> None:
    outsider = Principal("https://idp", "x", frozenset({Scope.WRITE.value}))
    result = await call(server, "searchDevices", {"searchTerm": "a"}, outsider)
    assert result["isError"] is True
    assert "read:jamf" in result["content"][0]["text"]


async def test_search_without_arguments_pages_by_the_schemas_default_of_50(
    server: McpServer,
) -> None:
    data = (await call(server, "searchDevices", {}))["structuredContent"]
    assert (data["total"], data["returned"]) == (121, 50)  # deviceType "any": Macs and the iPad
    assert "Showing 50 of 121" in data["note"]


async def test_compliance_without_arguments_warns_after_30_days_and_is_critical_from_90() -> None:
    ages = {"Recent": 29.5, "Thirty-One": 30.5, "Eighty-Nine": 89.5, "Ninety-One": 90.5}
    server = _server([computer(i, name=n, days_ago=d) for i, (n, d) in enumerate(ages.items(), 1)])
    data = (await call(server, "checkDeviceCompliance", {}))["structuredContent"]
    summary = data["summary"]
    assert (summary["noncompliant"], summary["critical"], summary["warning"]) == (3, 1, 2)
    assert summary["rules"] == ["check_in"]
    assert {d["name"]: d["severity"] for d in data["devices"]} == {
        "Ninety-One": "critical",
        "Eighty-Nine": "warning",
        "Thirty-One": "warning",
    }


async def test_compliance_without_arguments_shows_the_schemas_default_page_of_100() -> None:
    server = _server([computer(i, days_ago=31 + i % 7) for i in range(1, 131)])
    data = (await call(server, "checkDeviceCompliance", {}))["structuredContent"]
    assert (data["summary"]["noncompliant"], data["returned"]) == (130, 100)
    assert "Showing 100 of 130" in data["note"]


@pytest.mark.parametrize(
    ("name", "schema", "required"),
    [
        ("searchDevices", schemas.SEARCH_INPUT, {}),
        ("getDeviceDetails", schemas.DEVICE_INPUT, {"deviceIdentifier": "MAC-001"}),
        ("checkDeviceCompliance", schemas.COMPLIANCE_INPUT, {}),
        ("listPolicies", schemas.LIST_POLICIES_INPUT, {}),
        ("getFleetSummary", schemas.FLEET_INPUT, {}),
    ],
)
async def test_a_tool_called_without_optional_arguments_answers_as_with_its_schema_defaults(
    server: McpServer, name: str, schema: dict[str, Any], required: dict[str, Any]
) -> None:
    defaults = {
        key: sub["default"] for key, sub in schema["properties"].items() if "default" in sub
    }
    assert defaults, "every read tool with optional arguments declares their defaults"
    bare = await call(server, name, required)
    spelled_out = await call(server, name, defaults | required)
    assert bare.get("isError") is not True
    assert bare == spelled_out


async def test_a_device_found_nowhere_names_the_tool_that_finds_one_but_the_domain_does_not(
    server: McpServer,
) -> None:
    """The advice to search comes from the catalogue: the domain error names no MCP tool."""
    from jamf_mcp.domain.errors import DeviceNotFound

    assert "searchDevices" not in DeviceNotFound("MAC-999").message
    result = await call(server, "getDeviceDetails", {"deviceIdentifier": "MAC-999"})
    text = result["content"][0]["text"]
    assert text.startswith(DeviceNotFound("MAC-999").message)
    assert text.endswith(
        "Or find it with searchDevices (by name, serial number, asset tag or assigned user)."
    )
