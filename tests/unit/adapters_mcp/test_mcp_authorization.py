"""The inbound scope check: one place, deciding from the scopes each method or tool declares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from jamf_mcp.adapters.asgi_mcp.framing import HTTP_STATUS
from jamf_mcp.adapters.mcp import (
    Authorized,
    Forbidden,
    InMemorySessionStore,
    McpServer,
    MethodHandler,
    Outcome,
    Request,
    RequestScope,
    ServerInfo,
    ToolCatalogue,
    result_reply,
)
from jamf_mcp.domain.principal import Principal
from tests.unit.adapters_mcp.mcp_core_support import READER, Calls, build_tools, message

NOBODY = Principal(issuer="https://idp.example", subject="eve", scopes=frozenset({"openid"}))


class _Notes:
    """A provider whose one method needs `notes:read`."""

    def methods(self) -> Mapping[str, MethodHandler]:
        async def read(request: Request, scope: RequestScope) -> bytes:
            return result_reply(request, scope, {"notes": []})

        return {"notes/read": read}

    def scopes(self) -> Mapping[str, frozenset[str]]:
        return {"notes/read": frozenset({"notes:read"})}

    def capabilities(self) -> Mapping[str, Any]:
        return {}


@pytest.fixture
def server() -> McpServer:
    return McpServer(
        ToolCatalogue(build_tools(Calls())),
        ServerInfo("s", "1"),
        InMemorySessionStore(),
        providers=[_Notes()],
        session_scopes=frozenset({"read:jamf"}),
    )


def test_initialize_needs_the_session_scopes(server: McpServer) -> None:
    verdict = server.authorize(server.parse(message("initialize", {})), NOBODY)

    assert isinstance(verdict, Forbidden)
    assert (verdict.missing, verdict.granted) == (("read:jamf",), frozenset({"openid"}))
    assert verdict.error.request_id == 1
    assert verdict.error.data == {"requiredScopes": ["read:jamf"], "missingScopes": ["read:jamf"]}


def test_a_provided_method_needs_the_scopes_its_provider_declares(server: McpServer) -> None:
    verdict = server.authorize(server.parse(message("notes/read")), READER)

    assert isinstance(verdict, Forbidden)
    assert verdict.missing == ("notes:read",)
    assert "notes/read needs scope notes:read" in verdict.error.message


def test_a_tool_short_of_scopes_is_authorized_with_the_shortfall_for_its_tool_result(
    server: McpServer,
) -> None:
    verdict = server.authorize(server.parse(message("tools/call", {"name": "wipe"})), READER)

    assert isinstance(verdict, Authorized)
    assert verdict.denied == ("write:jamf",)


@pytest.mark.parametrize(
    "raw",
    [
        message("ping"),
        message("tools/list"),
        message("tools/call", {"name": "no-such-tool"}),
        message("tools/call", {"name": 7}),
        message("notifications/initialized", id=None),
        b"{not json",
    ],
)
def test_everything_else_needs_no_scope(server: McpServer, raw: bytes) -> None:
    incoming = server.parse(raw)

    verdict = server.authorize(incoming, NOBODY)

    assert isinstance(verdict, Authorized)
    assert (verdict.incoming, verdict.denied) == (incoming, ())


def test_streams_that_last_need_the_session_scopes(server: McpServer) -> None:
    refused = server.authorize_stream(NOBODY)

    assert refused is not None and refused.missing == ("read:jamf",)
    assert server.authorize_stream(READER) is None


def test_every_outcome_has_an_http_status() -> None:
    assert set(HTTP_STATUS) == set(Outcome)
