"""The whole front door over HTTP: register → authorize → consent → upstream → code → token → refresh."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.oauth_server import InMemoryOAuthStateStore
from tests.integration.oauth_server.oauth_http_support import (
    front_door_app,
    hidden_fields,
    walk_to_code,
)
from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    ISSUER,
    RESOURCE,
    FakeUpstream,
    build_world,
    pkce_pair,
)


async def _register(client: AsyncTestClient[Any], **metadata: object) -> dict[str, Any]:
    body = {"redirect_uris": [CHATGPT_REDIRECT], "client_name": "ChatGPT", **metadata}
    reply = await client.post("/auth/register", json=body)
    assert reply.status_code == 201, reply.text
    assert reply.headers["cache-control"] == "no-store"
    return dict(reply.json())


def _token_form(client_id: str, code: str, verifier: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": CHATGPT_REDIRECT,
        "resource": RESOURCE,
    }


async def test_chatgpt_style_public_client_completes_sign_in_and_refreshes() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        registered = await _register(client, token_endpoint_auth_method="none")
        client_id = registered["client_id"]
        code, verifier, answer = await walk_to_code(client, world, client_id)
        assert answer["state"] == "oauth_s_abc"
        assert answer["iss"] == ISSUER

        tokens = await client.post("/auth/callback", data=_token_form(client_id, code, verifier))
        assert tokens.status_code == 200, tokens.text
        assert tokens.headers["cache-control"] == "no-store"
        body = tokens.json()
        assert body["token_type"] == "Bearer"
        assert body["scope"] == "read:jamf write:jamf"

        jwks = (await client.get("/auth/jwks.json")).json()
        assert "d" not in jwks["keys"][0]
        decoded = jwt.decode(
            body["access_token"], KeySet.import_key_set(jwks), algorithms=["RS256"]
        )
        JWTClaimsRegistry(
            iss={"essential": True, "value": ISSUER},
            aud={"essential": True, "value": RESOURCE},
            sub={"essential": True, "value": "alice"},
        ).validate(decoded.claims)
        assert decoded.header["typ"] == "at+jwt"
        assert decoded.claims["scope"] == "read:jamf write:jamf"

        refresh = {
            "grant_type": "refresh_token",
            "client_id": client_id,
            "refresh_token": body["refresh_token"],
        }
        refreshed = await client.post("/auth/token", data=refresh)
        assert refreshed.status_code == 200, refreshed.text
        assert refreshed.json()["refresh_token"] != body["refresh_token"]
        retried = await client.post("/auth/token", data=refresh)  # its answer was lost
        assert (retried.status_code, retried.json()) == (200, refreshed.json())
        newest = await client.post(
            "/auth/token", data={**refresh, "refresh_token": refreshed.json()["refresh_token"]}
        )
        assert newest.status_code == 200, newest.text
        replayed = await client.post("/auth/token", data=refresh)
        assert (replayed.status_code, replayed.json()["error"]) == (400, "invalid_grant")


async def test_sdk_style_confidential_client_with_basic_auth_and_no_scope_parameter() -> None:
    world = build_world(FakeUpstream("bob", frozenset({"read:jamf"})))
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        registered = await _register(
            client,
            redirect_uris=["http://localhost:3030/callback"],
            token_endpoint_auth_method="client_secret_basic",
            grant_types=["authorization_code", "refresh_token"],
        )
        client_id, secret = registered["client_id"], registered["client_secret"]
        code, verifier, _ = await walk_to_code(
            client, world, client_id, redirect_uri="http://localhost:3030/callback"
        )
        form = _token_form(client_id, code, verifier) | {
            "redirect_uri": "http://localhost:3030/callback"
        }
        del form["client_id"]
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        reply = await client.post(
            "/auth/callback", data=form, headers={"Authorization": f"Basic {basic}"}
        )
        assert reply.status_code == 200, reply.text
        assert reply.json()["scope"] == "read:jamf"


async def test_a_wrong_basic_secret_is_401_with_a_basic_challenge() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        registered = await _register(client, token_endpoint_auth_method="client_secret_basic")
        basic = base64.b64encode(f"{registered['client_id']}:nope".encode()).decode()
        reply = await client.post(
            "/auth/callback",
            data={"grant_type": "authorization_code", "code": "x", "code_verifier": "y"},
            headers={"Authorization": f"Basic {basic}"},
        )
        assert reply.status_code == 401
        assert reply.json()["error"] == "invalid_client"
        assert reply.headers["www-authenticate"].startswith("Basic")


async def test_consent_page_is_framed_by_no_one_cached_by_no_one_and_sets_a_host_csrf_cookie() -> (
    None
):
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        client_id = (await _register(client, token_endpoint_auth_method="none"))["client_id"]
        _, challenge = pkce_pair()
        page = await client.get(
            "/auth/authorize",
            params={
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": CHATGPT_REDIRECT,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        assert page.status_code == 200
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "form-action 'self' https://idp.example.test https://chatgpt.com" in csp
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "no-referrer"
        cookie = page.headers["set-cookie"]
        assert cookie.startswith("__Host-jamf_mcp_csrf=")
        assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
        assert "Path=/" in cookie and "Domain" not in cookie
        fields = hidden_fields(page.text)
        assert f"__Host-jamf_mcp_csrf={fields['csrf_token']}" in cookie
        assert "ChatGPT" in page.text and "chatgpt.com" in page.text
        assert "Read your Jamf Pro inventory" in page.text


async def test_over_plain_http_the_csrf_cookie_has_no_host_prefix_and_no_secure_flag() -> None:
    world = build_world(issuer="http://127.0.0.1:8000")
    async with AsyncTestClient(front_door_app(world), base_url="http://127.0.0.1:8000") as client:
        client_id = (await _register(client, token_endpoint_auth_method="none"))["client_id"]
        code, _, _ = await walk_to_code(
            client, world, client_id, resource="http://127.0.0.1:8000/mcp"
        )
        assert code
        assert "jamf_mcp_csrf" in client.cookies
        assert "__Host-jamf_mcp_csrf" not in client.cookies


async def test_client_supplied_text_is_html_escaped_on_the_consent_page() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        registered = await _register(
            client, client_name='<script>alert("x")</script>', token_endpoint_auth_method="none"
        )
        _, challenge = pkce_pair()
        page = await client.get(
            "/auth/authorize",
            params={
                "response_type": "code",
                "client_id": registered["client_id"],
                "redirect_uri": CHATGPT_REDIRECT,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        assert "<script>" not in page.text
        assert "&lt;script&gt;" in page.text


@pytest.mark.parametrize(
    "redirect_uri", ["https://evil.example/steal", "https://chatgpt.com/connector/oauth/other"]
)
async def test_an_unregistered_redirect_uri_gets_a_400_page_and_no_location(
    redirect_uri: str,
) -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        client_id = (await _register(client, token_endpoint_auth_method="none"))["client_id"]
        _, challenge = pkce_pair()
        page = await client.get(
            "/auth/authorize",
            params={
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        assert page.status_code == 400
        assert "location" not in page.headers
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.headers["x-frame-options"] == "DENY"
        assert "evil.example" not in page.text


async def test_a_duplicated_parameter_gets_an_error_page() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        page = await client.get(
            f"/auth/authorize?client_id=a&redirect_uri={CHATGPT_REDIRECT}&redirect_uri=https://evil.example"
        )
        assert page.status_code == 400
        assert "location" not in page.headers


async def test_consent_without_the_csrf_cookie_is_refused() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        client_id = (await _register(client, token_endpoint_auth_method="none"))["client_id"]
        _, challenge = pkce_pair()
        page = await client.get(
            "/auth/authorize",
            params={
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": CHATGPT_REDIRECT,
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        client.cookies.clear()
        reply = await client.post(
            "/auth/consent", data={**hidden_fields(page.text), "decision": "approve"}
        )
        assert reply.status_code == 403
        assert world.upstream.logins == {}


async def test_the_token_endpoint_wants_a_form_or_a_json_body() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        text = await client.post(
            "/auth/callback",
            content=b"grant_type=authorization_code",
            headers={"Content-Type": "text/plain"},
        )
        assert (text.status_code, text.json()["error"]) == (400, "invalid_request")
        anonymous = await client.post("/auth/callback", json={"grant_type": "authorization_code"})
        assert (anonymous.status_code, anonymous.json()["error"]) == (401, "invalid_client")


async def test_oversized_registrations_are_refused_413() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        reply = await client.post(
            "/auth/register", json={"redirect_uris": [CHATGPT_REDIRECT], "x": "y" * 40_000}
        )
        assert reply.status_code == 413
        assert reply.json()["error"] == "invalid_client_metadata"


class DenyAll:
    """A rate limiter that refuses everything and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def allow(self, endpoint: str, client_key: str) -> bool:
        self.asked.append(endpoint)
        return False


