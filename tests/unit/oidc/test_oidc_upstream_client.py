"""OidcUpstreamClient against a fake provider: the authorize URL, code exchange, ID-token checks."""

from __future__ import annotations

import base64
import logging
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
import pytest
from joserfc.jwk import RSAKey

from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentityProvider
from jamf_mcp.adapters.oidc import IdentityProviderUnavailable, OidcUpstreamClient
from jamf_mcp.domain.errors import InvalidToken
from tests.unit.oidc.oidc_fakes import (
    AUDIENCE,
    ISSUER,
    FakeIdentityProvider,
    claims,
    clock,
    jwks_of,
    rsa_key,
    sign,
)

CLIENT_ID, SECRET = "jamf-mcp", "s3cr3t-value/with+chars"
CODE, VERIFIER, NONCE = "the-auth-code-123", "the-verifier-456", "the-nonce-789"
REDIRECT = "https://mcp.example.test/auth/upstream/callback"


@attrs.define
class TokenEndpoint:
    """The fake provider's token endpoint: answers with whatever the test prepared."""

    idp: FakeIdentityProvider
    key: RSAKey
    status: int = 200
    body: dict[str, Any] = attrs.field(factory=dict)
    auth_methods: list[str] | None = None
    forms: list[dict[str, list[str]]] = attrs.field(factory=list)
    authorizations: list[str | None] = attrs.field(factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration" and self.auth_methods:
            return httpx.Response(
                200,
                json=self.idp.metadata()
                | {"token_endpoint_auth_methods_supported": self.auth_methods},
            )
        if request.url.path == "/token":
            self.forms.append(parse_qs(request.content.decode()))
            self.authorizations.append(request.headers.get("Authorization"))
            return httpx.Response(self.status, json=self.body)
        return self.idp.handle(request)


def id_token(key: RSAKey, **overrides: Any) -> str:
    values = {
        "aud": CLIENT_ID,
        "nonce": NONCE,
        "scope": None,
        "email": "ada@example.test",
        "name": "Ada",
    } | overrides
    return sign(key, claims(**values), typ="JWT")


@pytest.fixture
def endpoint() -> TokenEndpoint:
    key = rsa_key()
    return TokenEndpoint(FakeIdentityProvider(jwks=jwks_of(key)), key)


def client(http: httpx.AsyncClient, **kwargs: Any) -> OidcUpstreamClient:
    return OidcUpstreamClient(ISSUER, CLIENT_ID, SECRET, http, clock=clock(), **kwargs)


async def exchange(endpoint: TokenEndpoint, **kwargs: Any) -> Any:
    """The identity of a code exchange (the credentials kept are tested in the revalidation tests)."""
    async with httpx.AsyncClient(transport=httpx.MockTransport(endpoint.handle)) as http:
        signed_in = await client(http, **kwargs).exchange_code(
            code=CODE, code_verifier=VERIFIER, redirect_uri=REDIRECT, nonce=NONCE
        )
    return signed_in.identity


async def test_builds_an_authorization_url_with_pkce_nonce_and_audience(
    endpoint: TokenEndpoint,
) -> None:
    async with httpx.AsyncClient(transport=httpx.MockTransport(endpoint.handle)) as http:
        url = await client(http, audience=AUDIENCE).authorization_url(
            state="st",
            nonce="nn",
            code_challenge="cc",
            redirect_uri=REDIRECT,
            scopes=["read:jamf", "openid", "admin:everything"],
        )
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{ISSUER}/authorize"
    assert query == {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "scope": "openid profile email offline_access read:jamf",
        "state": "st",
        "nonce": "nn",
        "code_challenge": "cc",
        "code_challenge_method": "S256",
        "audience": AUDIENCE,
    }


async def test_exchanges_a_code_with_basic_auth_and_returns_the_identity(
    endpoint: TokenEndpoint,
) -> None:
    endpoint.body = {
        "id_token": id_token(endpoint.key),
        "access_token": "opaque",
        "scope": "openid read:jamf write:jamf admin",
    }
    identity = await exchange(endpoint)
    assert (identity.issuer, identity.subject, identity.name, identity.email) == (
        ISSUER,
        "user-42",
        "Ada",
        "ada@example.test",
    )
    assert identity.scopes == frozenset({"read:jamf", "write:jamf"})
    assert endpoint.forms[0] == {
        "grant_type": ["authorization_code"],
        "code": [CODE],
        "redirect_uri": [REDIRECT],
        "code_verifier": [VERIFIER],
    }
    expected = base64.b64encode(b"jamf-mcp:s3cr3t-value%2Fwith%2Bchars").decode()
    assert endpoint.authorizations[0] == f"Basic {expected}"


async def test_uses_client_secret_post_when_that_is_all_the_provider_supports(
    endpoint: TokenEndpoint,
) -> None:
    endpoint.auth_methods = ["client_secret_post"]
    endpoint.body = {"id_token": id_token(endpoint.key), "scope": "read:jamf"}
    await exchange(endpoint)
    assert endpoint.authorizations[0] is None
    assert endpoint.forms[0]["client_secret"] == [SECRET]


async def test_takes_scopes_from_a_jwt_access_token_for_the_audience(
    endpoint: TokenEndpoint,
) -> None:
    access = sign(endpoint.key, claims(aud=AUDIENCE, scope=None, permissions=["write:jamf"]))
    endpoint.body = {
        "id_token": id_token(endpoint.key),
        "access_token": access,
        "scope": "read:jamf",
    }
    identity = await exchange(endpoint, audience=AUDIENCE)
    assert identity.scopes == frozenset({"write:jamf"})


async def test_rejects_an_id_token_with_the_wrong_nonce(endpoint: TokenEndpoint) -> None:
    endpoint.body = {"id_token": id_token(endpoint.key, nonce="replayed")}
    with pytest.raises(InvalidToken) as caught:
        await exchange(endpoint)
    assert caught.value.reason == "bad_nonce"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"aud": "someone-else"}, "wrong_audience"),
        ({"iss": "https://evil.test"}, "wrong_issuer"),
        ({"exp": 1}, "expired"),
    ],
)
async def test_rejects_an_id_token_for_another_client_issuer_or_time(
    endpoint: TokenEndpoint, overrides: dict[str, Any], reason: str
) -> None:
    endpoint.body = {"id_token": id_token(endpoint.key, **overrides)}
    with pytest.raises(InvalidToken) as caught:
        await exchange(endpoint)
    assert caught.value.reason == reason


