"""Sign-in end to end: the official MCP SDK's OAuth client against `jamf-mcp serve` (dev IdP)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import (
    AuthorizationCodeResult,
    OAuthClientInformationFull,
    OAuthClientMetadata,
    OAuthToken,
)

from jamf_mcp.adapters.oidc.signing import SigningKey, access_token_claims
from tests.e2e.conftest import RunningServer, start_server, stop_server
from tests.support.web_forms import follow_until, submit

pytestmark = pytest.mark.e2e

CALLBACK = "http://127.0.0.1:33418/callback"


class MemoryTokens:
    """Token storage for the SDK's OAuth provider."""

    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client = client_info


class BrowserlessUser:
    """Plays the person at the browser: approves consent and signs in at the dev IdP."""

    def __init__(self, username: str) -> None:
        self.username = username
        self.result: AuthorizationCodeResult | None = None
        self.pages: list[str] = []

    async def open(self, authorize_url: str) -> None:
        async with httpx.AsyncClient(timeout=30) as browser:
            consent = await browser.get(authorize_url)
            assert consent.status_code == 200, consent.text
            self.pages.append(consent.text)
            approved = await submit(browser, consent, button=("decision", "approve"))
            login = await follow_until(browser, approved, CALLBACK)
            assert isinstance(login, httpx.Response), login
            self.pages.append(login.text)
            signed_in = await submit(
                browser, login, fill={"username": self.username, "password": self.username}
            )
            final = await follow_until(browser, signed_in, CALLBACK)
            assert isinstance(final, str), final.text[:500]
        query = parse_qs(urlsplit(final).query)
        self.result = AuthorizationCodeResult(
            code=query["code"][0],
            state=query.get("state", [None])[0],
            iss=query.get("iss", [None])[0],
        )

    async def callback(self) -> AuthorizationCodeResult:
        assert self.result is not None
        return self.result


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(Path(tmp_path_factory.mktemp("auth")), {"JAMF_MCP_AUTH": "dev"})
    yield server
    stop_server(server)


def oauth_client(server: RunningServer, user: Any, storage: MemoryTokens) -> httpx2.AsyncClient:
    provider = OAuthClientProvider(
        server.mcp_url,
        OAuthClientMetadata(
            client_name="jamf-mcp e2e", redirect_uris=[CALLBACK], scope="read:jamf write:jamf"
        ),
        storage,
        redirect_handler=user.open,
        callback_handler=user.callback,
    )
    return httpx2.AsyncClient(auth=provider, follow_redirects=True, timeout=60)


async def test_alice_signs_in_through_consent_and_the_dev_idp_and_calls_tools(
    auth_server: RunningServer,
) -> None:
    alice, storage = BrowserlessUser("alice"), MemoryTokens()
    async with (
        oauth_client(auth_server, alice, storage) as http,
        Client(
            streamable_http_client(auth_server.mcp_url, http_client=http), mode="legacy"
        ) as client,
    ):
        result = await client.call_tool("checkDeviceCompliance", {"daysSinceLastCheckin": 30})
    assert result.structured_content is not None
    assert result.structured_content["summary"]["noncompliant"] == 23
    assert storage.tokens is not None
    assert set((storage.tokens.scope or "").split()) >= {"read:jamf", "write:jamf"}
    assert storage.tokens.refresh_token
    assert "alice" in alice.pages[1].lower()


async def test_bob_gets_read_only_and_an_action_is_refused_with_a_challenge_naming_both_scopes(
    auth_server: RunningServer,
) -> None:
    bob, storage = BrowserlessUser("bob"), MemoryTokens()
    async with (
        oauth_client(auth_server, bob, storage) as http,
        Client(
            streamable_http_client(auth_server.mcp_url, http_client=http), mode="legacy"
        ) as client,
    ):
        result = await client.call_tool("getFleetSummary", {})
        action = await client.call_tool(
            "executePolicy", {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
        )
    assert result.structured_content is not None
    assert storage.tokens is not None
    assert {"read:jamf", "write:jamf"} & set((storage.tokens.scope or "").split()) == {"read:jamf"}
    # Refused as a tool result ChatGPT turns into "sign in again", asking for what bob holds too.
    assert action.is_error is True
    assert "write:jamf" in action.content[0].text  # type: ignore[union-attr]
    assert action.meta is not None
    [challenge] = action.meta["mcp/www_authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert 'scope="read:jamf write:jamf"' in challenge
    assert f'resource_metadata="{auth_server.base_url}/.well-known/' in challenge


async def test_a_token_without_an_api_scope_opens_nothing_and_calls_nothing(
    auth_server: RunningServer,
) -> None:
    key = SigningKey.load_or_create(auth_server.data_dir / "signing-key.json")
    token = key.sign(
        access_token_claims(
            issuer=auth_server.base_url,
            audience=auth_server.mcp_url,
            subject="carol",
            scopes={"openid"},
            ttl_seconds=300,
        )
    )
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json, text/event-stream"}
    call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "getFleetSummary", "arguments": {}},
    }
    start = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18"},
    }
    async with httpx.AsyncClient(timeout=30) as raw:
        opened = await raw.post(auth_server.mcp_url, json=start, headers=headers)
        called = await raw.post(auth_server.mcp_url, json=call, headers=headers)
    assert opened.status_code == 403
    challenge = opened.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge
    assert 'scope="read:jamf"' in challenge
    result = called.json()["result"]
    assert called.status_code == 200 and result["isError"] is True
    assert 'scope="read:jamf"' in result["_meta"]["mcp/www_authenticate"][0]
    assert "structuredContent" not in result