async def test_post_endpoints_consult_the_rate_limiter() -> None:
    world = build_world()
    limiter = DenyAll()
    async with AsyncTestClient(front_door_app(world, limiter), base_url=ISSUER) as client:
        register = await client.post("/auth/register", json={"redirect_uris": [CHATGPT_REDIRECT]})
        token = await client.post("/auth/token", data={"grant_type": "refresh_token"})
        consent = await client.post("/auth/consent", data={"decision": "approve"})
    assert (register.status_code, token.status_code, consent.status_code) == (429, 429, 429)
    assert limiter.asked == ["register", "token", "consent"]
    assert isinstance(world.store, InMemoryOAuthStateStore)


async def test_no_code_token_secret_verifier_or_cookie_reaches_the_logs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        registered = await _register(client, token_endpoint_auth_method="client_secret_post")
        client_id, secret = registered["client_id"], registered["client_secret"]
        code, verifier, _ = await walk_to_code(client, world, client_id)
        csrf = next(iter(client.cookies.values()))
        form = _token_form(client_id, code, verifier) | {"client_secret": secret}
        body = (await client.post("/auth/callback", data=form)).json()
        wrong = await client.post(
            "/auth/callback", data=form | {"client_secret": "wrong-" + secret}
        )
        assert wrong.status_code == 401
        refresh = {
            "grant_type": "refresh_token",
            "client_id": client_id,
            "client_secret": secret,
            "refresh_token": body["refresh_token"],
        }
        rotated = (await client.post("/auth/token", data=refresh)).json()
        world.clock.advance(timedelta(seconds=world.config.refresh_reuse_seconds + 1))
        assert (await client.post("/auth/token", data=refresh)).status_code == 400
        assert (await client.post("/auth/callback", data=form)).status_code == 400
    # The test client's own httpx request log (it prints the URLs it fetches) is not the server's.
    server_log = "\n".join(
        record.getMessage() for record in caplog.records if not record.name.startswith("httpx")
    )
    assert "Issued tokens" in server_log, "the flow should log what happened"
    secrets_seen = [
        secret,
        code,
        verifier,
        csrf,
        body["access_token"],
        body["refresh_token"],
        rotated["access_token"],
        rotated["refresh_token"],
    ]
    for value in secrets_seen:
        assert value not in server_log


