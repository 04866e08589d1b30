"""The front door's new HTTP surface: the browser-binding cookie, `/auth/revoke` (RFC 7009) and
the JSON-only registration endpoint."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

from tests.integration.oauth_server.oauth_http_support import front_door_app, hidden_fields
from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    ISSUER,
    RESOURCE,
    build_world,
    pkce_pair,
    query_of,
)


async def _public_client(client: AsyncTestClient[Any]) -> str:
    body = {"redirect_uris": [CHATGPT_REDIRECT], "token_endpoint_auth_method": "none"}
    reply = await client.post("/auth/register", json=body)
    assert reply.status_code == 201, reply.text
    return str(reply.json()["client_id"])


async def _approve(client: AsyncTestClient[Any], client_id: str) -> Any:
    _, challenge = pkce_pair()
    page = await client.get(
        "/auth/authorize",
        params={
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": CHATGPT_REDIRECT,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "resource": RESOURCE,
        },
    )
    assert page.status_code == 200, page.text
    form = {**hidden_fields(page.text), "decision": "approve"}
    return await client.post("/auth/consent", data=form, follow_redirects=False)


async def test_approving_consent_sets_a_secure_host_only_binding_cookie_never_shown_in_a_page() -> (
    None
):
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        approved = await _approve(client, await _public_client(client))
    assert approved.status_code == 303
    cookie = approved.headers["set-cookie"]
    assert cookie.startswith("__Host-jamf_mcp_signin=")
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie
    assert "Path=/" in cookie and "Domain" not in cookie
    value = client.cookies["__Host-jamf_mcp_signin"]
    assert len(value) == 43 and value not in approved.headers["location"]
    assert value != client.cookies["__Host-jamf_mcp_csrf"]


async def test_a_callback_without_the_binding_cookie_is_an_error_page_without_a_location() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        approved = await _approve(client, await _public_client(client))
        state = query_of(approved.headers["location"])["state"]
        code = world.upstream.sign_in(state)
        client.cookies.delete("__Host-jamf_mcp_signin")
        back = await client.get(
            "/auth/upstream/callback",
            params={"state": state, "code": code},
            follow_redirects=False,
        )
    assert back.status_code == 403
    assert "location" not in back.headers
    assert "started in another browser" in back.text
    assert back.headers["cache-control"] == "no-store"


TEXT = {"Content-Type": "text/plain"}


async def test_the_revocation_endpoint_takes_a_form_and_answers_200_for_unknown_tokens() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        client_id = await _public_client(client)
        unknown = await client.post(
            "/auth/revoke", data={"client_id": client_id, "token": "never-issued"}
        )
        as_json = await client.post("/auth/revoke", json={"client_id": client_id, "token": "x"})
        as_text = await client.post(
            "/auth/revoke", content=f"client_id={client_id}&token=x", headers=TEXT
        )
        anonymous = await client.post("/auth/revoke", data={"token": "x"})
    assert (unknown.status_code, unknown.json()) == (200, {})
    assert unknown.headers["cache-control"] == "no-store"
    assert (as_json.status_code, as_json.json()) == (200, {})  # the same parameters as JSON
    assert (as_text.status_code, as_text.json()["error"]) == (400, "invalid_request")
    assert (anonymous.status_code, anonymous.json()["error"]) == (401, "invalid_client")


async def test_registration_must_be_json() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        form = await client.post(
            "/auth/register",
            content=b"redirect_uris=x",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        charset = await client.post(
            "/auth/register",
            content=b'{"redirect_uris": ["https://chatgpt.com/connector_platform_oauth_redirect"]}',
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
    assert (form.status_code, form.json()["error"]) == (415, "invalid_client_metadata")
    assert charset.status_code == 201
