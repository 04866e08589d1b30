"""The OIDC adapter against a real OpenID provider (npm oidc-provider): discovery, JWKS, code flow."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import httpx
import pytest

from jamf_mcp.adapters.oidc import (
    OidcTokenVerifier,
    OidcUpstreamClient,
    ProviderDiscovery,
    RemoteJwks,
    TrustedIssuer,
)
from jamf_mcp.domain.errors import InvalidToken
from tests.integration.oidc.conftest import AUDIENCE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI
from tests.support.oidc_provider import OidcProviderHandle, complete_login


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def test_discovers_the_provider_and_fetches_its_signing_keys(
    oidc_provider: OidcProviderHandle, http: httpx.AsyncClient
) -> None:
    discovery = ProviderDiscovery(oidc_provider.issuer, http)
    metadata = await discovery.metadata()
    assert metadata.jwks_uri.startswith(oidc_provider.issuer)
    assert "S256" in metadata.code_challenge_methods
    published = (await http.get(metadata.jwks_uri)).json()["keys"]
    signing = next(key for key in published if key.get("use", "sig") == "sig")
    found = await RemoteJwks(oidc_provider.issuer, http, discovery=discovery).find_key(
        signing["kid"]
    )
    assert found.kid == signing["kid"]


async def test_a_jwt_access_token_from_the_code_flow_verifies_into_a_principal(
    oidc_provider: OidcProviderHandle, http: httpx.AsyncClient
) -> None:
    verifier_text, challenge = pkce_pair()
    query = {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT_URI,
        "scope": "openid profile email read:jamf",
        "state": "state-1",
        "nonce": "nonce-1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "resource": AUDIENCE,
    }
    login = await complete_login(
        f"{oidc_provider.issuer}/auth?{urlencode(query)}", username="grace"
    )
    assert login.params["state"] == "state-1"
    metadata = await ProviderDiscovery(oidc_provider.issuer, http).metadata()
    assert metadata.token_endpoint is not None
    response = await http.post(
        metadata.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": login.code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier_text,
            "resource": AUDIENCE,
        },
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    assert response.status_code == 200, response.text
    access_token = response.json()["access_token"]
    assert access_token.count(".") == 2  # a JWT, not an opaque token

    verifier = OidcTokenVerifier(
        [TrustedIssuer(oidc_provider.issuer, {AUDIENCE}, RemoteJwks(oidc_provider.issuer, http))]
    )
    principal = await verifier.verify(access_token)
    assert principal.issuer == oidc_provider.issuer
    assert principal.subject == "grace"
    assert "read:jamf" in principal.scopes
    assert "write:jamf" not in principal.scopes
    assert principal.client_id == CLIENT_ID

    wrong_audience = OidcTokenVerifier(
        [
            TrustedIssuer(
                oidc_provider.issuer,
                {"http://elsewhere.test/mcp"},
                RemoteJwks(oidc_provider.issuer, http),
            )
        ]
    )
    with pytest.raises(InvalidToken) as caught:
        await wrong_audience.verify(access_token)
    assert caught.value.reason == "wrong_audience"


async def sign_in(
    upstream: OidcUpstreamClient, *, username: str, nonce: str, scopes: list[str]
) -> tuple[str, str]:
    verifier_text, challenge = pkce_pair()
    url = await upstream.authorization_url(
        state="state-2",
        nonce=nonce,
        code_challenge=challenge,
        redirect_uri=REDIRECT_URI,
        scopes=scopes,
    )
    login = await complete_login(url, username=username, stop_at=REDIRECT_URI)
    return login.code, verifier_text


async def test_the_upstream_client_returns_who_signed_in_with_granted_api_scopes(
    oidc_provider: OidcProviderHandle, http: httpx.AsyncClient
) -> None:
    upstream = OidcUpstreamClient(
        oidc_provider.issuer, CLIENT_ID, CLIENT_SECRET, http, audience=AUDIENCE
    )
    code, verifier_text = await sign_in(upstream, username="ada", nonce="n-1", scopes=["read:jamf"])
    signed_in = await upstream.exchange_code(
        code=code, code_verifier=verifier_text, redirect_uri=REDIRECT_URI, nonce="n-1"
    )
    identity = signed_in.identity
    assert identity.issuer == oidc_provider.issuer
    assert identity.subject == "ada"
    assert identity.email == "ada@example.test"
    assert identity.name == "User ada"
    assert identity.scopes == frozenset({"read:jamf"})

    with pytest.raises(InvalidToken) as replayed:
        await upstream.exchange_code(
            code=code, code_verifier=verifier_text, redirect_uri=REDIRECT_URI, nonce="n-1"
        )
    assert replayed.value.reason == "upstream_rejected"


async def test_the_upstream_client_grants_both_api_scopes_when_both_are_requested(
    oidc_provider: OidcProviderHandle, http: httpx.AsyncClient
) -> None:
    upstream = OidcUpstreamClient(
        oidc_provider.issuer, CLIENT_ID, CLIENT_SECRET, http, audience=AUDIENCE
    )
    code, verifier_text = await sign_in(
        upstream, username="lin", nonce="n-3", scopes=["read:jamf", "write:jamf"]
    )
    signed_in = await upstream.exchange_code(
        code=code, code_verifier=verifier_text, redirect_uri=REDIRECT_URI, nonce="n-3"
    )
    assert signed_in.identity.scopes == frozenset({"read:jamf", "write:jamf"})


async def test_the_upstream_client_rejects_an_id_token_with_another_nonce(
    oidc_provider: OidcProviderHandle, http: httpx.AsyncClient
) -> None:
    upstream = OidcUpstreamClient(
        oidc_provider.issuer, CLIENT_ID, CLIENT_SECRET, http, audience=AUDIENCE
    )
    code, verifier_text = await sign_in(upstream, username="bob", nonce="n-2", scopes=["read:jamf"])
    with pytest.raises(InvalidToken) as caught:
        await upstream.exchange_code(
            code=code, code_verifier=verifier_text, redirect_uri=REDIRECT_URI, nonce="not-n-2"
        )
    assert caught.value.reason == "bad_nonce"