async def test_rejects_an_id_token_signed_by_a_stranger(endpoint: TokenEndpoint) -> None:
    endpoint.body = {"id_token": id_token(rsa_key("rsa-1"))}
    with pytest.raises(InvalidToken) as caught:
        await exchange(endpoint)
    assert caught.value.reason == "bad_signature"


async def test_reports_a_refused_code_as_upstream_rejected(endpoint: TokenEndpoint) -> None:
    endpoint.status, endpoint.body = 400, {"error": "invalid_grant"}
    with pytest.raises(InvalidToken) as caught:
        await exchange(endpoint)
    assert caught.value.reason == "upstream_rejected"


@pytest.mark.parametrize(
    ("status", "body", "text"),
    [
        (401, {"error": "invalid_client"}, "client credentials"),
        (503, {}, "HTTP 503"),
        (200, {"access_token": "x"}, "no ID token"),
    ],
)
async def test_reports_provider_trouble_as_identity_provider_unavailable(
    endpoint: TokenEndpoint, status: int, body: dict[str, Any], text: str
) -> None:
    endpoint.status, endpoint.body = status, body
    with pytest.raises(IdentityProviderUnavailable, match=text):
        await exchange(endpoint)


async def test_logs_no_code_verifier_secret_or_token(
    endpoint: TokenEndpoint, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = id_token(endpoint.key)
    endpoint.body = {"id_token": token, "access_token": "access-secret-xyz", "scope": "read:jamf"}
    await exchange(endpoint, audience=AUDIENCE)
    endpoint.status, endpoint.body = 400, {"error": "invalid_grant"}
    with pytest.raises(InvalidToken):
        await exchange(endpoint)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "upstream sign-in" in logged
    for secret in (CODE, VERIFIER, NONCE, SECRET, "access-secret-xyz", *token.split(".")):
        assert secret not in logged


async def test_implements_the_front_doors_upstream_identity_provider_port() -> None:
    async with httpx.AsyncClient() as http:
        provider: UpstreamIdentityProvider = client(http)  # mypy checks the structure
        assert provider.issuer == ISSUER