async def test_a_json_token_request_needs_and_gets_exactly_what_a_form_does() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        registered = await _register(client, token_endpoint_auth_method="client_secret_post")
        client_id, secret = registered["client_id"], registered["client_secret"]
        code, verifier, answer = await walk_to_code(client, world, client_id)
        form = _token_form(client_id, code, verifier) | {"client_secret": secret}
        # The seed's connector also sends the `state` it got back; an extra parameter is ignored.
        no_pkce = {k: v for k, v in form.items() if k != "code_verifier"}
        refused = await client.post("/auth/callback", json=no_pkce | {"state": answer["state"]})
        assert (refused.status_code, refused.json()["error"]) == (400, "invalid_request")
        wrong_secret = await client.post("/auth/callback", json=form | {"client_secret": "x"})
        assert (wrong_secret.status_code, wrong_secret.json()["error"]) == (401, "invalid_client")
        tokens = await client.post("/auth/callback", json=form | {"state": answer["state"]})
        assert tokens.status_code == 200, tokens.text
        assert tokens.json()["token_type"] == "Bearer" and tokens.json()["refresh_token"]
        refresh = {
            "grant_type": "refresh_token",
            "client_id": client_id,
            "client_secret": secret,
            "refresh_token": tokens.json()["refresh_token"],
        }
        refreshed = await client.post("/auth/token", json=refresh)
        assert refreshed.status_code == 200, refreshed.text


@pytest.mark.parametrize(
    "body",
    [
        b'{"grant_type": "refresh_token", "grant_type": "authorization_code"}',
        b'{"grant_type": "refresh_token", "refresh_token": ["a", "b"]}',
        b'["grant_type", "refresh_token"]',
        b'{"grant_type": ',
        b'{"grant_type": "refresh_token", "refresh_token": 12345}',
    ],
    ids=["repeated", "list-value", "not-an-object", "not-json", "number-value"],
)
async def test_a_json_token_request_that_is_not_one_object_of_strings_is_refused(
    body: bytes,
) -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        reply = await client.post(
            "/auth/callback", content=body, headers={"Content-Type": "application/json"}
        )
    assert (reply.status_code, reply.json()["error"]) == (400, "invalid_request")
