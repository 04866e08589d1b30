"""Inputs a fuzzer found breaking the server now get clean answers.

- Whole-number floats: JSON Schema counts `25.0` as an integer, so `listPolicies {"limit": 25.0}`
  and `checkDeviceCompliance {"limit": 100.0}` crashed on a float slice index and
  `searchDevices {"limit": 50.0}` sent `page=0.0` to Jamf. Every integer field of every tool now
  behaves exactly as the whole number does, and `45.0` confirms the same action as `45`.
- Deeply nested JSON (`RecursionError`, a 500) on `/mcp`, `/auth/register`, in a token's header
  and in a paging cursor: a clear 400 / -32700 / 401 / tool error instead.
- A control character in a Client ID Metadata Document URL (`httpx.InvalidURL`, a 500): 400.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamf_mcp.adapters.mcp import McpServer, RequestContext, ServerInfo
from jamf_mcp.adapters.mcp.catalogue import ToolCatalogue
from jamf_mcp.adapters.mcp.jsonrpc import MAX_DEPTH
from jamf_mcp.adapters.mcp.sessions import InMemorySessionStore
from jamf_mcp.adapters.mcp_jamf.chatgpt_tools import ChatGptTools
from jamf_mcp.adapters.mcp_jamf.jamf_action_tools import ActionTools
from jamf_mcp.adapters.mcp_jamf.jamf_tools import ReadTools
from jamf_mcp.application.use_cases import (
    CheckDeviceCompliance,
    GetActionStatus,
    GetCommandStatus,
    GetDeviceDetails,
    GetFleetSummary,
    GetPolicyDetails,
    ListPolicies,
    SearchDevices,
)
from jamf_mcp.domain.principal import Principal
from tests.e2e.inprocess import serving
from tests.unit.adapters_mcp.jamf_methods_support import JAMF_URL, fakes
from tests.unit.adapters_mcp.mcp_core_support import body_of, handle
from tests.unit.application.action_support import Actions

ADMIN = Principal("https://idp.example", "alice", {"read:jamf", "write:jamf"})
VOLATILE = {"confirmationToken", "expiresAt"}


def full_server() -> McpServer:
    """Every tool this product offers, over in-memory ports (fresh state each time)."""
    ports = fakes()
    inventory, policies, clock = ports.inventory, ports.policies, ports.clock
    search, details = SearchDevices(inventory), GetDeviceDetails(inventory)
    list_policies, policy = ListPolicies(policies), GetPolicyDetails(policies)
    compliance = CheckDeviceCompliance(inventory, clock)
    read = ReadTools(search, details, compliance, list_policies, policy, GetFleetSummary(inventory, clock), clock)  # fmt: skip
    chatgpt = ChatGptTools(search, details, list_policies, policy, clock, JAMF_URL)
    actions = Actions(inventory, policies, clock)
    act = ActionTools(
        actions.execute_policy,
        actions.update_inventory,
        actions.send_mdm_command,
        GetCommandStatus(actions.commands),
        GetActionStatus(actions.tracker, actions.history, actions.clock),
        tokens_allowed=True,  # the two-step token is what these cases compare (ADR 0034 opt-in)
    )
    tools = [*read.definitions(), *act.definitions(), *chatgpt.definitions()]
    return McpServer(ToolCatalogue(tools), ServerInfo("jamf-mcp", "test"), InMemorySessionStore())


def integer_fields() -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(tool, property, its schema) for every integer-typed property of every tool's input."""
    for tool in full_server()._catalogue:
        for name, schema in tool.input_schema.get("properties", {}).items():
            types = schema.get("type")
            if types == "integer" or (isinstance(types, list) and "integer" in types):
                yield tool.name, name, schema


def required_arguments(tool: str) -> dict[str, Any]:
    """Values for a tool's required arguments (a valid shape; semantics may still refuse)."""
    schema = full_server()._catalogue.get(tool).input_schema  # type: ignore[union-attr]
    arguments: dict[str, Any] = {}
    for name in schema.get("required", ()):
        field = schema["properties"][name]
        arguments[name] = field["enum"][0] if "enum" in field else "MAC-123"
    return arguments


async def call(server: McpServer, tool: str, arguments: Mapping[str, Any]) -> dict[str, Any]:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call"}
    body["params"] = {"name": tool, "arguments": dict(arguments)}  # type: ignore[assignment]
    context = RequestContext(ADMIN, protocol_version="2025-11-25")
    raw = await body_of(await handle(server, json.dumps(body).encode(), context))
    assert raw is not None
    result: dict[str, Any] = json.loads(raw)["result"]
    return result


def comparable(result: Mapping[str, Any]) -> Any:
    structured = result.get("structuredContent")
    if isinstance(structured, dict):
        structured = {k: v for k, v in structured.items() if k not in VOLATILE}
    return result["isError"], structured


FIELDS = sorted(integer_fields(), key=lambda item: item[:2])


def test_every_tool_with_an_integer_field_is_covered() -> None:
    assert {(tool, name) for tool, name, _ in FIELDS} >= {
        ("listPolicies", "limit"),
        ("checkDeviceCompliance", "limit"),
        ("searchDevices", "limit"),
        ("executePolicy", "policyId"),
    }


