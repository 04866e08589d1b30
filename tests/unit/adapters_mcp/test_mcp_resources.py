"""The jamf:// resources through the MCP core: listing, paging, reading, not-found and refusals."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import types

from jamf_mcp.adapters.mcp import McpServer
from jamf_mcp.domain.audit import OutcomeStatus
from tests.unit.adapters_mcp.jamf_methods_support import (
    STRANGER,
    Fakes,
    build_server,
    content_json,
    fakes,
    jamf_resources,
    record_action,
    request,
    rpc,
    scope_of,
)


@pytest.fixture
def ports() -> Fakes:
    return fakes()


@pytest.fixture
def server(ports: Fakes) -> McpServer:
    return build_server(ports)


async def read(server: McpServer, uri: str, version: str = "2025-11-25") -> dict[str, Any]:
    return await rpc(server, "resources/read", {"uri": uri}, version=version)


async def test_the_server_announces_resources_prompts_and_completions(server: McpServer) -> None:
    capabilities = server.capabilities()
    assert capabilities["resources"] == {}
    assert capabilities["prompts"] == {}
    assert capabilities["completions"] == {}


async def test_lists_the_three_reports_with_names_titles_and_mime_types(server: McpServer) -> None:
    body = await rpc(server, "resources/list")

    result = types.ListResourcesResult.model_validate(body["result"])
    assert [str(r.uri) for r in result.resources] == [
        "jamf://reports/compliance",
        "jamf://reports/fleet-summary",
        "jamf://audit/recent",
    ]
    assert all(
        r.title and r.description and r.mime_type == "application/json" for r in result.resources
    )
    assert result.next_cursor is None


async def test_titles_are_left_out_for_clients_older_than_2025_06_18(server: McpServer) -> None:
    body = await rpc(server, "resources/list", version="2025-03-26")

    assert all("title" not in r for r in body["result"]["resources"])


async def test_lists_the_device_and_policy_templates(server: McpServer) -> None:
    body = await rpc(server, "resources/templates/list")

    result = types.ListResourceTemplatesResult.model_validate(body["result"])
    assert [t.uri_template for t in result.resource_templates] == [
        "jamf://computers/{id}",
        "jamf://mobile-devices/{id}",
        "jamf://policies/{id}",
    ]


async def test_pages_the_list_with_opaque_cursors(ports: Fakes) -> None:
    server = build_server(ports, page_size=2)

    first = (await rpc(server, "resources/list"))["result"]
    second = (await rpc(server, "resources/list", {"cursor": first["nextCursor"]}))["result"]

    assert len(first["resources"]) == 2
    assert [r["uri"] for r in second["resources"]] == ["jamf://audit/recent"]
    assert "nextCursor" not in second


@pytest.mark.parametrize("cursor", ["nonsense", "", 7, "dGVtcGxhdGVzOjE"])
async def test_refuses_a_cursor_it_did_not_issue_for_this_list(
    ports: Fakes, cursor: object
) -> None:
    server = build_server(ports, page_size=2)  # "dGVtcGxhdGVzOjE" is a templates cursor

    body = await rpc(server, "resources/list", {"cursor": cursor})

    assert body["error"]["code"] == -32602
    assert "cursor" in body["error"]["message"]


async def test_reads_a_computer_as_the_json_get_device_details_returns(server: McpServer) -> None:
    body = await read(server, "jamf://computers/77")

    result = types.ReadResourceResult.model_validate(body["result"])
    assert result.contents[0].mime_type == "application/json"
    assert str(result.contents[0].uri) == "jamf://computers/77"
    tool = await rpc(
        server,
        "tools/call",
        {"name": "getDeviceDetails", "arguments": {"deviceIdentifier": "77"}},
    )
    assert content_json(body["result"]) == tool["result"]["structuredContent"]
    assert content_json(body["result"])["name"] == "John-Smith-MacBook-Pro"


async def test_reads_a_mobile_device_and_a_policy(server: McpServer) -> None:
    mobile = content_json((await read(server, "jamf://mobile-devices/501"))["result"])
    policy = content_json((await read(server, "jamf://policies/7"))["result"])

    assert mobile["name"] == "John-Smith-iPhone" and mobile["deviceType"] == "mobile"
    assert policy["name"] == "Install Google Chrome" and policy["packages"] == ["GoogleChrome.pkg"]


async def test_a_computer_id_never_resolves_to_a_device_that_only_has_that_name(
    server: McpServer,
) -> None:
    body = await read(server, "jamf://computers/200")
    assert content_json(body["result"])["name"] == "123"

    missing = await read(server, "jamf://computers/124")
    assert missing["error"]["code"] == -32002


async def test_a_missing_device_is_resource_not_found_in_the_legacy_code(
    server: McpServer,
) -> None:
    body = await read(server, "jamf://computers/9999")

    assert body["error"] == {
        "code": -32002,
        "message": "No computer has the Jamf id 9999.",
        "data": {"uri": "jamf://computers/9999"},
    }


async def test_a_missing_policy_is_resource_not_found(server: McpServer) -> None:
    body = await read(server, "jamf://policies/4242")

    assert body["error"]["code"] == -32002
    assert body["error"]["message"] == "No policy has the Jamf id 4242."


async def test_2026_07_28_clients_get_minus_32602_for_a_missing_resource(ports: Fakes) -> None:
    handler = jamf_resources(ports).provider().methods()["resources/read"]

    reply = await handler(
        request("resources/read", {"uri": "jamf://mobile-devices/1"}), scope_of("2026-07-28")
    )

    assert b'"code":-32602' in reply


async def test_2026_07_28_reads_and_lists_carry_private_cache_hints(ports: Fakes) -> None:
    methods = jamf_resources(ports).provider().methods()
    scope = scope_of("2026-07-28")

    listed = await methods["resources/list"](request("resources/list", {}), scope)
    body = await methods["resources/read"](
        request("resources/read", {"uri": "jamf://policies/45"}), scope
    )

    assert b'"cacheScope":"private"' in listed and b'"ttlMs"' in listed
    assert b'"resultType":"complete"' in body and b'"ttlMs":30000' in body


@pytest.mark.parametrize(
    "uri",
    [
        "jamf://computers/abc",
        "jamf://computers/0",
        "jamf://computers/012",
        "jamf://computers/1 or 1=1",
        "jamf://computers/1\n",
        "jamf://computers/١٢",  # Arabic-Indic digits are digits to Python, not to Jamf
        "jamf://computers/1/../2",
        "jamf://computers/",
        "JAMF://computers/1",
        "jamf://reports/compliance?x=1",
        "https://evil.example/computers/1",
    ],
)
async def test_malformed_uris_are_not_found_and_never_reach_the_inventory(
    ports: Fakes, server: McpServer, uri: str
) -> None:
    body = await read(server, uri)

    assert body["error"]["code"] == -32002
    assert sum(ports.inventory.calls.values()) == 0


async def test_a_read_without_a_uri_is_invalid_params(server: McpServer) -> None:
    body = await rpc(server, "resources/read", {})
    assert body["error"]["code"] == -32602


async def test_the_compliance_report_lists_computers_not_seen_for_30_days(
    server: McpServer,
) -> None:
    report = content_json((await read(server, "jamf://reports/compliance"))["result"])

    assert [d["name"] for d in report["devices"]] == ["Marketing-MBP", "Mac-010"]
    assert report["summary"]["noncompliant"] == 2 and report["summary"]["critical"] == 1
    assert report["note"] is None


async def test_the_fleet_summary_counts_every_computer(server: McpServer) -> None:
    summary = content_json((await read(server, "jamf://reports/fleet-summary"))["result"])

    assert summary["total"] == 102
    assert {"value": "Marketing", "count": 1} in summary["byDepartment"]


async def test_the_audit_trail_shows_the_newest_actions_first_with_device_counts(
    ports: Fakes, server: McpServer
) -> None:
    await record_action(ports.audit, names=["Old-Mac"])
    for _ in range(50):
        await record_action(ports.audit, names=["Mac-A"], display_name=None)
    await record_action(
        ports.audit,
        names=["Mac-1", "Mac-2", "Mac-3"],
        results=[OutcomeStatus.QUEUED, OutcomeStatus.QUEUED, OutcomeStatus.FAILED],
    )

    trail = content_json((await read(server, "jamf://audit/recent"))["result"])

    assert trail["returned"] == 50
    newest = trail["records"][0]
    assert newest == {
        "recordId": newest["recordId"],
        "time": newest["time"],
        "who": "Alice Admin",
        "client": "pytest-client 1.0",
        "action": "execute_policy",
        "command": None,
        "targets": ["Mac-1", "Mac-2", "Mac-3"],
        "targetCount": 3,
        "digest": None,  # a plain digest from before keyed digests: nothing shown
        "channel": "elicitation",
        "state": "queued",
        "status": "queued",
        "events": ["approved", "outcome"],
        "deviceStatus": {"failed": 1, "queued": 2},
        "updatedAt": "2026-11-24T12:00:00Z",
    }
    assert trail["records"][1]["who"] == "https://idp.example#alice"
    assert trail["records"][1]["status"] is None
    assert trail["records"][1]["state"] == "approved"
    assert all(r["targets"] != ["Old-Mac"] for r in trail["records"])


async def test_a_sign_in_without_read_jamf_is_refused_clearly(server: McpServer) -> None:
    for method, params in [
        ("resources/list", {}),
        ("resources/templates/list", {}),
        ("resources/read", {"uri": "jamf://computers/1"}),
    ]:
        body = await rpc(server, method, params, principal=STRANGER)
        assert body["error"]["code"] == -32600
        assert "needs scope read:jamf" in body["error"]["message"]
