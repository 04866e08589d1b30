"""Version negotiation, sessions and stateless requests of the MCP core."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest

from jamf_mcp.adapters.mcp import (
    HANDSHAKE_VERSIONS,
    SUPPORTED_VERSIONS,
    InMemorySessionStore,
    McpServer,
    RequestContext,
    ServerInfo,
    ToolCatalogue,
)
from tests.unit.adapters_mcp.mcp_core_support import (
    OTHER_READER,
    READER,
    initialize,
    message,
    send,
    status_of,
)


@pytest.mark.parametrize("version", HANDSHAKE_VERSIONS)
async def test_echoes_a_supported_protocol_version(server: McpServer, version: str) -> None:
    _, body = await send(server, message("initialize", {"protocolVersion": version}))

    assert body["result"]["protocolVersion"] == version


@pytest.mark.parametrize("version", ["2099-01-01", "2026-07-28", "1.0", ""])
async def test_answers_an_unsupported_protocol_version_with_our_latest(
    server: McpServer, version: str
) -> None:
    _, body = await send(server, message("initialize", {"protocolVersion": version}))

    assert body["result"]["protocolVersion"] == "2025-11-25"


async def test_refuses_initialize_without_a_protocol_version(server: McpServer) -> None:
    reply, body = await send(server, message("initialize", {"capabilities": {}}))

    assert status_of(reply) == 200
    assert reply.session_id is None
    assert body["error"]["code"] == -32602


async def test_initialize_announces_tools_server_info_and_instructions(server: McpServer) -> None:
    reply, body = await send(server, message("initialize", {"protocolVersion": "2025-06-18"}))

    assert status_of(reply) == 200
    assert body["result"] == {
        "protocolVersion": "2025-06-18",
        "capabilities": {"tools": {"listChanged": False}, "logging": {}},
        "serverInfo": {"name": "jamf-mcp", "version": "1.2.3", "title": "Jamf MCP"},
        "instructions": "Be kind.",
    }


async def test_initialize_leaves_the_server_title_out_for_clients_older_than_2025_06_18(
    server: McpServer,
) -> None:
    _, body = await send(server, message("initialize", {"protocolVersion": "2025-03-26"}))

    assert body["result"]["serverInfo"] == {"name": "jamf-mcp", "version": "1.2.3"}


async def test_initialize_mints_a_visible_ascii_session_bound_to_the_principal(
    server: McpServer, sessions: InMemorySessionStore
) -> None:
    session_id = await initialize(server, "2025-06-18")

    assert len(session_id) >= 32
    assert set(session_id) <= set(string.printable[:94])  # visible ASCII 0x21-0x7E
    session = await sessions.get(session_id)
    assert session is not None
    assert session.principal_key == "https://idp.example#alice"
    assert session.protocol_version == "2025-06-18"
    assert session.client_info == {"name": "pytest", "version": "0"}
    assert session.client_capabilities == {"elicitation": {}}


async def test_each_initialize_starts_a_new_session(server: McpServer) -> None:
    assert await initialize(server) != await initialize(server)


async def test_requests_in_a_session_use_the_negotiated_version(server: McpServer) -> None:
    session_id = await initialize(server, "2024-11-05")

    _, body = await send(server, message("tools/list"), session_id=session_id)

    echo = body["result"]["tools"][0]
    assert "annotations" not in echo
    assert "outputSchema" not in echo


async def test_answers_an_unknown_session_with_404_and_the_request_id(server: McpServer) -> None:
    reply, body = await send(server, message("ping", id=5), session_id="not-a-session")

    assert status_of(reply) == 404
    assert body["id"] == 5
    assert body["error"]["code"] == -32001


async def test_answers_notifications_on_an_unknown_session_with_404(server: McpServer) -> None:
    raw = message("notifications/initialized", id=None)

    reply, body = await send(server, raw, session_id="not-a-session")

    assert status_of(reply) == 404
    assert body["id"] is None


async def test_treats_another_principals_session_as_unknown(server: McpServer) -> None:
    session_id = await initialize(server, principal=READER)

    reply, _ = await send(server, message("ping"), principal=OTHER_READER, session_id=session_id)

    assert status_of(reply) == 404


async def test_deleting_a_session_ends_it(server: McpServer) -> None:
    session_id = await initialize(server)

    ended = await server.terminate(RequestContext(READER, session_id))
    reply, _ = await send(server, message("ping"), session_id=session_id)

    assert status_of(ended) == 204
    assert status_of(reply) == 404


async def test_deleting_an_unknown_session_answers_404(server: McpServer) -> None:
    reply = await server.terminate(RequestContext(READER, "nope"))

    assert status_of(reply) == 404


async def test_deleting_without_a_session_id_answers_400(server: McpServer) -> None:
    reply = await server.terminate(RequestContext(READER))

    assert status_of(reply) == 400


async def test_another_principal_cannot_delete_a_session(server: McpServer) -> None:
    session_id = await initialize(server, principal=READER)

    refused = await server.terminate(RequestContext(OTHER_READER, session_id))
    still_there, _ = await send(server, message("ping"), session_id=session_id)

    assert status_of(refused) == 404
    assert status_of(still_there) == 200


async def test_an_idle_session_expires() -> None:
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    store = InMemorySessionStore(idle_timeout=timedelta(minutes=30), clock=lambda: now[0])
    server = McpServer(ToolCatalogue([]), ServerInfo("s", "1"), store)
    session_id = await initialize(server)

    now[0] += timedelta(minutes=29)
    kept, _ = await send(server, message("ping"), session_id=session_id)
    now[0] += timedelta(minutes=30)
    expired, _ = await send(server, message("ping"), session_id=session_id)

    assert status_of(kept) == 200
    assert status_of(expired) == 404


async def test_serves_requests_without_a_session_statelessly(server: McpServer) -> None:
    reply, body = await send(
        server, message("tools/call", {"name": "echo", "arguments": {"text": "hi"}})
    )

    assert status_of(reply) == 200
    assert reply.session_id is None
    assert body["result"]["isError"] is False


async def test_stateless_requests_assume_2025_03_26_without_a_version_header(
    server: McpServer,
) -> None:
    _, listed = await send(server, message("tools/list"))
    _, called = await send(
        server, message("tools/call", {"name": "echo", "arguments": {"text": "hi"}})
    )

    echo = listed["result"]["tools"][0]
    assert "annotations" in echo
    assert "outputSchema" not in echo
    assert "title" not in echo
    # ChatGPT never echoes the session id nor sends the version header, yet reads this.
    assert called["result"]["structuredContent"] == {"echo": "hi"}


async def test_stateless_requests_follow_the_protocol_version_header(server: McpServer) -> None:
    params = {"name": "echo", "arguments": {"text": "hi"}}

    _, body = await send(server, message("tools/call", params), version="2025-06-18")

    assert body["result"]["structuredContent"] == {"echo": "hi"}


@pytest.mark.parametrize("header", ["2024-01-01", "latest"])
async def test_refuses_an_unsupported_protocol_version_header_with_400(
    server: McpServer, header: str
) -> None:
    reply, body = await send(server, message("ping", id=8), version=header)

    assert status_of(reply) == 400
    assert body["id"] == 8
    assert body["error"]["data"]["requested"] == header
    assert body["error"]["data"]["supported"] == list(SUPPORTED_VERSIONS)


@pytest.mark.parametrize("header", ["2026-07-28", "2099-01-01"])
async def test_a_modern_version_header_on_a_handshake_era_request_is_refused_with_400(
    server: McpServer, header: str
) -> None:
    reply, body = await send(server, message("ping", id=8), version=header)

    assert status_of(reply) == 400
    assert body["id"] == 8
    assert body["error"]["code"] == -32602
    assert "_meta" in body["error"]["message"]
