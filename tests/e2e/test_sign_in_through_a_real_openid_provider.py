"""The front door in front of a real OpenID provider (npm `oidc-provider`), driven by the official SDK."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult

from tests.e2e.conftest import RunningServer, free_port, start_server, stop_server
from tests.e2e.test_sign_in_with_official_client import (
    CALLBACK,
    MemoryTokens,
    oauth_client,
    refresh,
)
from tests.support.oidc_provider import complete_login, running_oidc_provider
from tests.support.web_forms import follow_until, submit

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server_behind_oidc_provider(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[RunningServer]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running_oidc_provider(
        "jamf-mcp-front-door",
        "front-door-secret-never-logged",
        [f"{base}/auth/upstream/callback"],
        audience=f"{base}/mcp",
    ) as idp:
        server = start_server(
            Path(tmp_path_factory.mktemp("oidc")),
            {
                "OIDC_ISSUER": idp.issuer,
                "OIDC_CLIENT_ID": idp.client_id,
                "OIDC_CLIENT_SECRET": idp.client_secret,
                "OIDC_AUDIENCE": f"{base}/mcp",
                "JAMF_MCP_AUTH": "oidc",
            },
            port=port,
        )
        yield server
        stop_server(server)


class ProviderUser:
    """Approves our consent page, then signs in at oidc-provider's development login."""

    def __init__(self, server: RunningServer) -> None:
        self.server = server
        self.result: AuthorizationCodeResult | None = None

    async def open(self, authorize_url: str) -> None:
        async with httpx.AsyncClient(timeout=30) as browser:
            consent = await browser.get(authorize_url)
            assert consent.status_code == 200, consent.text
            approved = await submit(browser, consent, button=("decision", "approve"))
            upstream_authorize = approved.headers["location"]
            back = await complete_login(
                upstream_authorize,
                username="ada",
                stop_at=f"{self.server.base_url}/auth/upstream/callback",
            )
            final = await follow_until(browser, await browser.get(back.url), CALLBACK)
            assert isinstance(final, str), final.text[:500]
        query = parse_qs(urlsplit(final).query)
        self.result = AuthorizationCodeResult(
            code=query["code"][0], state=query["state"][0], iss=query.get("iss", [None])[0]
        )

    async def callback(self) -> AuthorizationCodeResult:
        assert self.result is not None
        return self.result


async def test_a_user_of_a_real_openid_provider_signs_in_and_calls_tools(
    server_behind_oidc_provider: RunningServer,
) -> None:
    server = server_behind_oidc_provider
    user, storage = ProviderUser(server), MemoryTokens()
    async with (
        oauth_client(server, user, storage) as http,
        Client(streamable_http_client(server.mcp_url, http_client=http), mode="legacy") as client,
    ):
        result = await client.call_tool("searchDevices", {"searchTerm": "John Smith"})
    assert result.structured_content is not None
    assert result.structured_content["total"] == 2
    assert storage.tokens is not None
    assert "read:jamf" in (storage.tokens.scope or "").split()
    fresh = await refresh(server, storage)
    assert "read:jamf" in fresh["scope"].split()
    assert "front-door-secret-never-logged" not in server.output()
