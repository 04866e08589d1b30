"""The connection log and the open-sessions count: `MCP connection established` when a session or
stream opens, `MCP connection ended` with its duration when it ends (DELETE, idle, closed)."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from jamf_mcp.adapters.mcp import InMemorySessionStore, McpServer, ServerInfo, ToolCatalogue
from jamf_mcp.adapters.mcp.connections import McpConnections, transport_name
from jamf_mcp.adapters.mcp.replies import RequestContext, Result
from jamf_mcp.domain.principal import Principal
from tests.unit.adapters_mcp.mcp_core_support import Calls, build_tools, handle, message, status_of

ALICE = Principal(
    issuer="https://idp.example", subject="alice", scopes={"read:jamf"}, client_id="jmp_chatgpt"
)


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def events(caplog: pytest.LogCaptureFixture, text: str) -> list[dict[str, Any]]:
    return [dict(getattr(r, "fields", {})) for r in caplog.records if r.getMessage() == text]


@pytest.fixture
def clock() -> Ticks:
    return Ticks()


@pytest.fixture
def server(clock: Ticks) -> McpServer:
    info = ServerInfo(name="jamf-mcp", version="1.2.3")
    return McpServer(
        ToolCatalogue(build_tools(Calls())),
        info,
        InMemorySessionStore(),
        connections=McpConnections(idle_seconds=3600, clock=clock),
    )


async def _initialize(server: McpServer, **context: Any) -> str:
    params = {"protocolVersion": "2025-06-18", "clientInfo": {"name": "openai-mcp"}}
    reply = await handle(server, message("initialize", params), RequestContext(ALICE, **context))
    assert isinstance(reply, Result) and reply.session_id is not None
    return reply.session_id


async def test_a_session_logs_who_opened_it_and_how_long_it_lasted_when_the_client_ends_it(
    server: McpServer, clock: Ticks, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jamf_mcp.connections")
    session_id = await _initialize(server)
    assert events(caplog, "MCP connection established") == [
        {
            "subject": "alice",
            "client": "openai-mcp",
            "oauth_client": "jmp_chatgpt",
            "transport": "streamable-http",
            "protocol_version": "2025-06-18",
            "connection": "session",
        }
    ]
    assert server.connections.active_sessions() == 1
    clock.now += 42.5
    ended = await server.terminate(RequestContext(ALICE, session_id))
    assert status_of(ended) == 204
    [end] = events(caplog, "MCP connection ended")
    assert (end["reason"], end["duration_seconds"], end["subject"]) == ("client", 42.5, "alice")
    assert server.connections.active_sessions() == 0
    assert session_id not in caplog.text  # the id is a bearer of the session: never logged


async def test_a_session_never_used_again_ends_after_the_idle_timeout(
    server: McpServer, clock: Ticks, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jamf_mcp.connections")
    session_id = await _initialize(server)
    clock.now += 1800
    await handle(server, message("ping", id=2), RequestContext(ALICE, session_id))  # seen
    clock.now += 3599
    assert server.connections.active_sessions() == 1
    clock.now += 1
    assert server.connections.active_sessions() == 0
    [end] = events(caplog, "MCP connection ended")
    assert (end["reason"], end["duration_seconds"]) == ("idle", 1800.0)


async def test_a_client_that_never_echoes_the_session_id_still_opens_one_session(
    server: McpServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jamf_mcp.connections")
    await _initialize(server)
    for n in range(3):  # ChatGPT: no Mcp-Session-Id, no MCP-Protocol-Version
        await handle(server, message("tools/list", id=n + 2), RequestContext(ALICE))
    assert len(events(caplog, "MCP connection established")) == 1
    assert server.connections.active_sessions() == 1


def test_streams_are_logged_but_are_not_sessions(
    clock: Ticks, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jamf_mcp.connections")
    connections = McpConnections(clock=clock)
    connections.opened(
        "s1",
        kind="stream",
        subject="bob",
        client="",
        oauth_client=None,
        transport="legacy-sse",
        protocol_version="2024-11-05",
    )
    assert connections.active_sessions() == 0
    clock.now += 7
    connections.closed("s1", "closed")
    connections.closed("s1", "closed")  # closing twice logs once
    [end] = events(caplog, "MCP connection ended")
    assert (end["connection"], end["transport"], end["duration_seconds"]) == (
        "stream",
        "legacy-sse",
        7.0,
    )


def test_the_transport_is_named_from_the_request_context() -> None:
    assert transport_name(legacy_sse=False, has_headers=True) == "streamable-http"
    assert transport_name(legacy_sse=True, has_headers=False) == "legacy-sse"
    assert transport_name(legacy_sse=False, has_headers=False) == "stdio"
