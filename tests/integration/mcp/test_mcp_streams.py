"""SSE over real HTTP: the GET stream, keep-alives, resuming a dropped stream, and legacy HTTP+SSE."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.contract.redis_support import eventually
from tests.integration.mcp.stream_support import (
    HEADERS,
    Frame,
    LiveServer,
    frames,
    initialize,
    live_server,
    rpc,
)

SSE = {"accept": "text/event-stream"}
TICK = {"name": "tick", "arguments": {"steps": 10, "delay": 0.1}, "_meta": {"progressToken": "p"}}


@pytest.fixture
async def server() -> Any:
    async with live_server() as running:
        yield running


async def _collect(events: AsyncIterator[Frame], count: int) -> list[Frame]:
    got: list[Frame] = []
    async for frame in events:
        got.append(frame)
        if len(got) >= count:
            break
    return got


async def test_the_get_stream_opens_without_a_session_and_sends_keepalive_pings(
    server: LiveServer,
) -> None:
    async with (
        httpx.AsyncClient(base_url=server.base_url) as client,
        client.stream("GET", "/mcp", headers=SSE) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        got = await asyncio.wait_for(_collect(frames(response), 3), 5)

    assert [frame.comment for frame in got[-2:]] == ["ping", "ping"]


async def test_a_sessions_get_stream_ends_when_the_session_is_deleted(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        session = await initialize(client)
        headers = {**SSE, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
        async with client.stream("GET", "/mcp", headers=headers) as response:
            events = frames(response)
            first = await asyncio.wait_for(_collect(events, 1), 5)
            assert first[0].id is not None and first[0].data == ""  # primes Last-Event-ID
            deleted = await client.delete("/mcp", headers={"mcp-session-id": session})
            rest = await asyncio.wait_for(_collect(events, 100), 5)  # ends by itself

    assert deleted.status_code == 204
    assert all(frame.comment == "ping" for frame in rest)


async def test_long_tool_calls_get_keepalives_on_their_own_stream(server: LiveServer) -> None:
    body = rpc("tools/call", {**TICK, "arguments": {"steps": 3, "delay": 0.5}})
    headers = {**HEADERS, "mcp-protocol-version": "2025-06-18"}
    async with (
        httpx.AsyncClient(base_url=server.base_url) as client,
        client.stream("POST", "/mcp", content=body, headers=headers) as response,
    ):
        got = [frame async for frame in frames(response)]

    assert any(frame.comment == "ping" for frame in got)
    assert got[-1].json()["result"]["structuredContent"]["steps"] == 3


async def test_a_dropped_stream_resumes_with_last_event_id_without_losing_or_repeating(
    server: LiveServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
        session = await initialize(client)
        headers = {**HEADERS, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
        async with client.stream(
            "POST", "/mcp", content=rpc("tools/call", TICK, id=9), headers=headers
        ) as response:
            first = [f for f in await _collect(frames(response), 4) if f.comment is None]
        last_id = [f.id for f in first if f.id][-1]
        seen = [f.json()["params"]["progress"] for f in first if f.data]

        resume = {**SSE, "mcp-session-id": session, "last-event-id": last_id}
        async with client.stream("GET", "/mcp", headers=resume) as response:
            assert response.status_code == 200
            rest = [f async for f in frames(response) if f.comment is None]

    messages = [f.json() for f in rest if f.data]
    progress = seen + [m["params"]["progress"] for m in messages if "method" in m]
    assert progress == list(range(1, 11))
    assert messages[-1]["id"] == 9
    assert messages[-1]["result"]["structuredContent"] == {"steps": 10, "cancelled": False}
    assert len({f.id for f in first + rest if f.id}) == len([f for f in first + rest if f.id])


async def test_another_users_last_event_id_reveals_nothing(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
        session = await initialize(client)
        headers = {**HEADERS, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
        async with client.stream(
            "POST", "/mcp", content=rpc("tools/call", TICK), headers=headers
        ) as response:
            event_id = [f.id for f in await _collect(frames(response), 2) if f.id][-1]
        mallory = await initialize(client, **{"x-test-user": "mallory"})
        as_mallory = {**SSE, "x-test-user": "mallory", "last-event-id": event_id}
        foreign_session = await client.get(
            "/mcp", headers={**as_mallory, "mcp-session-id": session}
        )
        own_session = await client.get("/mcp", headers={**as_mallory, "mcp-session-id": mallory})

    assert foreign_session.status_code == 404
    assert own_session.status_code == 400


async def test_work_nobody_resumes_is_told_to_stop_after_the_grace_period(
    server: LiveServer,
) -> None:
    body = rpc("tools/call", {**TICK, "arguments": {"steps": 100, "delay": 0.05}})
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
        session = await initialize(client)
        headers = {**HEADERS, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25"}
        async with client.stream("POST", "/mcp", content=body, headers=headers) as response:
            await _collect(frames(response), 3)
        await asyncio.wait_for(server.ticks.finished.wait(), 5)

    assert server.ticks.stopped_by_cancel
    assert server.ticks.steps < 100


async def test_a_sessionless_stream_stops_its_work_as_soon_as_the_client_leaves(
    server: LiveServer,
) -> None:
    body = rpc("tools/call", {**TICK, "arguments": {"steps": 100, "delay": 0.05}})
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
        async with client.stream("POST", "/mcp", content=body, headers=HEADERS) as response:
            await _collect(frames(response), 2)
        await asyncio.wait_for(server.ticks.finished.wait(), 2)

    assert server.ticks.stopped_by_cancel


async def test_legacy_sse_sends_the_endpoint_then_answers_posts_on_the_stream(
    server: LiveServer,
) -> None:
    async with (
        httpx.AsyncClient(base_url=server.base_url, timeout=10) as client,
        client.stream("GET", "/sse", headers=SSE) as stream,
    ):
        events = frames(stream)
        endpoint = await anext(events)
        assert endpoint.event == "endpoint"
        assert endpoint.data.startswith("/messages?session_id=")
        init = {"protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "t"}}
        posted = await client.post(endpoint.data, content=rpc("initialize", init), headers=HEADERS)
        answer = await anext(events)
        stranger = await client.post(
            endpoint.data, content=rpc("ping", id=2), headers={**HEADERS, "x-test-user": "eve"}
        )
        unknown = await client.post(
            "/messages?session_id=nope", content=rpc("ping", id=3), headers=HEADERS
        )
        await client.post(endpoint.data, content=rpc("ping", id=4), headers=HEADERS)
        pong = await anext(events)

    assert posted.status_code == 202
    assert answer.event == "message"
    assert answer.json()["result"]["protocolVersion"] == "2024-11-05"
    assert (stranger.status_code, unknown.status_code) == (404, 404)
    assert pong.json() == {"jsonrpc": "2.0", "id": 4, "result": {}}


async def test_closing_the_legacy_stream_ends_its_session(server: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as client:
        async with client.stream("GET", "/sse", headers=SSE) as stream:
            endpoint = await anext(frames(stream))
            assert len(server.sessions) == 1
        await eventually(lambda: len(server.sessions) == 0)  # the server saw the stream close
        later = await client.post(endpoint.data, content=rpc("ping"), headers=HEADERS)

    assert later.status_code == 404


async def test_a_get_stream_is_logged_when_it_opens_and_when_it_ends_with_its_duration(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jamf_mcp.connections")

    def logged(message: str) -> list[dict[str, Any]]:
        return [dict(getattr(r, "fields", {})) for r in caplog.records if r.getMessage() == message]

    async with (
        httpx.AsyncClient(base_url=server.base_url) as client,
        client.stream("GET", "/mcp", headers=SSE) as response,
    ):
        await asyncio.wait_for(_collect(frames(response), 1), 5)
        [opened] = logged("MCP connection established")
    await eventually(lambda: bool(logged("MCP connection ended")), within=5)

    assert (opened["connection"], opened["transport"]) == ("stream", "streamable-http")
    [ended] = logged("MCP connection ended")
    assert ended["reason"] == "closed" and ended["duration_seconds"] >= 0
    assert ended["subject"] == opened["subject"]