@pytest.mark.parametrize(
    ("tool", "field", "schema"), FIELDS, ids=[f"{t}.{f}" for t, f, _ in FIELDS]
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_whole_number_float_behaves_exactly_as_the_integer(
    tool: str, field: str, schema: Mapping[str, Any], data: st.DataObject
) -> None:
    low = schema.get("minimum", -(10**6))
    high = schema.get("maximum", 10**6)
    number = data.draw(st.integers(low, high), label=field)
    arguments = required_arguments(tool)

    async def both() -> tuple[dict[str, Any], dict[str, Any]]:
        as_int = await call(full_server(), tool, {**arguments, field: number})
        as_float = await call(full_server(), tool, {**arguments, field: float(number)})
        return as_int, as_float

    as_int, as_float = asyncio.run(both())
    text = json.dumps(as_float)
    assert "Internal error" not in text
    assert comparable(as_float) == comparable(as_int)


def test_45_point_0_and_45_confirm_the_same_action() -> None:
    async def scenario() -> dict[str, Any]:
        server = full_server()
        run = {"deviceIdentifier": "MAC-123"}
        asked = await call(server, "executePolicy", {**run, "policyId": 45.0})
        token = asked["structuredContent"]["confirmationToken"]
        return await call(
            server, "executePolicy", {**run, "policyId": 45, "confirmationToken": token}
        )

    done = asyncio.run(scenario())
    assert done["isError"] is False, done
    assert done["structuredContent"]["status"] == "queued"


# --- nested JSON and odd URLs, over real HTTP ---------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def jsonrpc_with(value: str) -> bytes:
    return (
        '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"searchDevices",'
        f'"arguments":{{"searchTerm":{value}}}}}}}'
    ).encode()


@pytest.mark.parametrize("depth", [MAX_DEPTH, 900, 5_000, 200_000])
async def test_deeply_nested_json_on_mcp_is_a_parse_error_not_a_crash(
    tmp_path: Path, depth: int
) -> None:
    async with serving(tmp_path / "data") as server:
        headers = {
            "Authorization": f"Bearer {server.token('alice')}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        async with httpx.AsyncClient(timeout=30) as http:
            answer = await http.post(
                server.mcp_url, content=jsonrpc_with(nested(depth)), headers=headers
            )
            still = await http.post(
                server.mcp_url, json={"jsonrpc": "2.0", "id": 2, "method": "ping"}, headers=headers
            )
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == -32700
    assert "nests deeper" in answer.json()["error"]["message"]
    assert still.status_code == 200


async def test_deeply_nested_json_elsewhere_gets_a_clear_refusal(tmp_path: Path) -> None:
    async with serving(tmp_path / "data") as server:
        base = server.settings.public_url
        deep = nested(15_000)  # under the 32 KiB registration limit
        header = base64.urlsafe_b64encode(f'{{"alg":"RS256","x":{nested(3000)}}}'.encode())
        token = header.decode().rstrip("=") + ".e30.c2ln"
        cursor = base64.urlsafe_b64encode(nested(400).encode()).decode()
        async with httpx.AsyncClient(timeout=30) as http:
            register = await http.post(
                f"{base}/auth/register", content=deep, headers={"Content-Type": "application/json"}
            )
            bearer = await http.post(
                server.mcp_url,
                json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            )
        async with server.http() as signed_in:
            paged = await signed_in.post(
                server.mcp_url,
                json={
                    "jsonrpc": "2.0",
                    "id": 3,
                    "method": "tools/call",
                    "params": {"name": "listPolicies", "arguments": {"cursor": cursor[:500]}},
                },
                headers={"Accept": "application/json", "Content-Type": "application/json"},
            )
    assert register.status_code == 400
    assert register.json()["error"] == "invalid_client_metadata"
    assert bearer.status_code == 401
    result = paged.json()["result"]
    assert result["isError"] is True
    assert "cursor is not valid" in result["content"][0]["text"]


@pytest.mark.parametrize("control", ["\n", "\r", "\t", "\x00", "\x7f", " "])
async def test_a_control_character_in_a_metadata_document_url_is_a_400(
    tmp_path: Path, control: str
) -> None:
    async with serving(tmp_path / "data") as server:
        client_id = f"https://client.example/meta{control}data.json"
        url = (
            f"{server.settings.public_url}/auth/authorize?response_type=code"
            f"&client_id={quote(client_id, safe='')}&redirect_uri=https%3A%2F%2Fclient.example%2Fcb"
            "&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqr&code_challenge_method=S256"
        )
        async with httpx.AsyncClient(timeout=30) as http:
            answer = await http.get(url)
    assert answer.status_code == 400
    assert "not a valid URL" in answer.text


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("listPolicies", {"limit": 25.0}),
        ("checkDeviceCompliance", {"limit": 100.0}),
        ("searchDevices", {"searchTerm": "MAC", "limit": 50.0}),
    ],
)
async def test_the_reported_float_calls_work_against_the_simulated_jamf(
    tmp_path: Path, tool: str, arguments: dict[str, Any]
) -> None:
    async with serving(tmp_path / "data") as server, server.http() as http:
        answer = await http.post(
            server.mcp_url,
            json={
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": tool, "arguments": arguments},
            },
            headers={"Accept": "application/json", "Content-Type": "application/json"},
        )
    result = answer.json()["result"]
    assert result["isError"] is False, result["content"]
