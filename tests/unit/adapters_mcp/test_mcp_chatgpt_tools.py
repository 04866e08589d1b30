"""ChatGPT's search and fetch tools through the MCP core: wire shape, ids, urls and errors."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import types

from jamf_mcp.adapters.mcp import McpServer
from tests.unit.adapters_mcp.jamf_methods_support import STRANGER, build_server, fakes, rpc

BASE = "https://acme.jamfcloud.com"


@pytest.fixture
def server() -> McpServer:
    return build_server(fakes())


async def call(
    server: McpServer, name: str, arguments: dict[str, Any], version: str = "2025-11-25"
) -> dict[str, Any]:
    body = await rpc(server, "tools/call", {"name": name, "arguments": arguments}, version=version)
    result: dict[str, Any] = body["result"]
    return result


def only_text(result: dict[str, Any]) -> Any:
    """The JSON in the one and only content item (what ChatGPT reads)."""
    assert len(result["content"]) == 1 and result["content"][0]["type"] == "text"
    return json.loads(result["content"][0]["text"])


async def test_both_tools_are_listed_as_read_only_with_their_scope(server: McpServer) -> None:
    body = await rpc(server, "tools/list")

    tools = {t["name"]: t for t in body["result"]["tools"]}
    for name in ("search", "fetch"):
        tool = types.Tool.model_validate(tools[name])
        assert tool.annotations is not None
        assert tool.annotations.read_only_hint is True
        assert tool.annotations.destructive_hint is False
        assert tool.annotations.idempotent_hint is True
        assert tool.annotations.open_world_hint is False
        assert tools[name]["_meta"] == {
            "securitySchemes": [{"type": "oauth2", "scopes": ["read:jamf"]}]
        }
    assert tools["search"]["inputSchema"]["required"] == ["query"]
    assert tools["fetch"]["inputSchema"]["required"] == ["id"]


async def test_search_returns_one_text_item_with_results_and_the_same_structured_content(
    server: McpServer,
) -> None:
    result = await call(server, "search", {"query": "John Smith"})

    payload = only_text(result)
    assert result["structuredContent"] == payload and result["isError"] is False
    assert payload == {
        "results": [
            {
                "id": "computer:77",
                "title": "John-Smith-MacBook-Pro — MacBook Pro (serial C02SER000077), John Smith",
                "url": f"{BASE}/computers.html?id=77&o=r",
            },
            {
                "id": "mobile:501",
                "title": "John-Smith-iPhone — Mobile device (serial C02SER000501), John Smith",
                "url": f"{BASE}/mobileDevices.html?id=501&o=r",
            },
        ]
    }


async def test_search_finds_policies_by_part_of_their_name(server: McpServer) -> None:
    payload = only_text(await call(server, "search", {"query": "update"}))

    assert payload["results"] == [
        {
            "id": "policy:45",
            "title": "Software Update — policy 45, enabled (Maintenance)",
            "url": f"{BASE}/policies.html?id=45&o=r",
        },
        {
            "id": "policy:1",
            "title": "Update Inventory — policy 1, enabled (Maintenance)",
            "url": f"{BASE}/policies.html?id=1&o=r",
        },
    ]


async def test_search_returns_at_most_20_results(server: McpServer) -> None:
    payload = only_text(await call(server, "search", {"query": "Mac-0"}))

    assert len(payload["results"]) == 20


async def test_search_still_answers_old_clients_with_one_text_item(server: McpServer) -> None:
    result = await call(server, "search", {"query": "MAC-123"}, version="2025-03-26")

    assert only_text(result)["results"][0]["id"] == "computer:123"
    assert result["structuredContent"] == only_text(result)  # harmless to an older client


async def test_fetch_returns_the_full_computer_with_its_jamf_page(server: McpServer) -> None:
    result = await call(server, "fetch", {"id": "computer:77"})

    document = only_text(result)
    assert result["structuredContent"] == document
    assert document["id"] == "computer:77"
    assert document["url"] == f"{BASE}/computers.html?id=77&o=r"
    assert document["title"].startswith("John-Smith-MacBook-Pro — MacBook Pro")
    assert "Serial number: C02SER000077" in document["text"]
    assert "FileVault encrypted" in document["text"]
    assert "Last check-in: 2026-11-22T12:00:00Z (2 days ago)" in document["text"]
    assert document["metadata"] == {
        "type": "computer",
        "jamfId": "77",
        "serialNumber": "C02SER000077",
        "user": "John Smith",
        "department": "Engineering",
        "osVersion": "15.1",
        "lastCheckIn": "2026-11-22T12:00:00Z",
        "daysSinceCheckIn": 2,
    }


async def test_fetch_returns_a_mobile_device_and_a_policy(server: McpServer) -> None:
    mobile = only_text(await call(server, "fetch", {"id": "mobile:501"}))
    policy = only_text(await call(server, "fetch", {"id": "policy:7"}))

    assert mobile["url"] == f"{BASE}/mobileDevices.html?id=501&o=r"
    assert mobile["text"].startswith("Mobile device John-Smith-iPhone (Jamf id 501)")
    assert policy["url"] == f"{BASE}/policies.html?id=7&o=r"
    assert "Packages: GoogleChrome.pkg" in policy["text"]
    assert "How it runs: Runs on each computer in scope" in policy["text"]
    assert policy["metadata"]["jamfId"] == 7


@pytest.mark.parametrize(
    ("record_id", "expected"),
    [
        ("computer:9999", "No computer has the Jamf id 9999"),
        ("computer:124", "No computer has the Jamf id 124"),
        ("mobile:77", "No mobile device has the Jamf id 77"),
        ("policy:4242", "No policy has the Jamf id 4242"),
        ("computer:abc", "is not an id that search returns"),
        ("laptop:1", "is not an id that search returns"),
        ("computer:1 or 1=1", "is not an id that search returns"),
        ("77", "is not an id that search returns"),
    ],
)
async def test_fetch_of_an_unknown_or_malformed_id_is_a_tool_error(
    server: McpServer, record_id: str, expected: str
) -> None:
    result = await call(server, "fetch", {"id": record_id})

    assert result["isError"] is True
    assert expected in result["content"][0]["text"]


async def test_fetch_never_returns_a_device_that_only_has_the_id_as_its_name(
    server: McpServer,
) -> None:
    document = only_text(await call(server, "fetch", {"id": "computer:200"}))

    assert document["title"].startswith("123 —")


async def test_a_sign_in_without_read_jamf_cannot_search(server: McpServer) -> None:
    body = await rpc(
        server,
        "tools/call",
        {"name": "search", "arguments": {"query": "Mac"}},
        principal=STRANGER,
    )

    assert body["result"]["isError"] is True
    assert "read:jamf" in body["result"]["content"][0]["text"]
