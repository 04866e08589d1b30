"""The Streamable HTTP endpoint on Litestar: formats, status codes, headers and origin checks."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.asgi_mcp import HttpTransportConfig
from jamf_mcp.adapters.mcp import InMemorySessionStore
from tests.integration.mcp.mcp_http_support import build_app

BOTH = "application/json, text/event-stream"
JSON_HEADERS = {"content-type": "application/json", "accept": BOTH}


def rpc(method: str, params: dict[str, Any] | None = None, id: int | None = 1) -> bytes:
    body: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params or {}}
    if id is not None:
        body["id"] = id
    return json.dumps(body).encode()


def sse_events(text: str) -> list[dict[str, str]]:
    events = []
    for block in text.strip().split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            name, _, value = line.partition(": ")
            fields[name] = fields.get(name, "") + value
        events.append(fields)
    return events


@pytest.fixture
async def client() -> AsyncIterator[AsyncTestClient[Any]]:
    app, _ = build_app()
    async with AsyncTestClient(app) as test_client:
        yield test_client


async def _initialize(client: AsyncTestClient[Any], version: str = "2025-11-25") -> str:
    response = await client.post(
        "/mcp", content=rpc("initialize", {"protocolVersion": version}), headers=JSON_HEADERS
    )
    assert response.status_code == 200
    return response.headers["mcp-session-id"]


async def test_initialize_answers_json_with_the_session_id_header(
    client: AsyncTestClient[Any],
) -> None:
    response = await client.post(
        "/mcp", content=rpc("initialize", {"protocolVersion": "2025-06-18"}), headers=JSON_HEADERS
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert len(response.headers["mcp-session-id"]) >= 32
    assert response.json()["result"]["protocolVersion"] == "2025-06-18"


async def test_answers_plain_requests_with_json_when_the_client_accepts_both(
    client: AsyncTestClient[Any],
) -> None:
    session_id = await _initialize(client)

    response = await client.post(
        "/mcp",
        content=rpc("tools/call", {"name": "add", "arguments": {"a": 2, "b": 3}}, id=2),
        headers={**JSON_HEADERS, "mcp-session-id": session_id},
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["result"]["structuredContent"] == {"sum": 5}
    assert "mcp-session-id" not in response.headers


async def test_streams_progress_as_sse_when_the_request_has_a_progress_token(
    client: AsyncTestClient[Any],
) -> None:
    session_id = await _initialize(client, "2025-11-25")
    params = {"name": "countdown", "arguments": {"steps": 2}, "_meta": {"progressToken": "p"}}

    response = await client.post(
        "/mcp",
        content=rpc("tools/call", params, id=3),
        headers={**JSON_HEADERS, "mcp-session-id": session_id},
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-accel-buffering"] == "no"
    priming, *events = sse_events(response.text)
    assert priming["data"] == "" and priming["retry"] == "3000" and priming["id"]
    assert all(event["event"] == "message" for event in events)
    assert len({event["id"] for event in [priming, *events]}) == 3 + 1
    messages = [json.loads(event["data"]) for event in events]
    assert [m.get("method") for m in messages] == [
        "notifications/progress",
        "notifications/progress",
        None,
    ]
    assert [m["params"]["progress"] for m in messages[:2]] == [1, 2]
    assert messages[-1]["id"] == 3


async def test_does_not_prime_sse_streams_for_clients_older_than_2025_11_25(
    client: AsyncTestClient[Any],
) -> None:
    session_id = await _initialize(client, "2025-06-18")
    params = {"name": "countdown", "arguments": {"steps": 1}, "_meta": {"progressToken": 1}}

    response = await client.post(
        "/mcp",
        content=rpc("tools/call", params),
        headers={**JSON_HEADERS, "mcp-session-id": session_id},
    )

    events = sse_events(response.text)
    assert [event["event"] for event in events] == ["message", "message"]


async def test_answers_sse_to_a_client_that_accepts_only_sse(client: AsyncTestClient[Any]) -> None:
    response = await client.post(
        "/mcp",
        content=rpc("ping", id=4),
        headers={"content-type": "application/json", "accept": "text/event-stream"},
    )

    assert response.headers["content-type"].startswith("text/event-stream")
    [event] = sse_events(response.text)
    assert json.loads(event["data"]) == {"jsonrpc": "2.0", "id": 4, "result": {}}


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/*"])
async def test_answers_json_when_accept_is_missing_or_a_wildcard(
    client: AsyncTestClient[Any], accept: str | None
) -> None:
    headers = {"content-type": "application/json"}
    if accept is not None:
        headers["accept"] = accept

    response = await client.post("/mcp", content=rpc("ping"), headers=headers)

    assert response.status_code == 200
    assert response.json()["result"] == {}


@pytest.mark.parametrize(
    "raw", [rpc("notifications/initialized", id=None), b'{"jsonrpc":"2.0","id":1,"result":{}}']
)
async def test_accepts_notifications_and_responses_with_202_and_no_body(
    client: AsyncTestClient[Any], raw: bytes
) -> None:
    response = await client.post("/mcp", content=raw, headers=JSON_HEADERS)

    assert response.status_code == 202
    assert response.content == b""


async def test_answers_a_parse_error_with_400(client: AsyncTestClient[Any]) -> None:
    response = await client.post("/mcp", content=b"{not json", headers=JSON_HEADERS)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700


async def test_refuses_a_body_over_the_limit_with_413() -> None:
    app, _ = build_app(HttpTransportConfig(max_body_bytes=100))
    big = rpc("tools/call", {"name": "add", "arguments": {"a": 1, "b": 2, "pad": "x" * 200}})
    async with AsyncTestClient(app) as client:
        response = await client.post("/mcp", content=big, headers=JSON_HEADERS)
        small = await client.post("/mcp", content=rpc("ping"), headers=JSON_HEADERS)

    assert response.status_code == 413
    assert response.json()["error"]["code"] == -32600
    assert "100 bytes" in response.json()["error"]["message"]
    assert small.status_code == 200


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_refuses_bodies_that_are_not_json_with_415(
    client: AsyncTestClient[Any], content_type: str | None
) -> None:
    headers = {"accept": BOTH}
    if content_type is not None:
        headers["content-type"] = content_type

    response = await client.post("/mcp", content=rpc("ping"), headers=headers)

    assert response.status_code == 415


TOOL_SCAN = {"content-type": "text/octet-stream", "accept": "*/*"}


@pytest.mark.parametrize("content_type", ["text/octet-stream", "application/octet-stream"])
async def test_answers_the_tool_scans_octet_stream_as_json_rpc(
    client: AsyncTestClient[Any], content_type: str
) -> None:
    headers = {**TOOL_SCAN, "content-type": content_type}
    started = await client.post(
        "/mcp", content=rpc("initialize", {"protocolVersion": "2025-06-18"}), headers=headers
    )
    listed = await client.post("/mcp", content=rpc("tools/list", id=2), headers=headers)

    assert started.status_code == 200
    assert started.headers["content-type"] == "application/json"
    assert started.json()["result"]["protocolVersion"] == "2025-06-18"
    assert listed.status_code == 200
    assert {tool["name"] for tool in listed.json()["result"]["tools"]} >= {"add"}


async def test_an_octet_stream_from_a_foreign_origin_is_still_refused(
    client: AsyncTestClient[Any],
) -> None:
    response = await client.post(
        "/mcp", content=rpc("ping"), headers={**TOOL_SCAN, "origin": "https://evil.example"}
    )

    assert response.status_code == 403


async def test_accepts_a_json_content_type_with_a_charset(client: AsyncTestClient[Any]) -> None:
    headers = {"content-type": "application/json; charset=utf-8", "accept": BOTH}

    response = await client.post("/mcp", content=rpc("ping"), headers=headers)

    assert response.status_code == 200


@pytest.mark.parametrize(
    "accept", ["text/html", "application/xml, image/png", "application/json;q=0"]
)
async def test_refuses_clients_that_accept_neither_format_with_406(
    client: AsyncTestClient[Any], accept: str
) -> None:
    headers = {"content-type": "application/json", "accept": accept}

    response = await client.post("/mcp", content=rpc("ping"), headers=headers)

    assert response.status_code == 406


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "http://localhost.evil.example", "null", "http://127.0.0.2"]
)
async def test_refuses_foreign_origins_with_403(client: AsyncTestClient[Any], origin: str) -> None:
    response = await client.post(
        "/mcp", content=rpc("ping"), headers={**JSON_HEADERS, "origin": origin}
    )

    assert response.status_code == 403
    assert response.json()["id"] is None


@pytest.mark.parametrize(
    "origin",
    ["http://localhost", "http://localhost:6274", "http://127.0.0.1:8000", "http://[::1]:3000"],
)
async def test_accepts_loopback_origins(client: AsyncTestClient[Any], origin: str) -> None:
    response = await client.post(
        "/mcp", content=rpc("ping"), headers={**JSON_HEADERS, "origin": origin}
    )

    assert response.status_code == 200


async def test_accepts_configured_origins() -> None:
    app, _ = build_app(HttpTransportConfig(allowed_origins=frozenset({"https://chatgpt.com"})))
    async with AsyncTestClient(app) as client:
        allowed = await client.post(
            "/mcp", content=rpc("ping"), headers={**JSON_HEADERS, "origin": "https://chatgpt.com"}
        )
        refused = await client.post(
            "/mcp", content=rpc("ping"), headers={**JSON_HEADERS, "origin": "https://chatgpt.co"}
        )

    assert (allowed.status_code, refused.status_code) == (200, 403)


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("mcp.example.com", 200),
        ("mcp.example.com:443", 200),
        ("localhost:8000", 200),
        ("127.0.0.1", 200),
        ("[::1]:8000", 200),
        ("evil.example.com", 403),
        ("mcp.example.com.evil.example", 403),
    ],
)
async def test_refuses_hosts_outside_the_allow_list_to_stop_dns_rebinding(
    host: str, status: int
) -> None:
    app, _ = build_app(HttpTransportConfig(allowed_hosts=frozenset({"mcp.example.com"})))
    async with AsyncTestClient(app) as client:
        response = await client.post(
            "/mcp", content=rpc("ping"), headers={**JSON_HEADERS, "host": host}
        )

    assert response.status_code == status


async def test_a_get_stream_is_refused_to_2026_07_28_clients_with_405(
    client: AsyncTestClient[Any],
) -> None:
    response = await client.get(
        "/mcp", headers={"accept": "text/event-stream", "mcp-protocol-version": "2026-07-28"}
    )

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


async def test_a_get_stream_needs_to_accept_event_streams(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/mcp", headers={"accept": "application/json"})

    assert response.status_code == 406


async def test_a_get_stream_of_an_unknown_session_answers_404(client: AsyncTestClient[Any]) -> None:
    response = await client.get(
        "/mcp", headers={"accept": "text/event-stream", "mcp-session-id": "not-a-session"}
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == -32001


async def test_a_last_event_id_of_no_known_stream_is_refused_with_400(
    client: AsyncTestClient[Any],
) -> None:
    session_id = await _initialize(client)

    response = await client.get(
        "/mcp",
        headers={
            "accept": "text/event-stream",
            "mcp-session-id": session_id,
            "last-event-id": "0123456789abcdef.3",
        },
    )

    assert response.status_code == 400
    assert "Last-Event-ID" in response.json()["error"]["message"]


async def test_delete_ends_the_session_and_later_use_answers_404() -> None:
    app, sessions = build_app()
    async with AsyncTestClient(app) as client:
        session_id = await _initialize(client)
        deleted = await client.delete("/mcp", headers={"mcp-session-id": session_id})
        again = await client.delete("/mcp", headers={"mcp-session-id": session_id})
        used = await client.post(
            "/mcp",
            content=rpc("ping", id=6),
            headers={**JSON_HEADERS, "mcp-session-id": session_id},
        )

    assert deleted.status_code == 204
    assert again.status_code == 404
    assert used.status_code == 404
    assert used.json()["id"] == 6
    assert isinstance(sessions, InMemorySessionStore) and len(sessions) == 0


async def test_delete_without_a_session_id_answers_400(client: AsyncTestClient[Any]) -> None:
    response = await client.delete("/mcp")

    assert response.status_code == 400


async def test_refuses_an_unsupported_protocol_version_header_with_400(
    client: AsyncTestClient[Any],
) -> None:
    response = await client.post(
        "/mcp", content=rpc("ping"), headers={**JSON_HEADERS, "mcp-protocol-version": "1999-01-01"}
    )

    assert response.status_code == 400


async def test_health_answers_ok(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/health")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
