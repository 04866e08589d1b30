"""The development IdP's discovery, JWKS and login page over HTTP: shapes, headers, refusals."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.dev_idp import BANNER, DevIdentityProvider
from tests.integration.dev_idp.dev_idp_support import (
    CALLBACK,
    ISSUER,
    login_page,
    make_app,
    make_provider,
    post_login,
)
from tests.support.web_forms import forms_in

Client = AsyncTestClient[Litestar]

EXPECTED_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"
)


def assert_page_security_headers(headers: httpx.Headers) -> None:
    assert headers.get("content-security-policy") == EXPECTED_CSP
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("cache-control") == "no-store"
    assert headers.get("referrer-policy") == "no-referrer"


async def test_discovery_document_describes_an_s256_code_flow_provider(client: Client) -> None:
    response = await client.get("/dev-idp/.well-known/openid-configuration")
    assert response.status_code == 200
    document = response.json()
    assert document["issuer"] == ISSUER
    assert document["authorization_endpoint"] == f"{ISSUER}/authorize"
    assert document["token_endpoint"] == f"{ISSUER}/token"
    assert document["jwks_uri"] == f"{ISSUER}/jwks.json"
    assert document["response_types_supported"] == ["code"]
    assert document["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert set(document["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
    }
    assert set(document["scopes_supported"]) >= {
        "openid", "profile", "email", "offline_access", "read:jamf", "write:jamf",
    }  # fmt: skip
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert document["subject_types_supported"] == ["public"]


async def test_jwks_publishes_one_public_rs256_key(
    client: Client, provider: DevIdentityProvider
) -> None:
    keys = (await client.get("/dev-idp/jwks.json")).json()["keys"]
    assert len(keys) == 1
    key = keys[0]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert key["kid"] == provider.signing_key.kid
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


async def test_login_page_has_banner_demo_users_csrf_protection_and_a_browser_binding(
    client: Client, provider: DevIdentityProvider
) -> None:
    page, _, _ = await login_page(client, provider)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert_page_security_headers(page.headers)
    assert BANNER in page.text
    assert "alice" in page.text and "read and write" in page.text
    assert "bob" in page.text and "read only" in page.text
    form = forms_in(page.text)[0]
    assert form.method == "post"
    assert {"username", "password", "csrf_token", "login"} <= set(form.fields)
    assert len(form.fields["csrf_token"]) >= 32
    binding = client.cookies.get("dev_idp_signin_http")
    assert binding is not None and len(binding) >= 43
    assert binding != form.fields["csrf_token"]  # the cookie's value never appears in a page
    assert binding not in page.text
    set_cookie = page.headers["set-cookie"].lower()
    assert (
        "httponly" in set_cookie and "samesite=lax" in set_cookie and "path=/dev-idp" in set_cookie
    )


async def test_request_values_are_html_escaped_on_the_login_page(
    client: Client, provider: DevIdentityProvider
) -> None:
    page, _, _ = await login_page(client, provider, scope="openid <script>alert(1)</script>")
    assert page.status_code == 200
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text


async def test_wrong_password_shows_the_form_again_with_401_and_no_redirect(
    client: Client, provider: DevIdentityProvider
) -> None:
    page, _, _ = await login_page(client, provider)
    wrong = await post_login(client, page, "alice", "not-alices-password")
    unknown = await post_login(client, page, "mallory", "mallory")
    for refused in (wrong, unknown):
        assert refused.status_code == 401
        assert "location" not in refused.headers
        assert "username or password is not right" in refused.text
        assert_page_security_headers(refused.headers)
    # No user enumeration: the refusal for a real user is the stranger's page, name aside.
    assert wrong.text.replace('value="alice"', 'value="mallory"') == unknown.text
    assert (await post_login(client, page, "alice", "alice")).status_code == 303


async def test_login_post_without_the_browser_binding_cookie_is_refused(
    client: Client, provider: DevIdentityProvider
) -> None:
    page, _, _ = await login_page(client, provider)
    client.cookies.clear()
    answer = await post_login(client, page, "alice", "alice")
    assert answer.status_code == 403
    assert "location" not in answer.headers


async def test_unregistered_redirect_uri_gets_an_error_page_never_a_redirect(
    client: Client, provider: DevIdentityProvider
) -> None:
    for overrides in (
        {"redirect_uri": "https://evil.example/callback"},
        {"redirect_uri": CALLBACK + "/extra"},
        {"redirect_uri": None},
        {"client_id": "someone-else"},
    ):
        page, _, _ = await login_page(client, provider, **overrides)
        assert page.status_code == 400, overrides
        assert "location" not in page.headers
        assert_page_security_headers(page.headers)
        assert BANNER in page.text


async def test_missing_pkce_is_reported_to_the_client_at_its_redirect_uri(
    client: Client, provider: DevIdentityProvider
) -> None:
    page, _, query = await login_page(client, provider, code_challenge_method=None)
    assert page.status_code == 303
    location = page.headers["location"]
    assert location.startswith(CALLBACK + "?")
    answer = parse_qs(urlsplit(location).query)
    assert answer["error"] == ["invalid_request"]
    assert answer["state"] == [query["state"]]
    assert answer["iss"] == [ISSUER]


async def test_cancel_sends_access_denied_back_to_the_client(
    client: Client, provider: DevIdentityProvider
) -> None:
    page, _, query = await login_page(client, provider)
    form = forms_in(page.text)[0]
    answer = await client.post("/dev-idp/authorize", data={**form.fields, "action": "cancel"})
    assert answer.status_code == 303
    params = parse_qs(urlsplit(answer.headers["location"]).query)
    assert params["error"] == ["access_denied"]
    assert params["state"] == [query["state"]]


async def test_over_https_the_binding_cookie_is_a_secure_host_cookie(tmp_path: Path) -> None:
    provider = make_provider(tmp_path, public_url="https://jamf-mcp.example.com")
    async with AsyncTestClient(
        app=make_app(provider), base_url="https://jamf-mcp.example.com"
    ) as client:
        page, _, _ = await login_page(
            client, provider, redirect_uri="https://jamf-mcp.example.com/auth/upstream/callback"
        )
    assert page.status_code == 200, page.text
    set_cookie = page.headers["set-cookie"].lower()
    assert set_cookie.startswith("__host-dev_idp_signin=")
    assert "secure" in set_cookie and "path=/;" in set_cookie + ";"
