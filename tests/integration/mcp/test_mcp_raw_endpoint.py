"""The MCP endpoints served ahead of Litestar: what Litestar used to do for them still happens."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from litestar import Litestar

from jamf_mcp.adapters.asgi_mcp import (
    HttpTransportConfig,
    McpEndpoint,
    McpFirst,
    McpHttpApp,
    RateLimited,
)
from jamf_mcp.adapters.asgi_mcp.refusals import state_unavailable
from jamf_mcp.adapters.litestar_http import health_route_handlers
from jamf_mcp.adapters.mcp import InMemorySessionStore, McpServer, ServerInfo
from jamf_mcp.domain.errors import StateUnavailable
from jamf_mcp.domain.principal import Principal
from tests.integration.mcp.mcp_http_support import USER, build_app, fake_catalogue

HEADERS = {"content-type": "application/json", "accept": "application/json, text/event-stream"}
PING = b'{"jsonrpc":"2.0","id":7,"method":"ping"}'


def _client(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    app, _ = build_app()
    async with _client(app) as http:
        yield http


async def test_a_trailing_slash_reaches_the_same_endpoint(client: httpx.AsyncClient) -> None:
    response = await client.post("/mcp/", content=PING, headers=HEADERS)
    assert response.status_code == 200
    assert response.json() == {"jsonrpc": "2.0", "id": 7, "result": {}}
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-length"] == str(len(response.content))


async def test_other_methods_are_refused_with_405_naming_the_allowed_ones(
    client: httpx.AsyncClient,
) -> None:
    put = await client.put("/mcp", content=PING, headers=HEADERS)
    options = await client.options("/mcp")
    legacy = await client.delete("/messages?session_id=x")
    assert put.status_code == 405
    assert put.headers["allow"] == "POST, GET, DELETE"
    assert put.json()["error"]["code"] == -32600
    assert (options.status_code, options.headers["allow"]) == (204, "POST, GET, DELETE")
    assert "content-length" not in options.headers
    assert (legacy.status_code, legacy.headers["allow"]) == (405, "POST")


async def test_other_paths_are_served_by_litestar(client: httpx.AsyncClient) -> None:
    health = await client.get("/health")
    missing = await client.post("/mcpx", content=PING, headers=HEADERS)
    assert health.status_code == 200
    assert missing.status_code == 404


async def test_a_streamed_body_over_the_limit_is_refused_without_reading_it_all() -> None:
    app, _ = build_app(HttpTransportConfig(max_body_bytes=64))
    sent: list[int] = []

    async def chunks() -> AsyncIterator[bytes]:
        for number in range(100):
            sent.append(number)
            yield b" " * 32

    async with _client(app) as http:
        response = await http.post("/mcp", content=chunks(), headers=HEADERS)
        after = await http.post("/mcp", content=PING, headers=HEADERS)
    assert response.status_code == 413
    assert "64 bytes" in response.json()["error"]["message"]
    assert after.status_code == 200


async def test_header_values_are_read_without_their_surrounding_whitespace(
    client: httpx.AsyncClient,
) -> None:
    headers = {
        **HEADERS,
        "content-type": "  application/json \t",
        "mcp-protocol-version": " 2025-11-25 ",
    }
    response = await client.post("/mcp", content=PING, headers=headers)
    assert response.status_code == 200


def _app(authenticate: Any) -> McpFirst:
    server = McpServer(fake_catalogue(), ServerInfo("t", "0"), InMemorySessionStore())

    def answer(error: Exception) -> Any:
        return state_unavailable(error) if isinstance(error, StateUnavailable) else None

    endpoint = McpEndpoint(server=lambda: server, authenticate=authenticate, answer_error=answer)
    return McpFirst(
        McpHttpApp(HttpTransportConfig(), endpoint),
        Litestar(route_handlers=health_route_handlers(), logging_config=None),
    )


async def test_an_unexpected_failure_is_a_logged_500_that_leaks_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(_request: object) -> Principal:
        raise RuntimeError("database password is hunter2")

    async with _client(_app(broken)) as http:
        failed = await http.post("/mcp", content=PING, headers=HEADERS)
        again = await http.post("/mcp", content=PING, headers=HEADERS)
    assert failed.status_code == 500
    assert failed.json()["error"]["code"] == -32603
    assert "hunter2" not in failed.text
    assert again.status_code == 500  # and the endpoint keeps answering
    assert any(r.levelno == logging.ERROR and r.exc_info for r in caplog.records)


async def test_errors_with_an_answer_get_it() -> None:
    async def down(_request: object) -> Principal:
        raise StateUnavailable("Redis is unreachable")

    async with _client(_app(down)) as http:
        response = await http.post("/mcp", content=PING, headers=HEADERS)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert "Redis is unreachable" in json.loads(response.content)["message"]


async def test_a_rate_limited_legacy_message_is_also_told_on_its_stream() -> None:
    told: list[tuple[str, bytes]] = []
    server = McpServer(fake_catalogue(), ServerInfo("t", "0"), InMemorySessionStore())

    async def send_to_session(principal: Principal, session_id: str, message: bytes) -> None:
        told.append((session_id, message))

    server.send_to_session = send_to_session  # type: ignore[method-assign]

    async def limited(_request: object) -> Principal:
        raise RateLimited(2.5, "principal", USER)

    def answer(error: Exception) -> Any:
        from jamf_mcp.adapters.asgi_mcp import too_many_requests

        return too_many_requests(error) if isinstance(error, RateLimited) else None

    endpoint = McpEndpoint(server=lambda: server, authenticate=limited, answer_error=answer)
    app = McpFirst(McpHttpApp(HttpTransportConfig(), endpoint), Litestar(route_handlers=[]))
    async with _client(app) as http:
        response = await http.post("/messages?session_id=s-1", content=PING, headers=HEADERS)
        for _ in range(100):  # told from a background task
            if told:
                break
            await asyncio.sleep(0.01)
    assert response.status_code == 429
    assert response.headers["retry-after"] == "3"
    assert [session for session, _ in told] == ["s-1"]
    assert json.loads(told[0][1])["error"]["data"] == {"retry_after": 3}