async def test_missing_expired_and_forged_tokens_get_401_with_a_resource_metadata_challenge(
    auth_server: RunningServer,
) -> None:
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {"Accept": "application/json, text/event-stream"}
    key = SigningKey.load_or_create(auth_server.data_dir / "signing-key.json")
    an_hour_ago = time.time() - 3600
    expired = key.sign(
        access_token_claims(
            issuer=auth_server.base_url,
            audience=auth_server.mcp_url,
            subject="alice",
            scopes={"read:jamf"},
            ttl_seconds=60,
            now=an_hour_ago,
        )
    )
    async with httpx.AsyncClient(base_url=auth_server.base_url, timeout=30) as raw:
        missing = await raw.post("/mcp", json=ping, headers=headers)
        stale = await raw.post(
            "/mcp", json=ping, headers=headers | {"Authorization": f"Bearer {expired}"}
        )
        forged = await raw.post(
            "/mcp",
            json=ping,
            headers=headers | {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."},
        )
        in_query = await raw.post(f"/mcp?access_token={expired}", json=ping, headers=headers)
        metadata = await raw.get("/.well-known/oauth-protected-resource/mcp")
    for response in (missing, stale, forged, in_query):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
        assert "/.well-known/oauth-protected-resource/mcp" in response.headers["www-authenticate"]
    assert stale.json() == {"error": "Token expired", "message": "Please re-authenticate"}
    assert metadata.json()["resource"] == auth_server.mcp_url
    assert "read:jamf" in metadata.json()["scopes_supported"]
    log = auth_server.output()
    assert expired not in log
    assert json.dumps(expired) not in log


async def refresh(server: RunningServer, storage: MemoryTokens) -> dict[str, Any]:
    """Redeem the stored refresh token at the token endpoint as the registered client."""
    assert storage.tokens is not None
    assert storage.tokens.refresh_token
    assert storage.client is not None
    form = {
        "grant_type": "refresh_token",
        "refresh_token": storage.tokens.refresh_token,
        "client_id": storage.client.client_id,
    }
    if storage.client.client_secret:
        form["client_secret"] = storage.client.client_secret
    call = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    async with httpx.AsyncClient(timeout=30) as raw:
        answer = await raw.post(f"{server.base_url}/auth/token", data=form)
        assert answer.status_code == 200, answer.text
        fresh: dict[str, Any] = answer.json()
        headers = {
            "Authorization": f"Bearer {fresh['access_token']}",
            "Accept": "application/json, text/event-stream",
        }
        ping = await raw.post(server.mcp_url, json=call, headers=headers)
        assert ping.status_code == 200
        retried = await raw.post(f"{server.base_url}/auth/token", data=form)  # answer lost
        assert (retried.status_code, retried.json()) == (200, fresh)
        rotated = {**form, "refresh_token": fresh["refresh_token"]}
        newest = await raw.post(f"{server.base_url}/auth/token", data=rotated)
        assert newest.status_code == 200, newest.text
        reused = await raw.post(f"{server.base_url}/auth/token", data=form)
        assert reused.status_code == 400
        assert reused.json()["error"] == "invalid_grant"
        # The replay ended the whole grant: the access tokens issued are refused too, and the
        # rotated refresh token no longer works.
        headers["Authorization"] = f"Bearer {newest.json()['access_token']}"
        after = await raw.post(server.mcp_url, json=call, headers=headers)
        assert after.status_code == 401
        latest = {**form, "refresh_token": newest.json()["refresh_token"]}
        assert (await raw.post(f"{server.base_url}/auth/token", data=latest)).status_code == 400
    assert fresh["refresh_token"] != storage.tokens.refresh_token
    return fresh


async def test_alices_refresh_token_rotates_and_the_old_one_stops_working(
    auth_server: RunningServer,
) -> None:
    alice, storage = BrowserlessUser("alice"), MemoryTokens()
    async with (
        oauth_client(auth_server, alice, storage) as http,
        Client(
            streamable_http_client(auth_server.mcp_url, http_client=http), mode="legacy"
        ) as client,
    ):
        await client.list_tools()
    fresh = await refresh(auth_server, storage)
    assert set(fresh["scope"].split()) >= {"read:jamf", "write:jamf"}
