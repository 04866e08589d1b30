"""OidcUpstreamClient.revalidate against a scripted provider: the refresh grant (RFC 6749 §6) and
the userinfo endpoint (OpenID Connect Core §5.3), including refusals and outages.

The fake provider answers as those documents specify: a refresh token that no longer works is
`400 {"error": "invalid_grant"}` (RFC 6749 §5.2); a userinfo request with a revoked or expired
token is `401` with a `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

import attrs
import httpx
import pytest
from joserfc.jwk import RSAKey

from jamf_mcp.adapters.oauth_server import UpstreamCredentials, UpstreamIdentity
from jamf_mcp.adapters.oidc import IdentityProviderUnavailable, OidcUpstreamClient
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

CLIENT_ID, SECRET = "jamf-mcp", "front-door-secret"
ALICE = UpstreamIdentity(ISSUER, "user-42", "Ada", None, frozenset({"read:jamf", "write:jamf"}))


@attrs.define
class Provider:
    """Token and userinfo endpoints that answer whatever the test prepared."""

    idp: FakeIdentityProvider
    key: RSAKey
    token_status: int = 200
    token_body: dict[str, Any] = attrs.field(factory=dict)
    userinfo_status: int = 200
    userinfo_body: dict[str, Any] = attrs.field(factory=lambda: {"sub": "user-42"})
    userinfo: bool = True
    forms: list[dict[str, list[str]]] = attrs.field(factory=list)
    bearer: list[str | None] = attrs.field(factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/.well-known/openid-configuration":
            document = self.idp.metadata()
            if self.userinfo:
                document["userinfo_endpoint"] = f"{ISSUER}/userinfo"
            return httpx.Response(200, json=document)
        if request.url.path == "/token":
            self.forms.append(parse_qs(request.content.decode()))
            return httpx.Response(self.token_status, json=self.token_body)
        if request.url.path == "/userinfo":
            self.bearer.append(request.headers.get("authorization"))
            return httpx.Response(self.userinfo_status, json=self.userinfo_body)
        return self.idp.handle(request)


@pytest.fixture
def provider() -> Provider:
    key = rsa_key()
    return Provider(FakeIdentityProvider(jwks=jwks_of(key)), key)


async def revalidate(provider: Provider, credentials: UpstreamCredentials, **kwargs: Any) -> Any:
    async with httpx.AsyncClient(transport=httpx.MockTransport(provider.handle)) as http:
        upstream = OidcUpstreamClient(ISSUER, CLIENT_ID, SECRET, http, clock=clock(), **kwargs)
        return await upstream.revalidate(ALICE, credentials)


def access_token(provider: Provider, scope: str) -> str:
    return sign(provider.key, claims(scope=scope, aud=AUDIENCE))


async def test_a_refresh_confirms_the_user_with_the_scopes_of_the_new_access_token(
    provider: Provider,
) -> None:
    provider.token_body = {
        "access_token": access_token(provider, "read:jamf"),
        "refresh_token": "rotated-refresh",
        "id_token": sign(provider.key, claims(aud=CLIENT_ID), typ="JWT"),
    }
    answer = await revalidate(
        provider, UpstreamCredentials(refresh_token="old-refresh"), audience=AUDIENCE
    )
    assert answer.active
    assert answer.scopes == frozenset({"read:jamf"})  # write:jamf was taken away at the IdP
    assert answer.credentials.refresh_token == "rotated-refresh"
    form = provider.forms[0]
    assert form["grant_type"] == ["refresh_token"]
    assert form["refresh_token"] == ["old-refresh"]


async def test_a_provider_that_does_not_rotate_keeps_the_old_refresh_token(
    provider: Provider,
) -> None:
    provider.token_body = {"access_token": "opaque", "scope": "read:jamf write:jamf"}
    answer = await revalidate(provider, UpstreamCredentials(refresh_token="kept"))
    assert answer.active and answer.credentials.refresh_token == "kept"


@pytest.mark.parametrize("status", [400, 401])
async def test_a_refused_refresh_means_the_user_is_no_longer_signed_in(
    provider: Provider, status: int
) -> None:
    provider.token_status, provider.token_body = status, {"error": "invalid_grant"}
    answer = await revalidate(provider, UpstreamCredentials(refresh_token="revoked"))
    assert not answer.active
    assert "upstream_rejected" in answer.reason


async def test_an_id_token_for_another_subject_ends_the_sign_in(provider: Provider) -> None:
    provider.token_body = {
        "access_token": "opaque",
        "scope": "read:jamf",
        "id_token": sign(provider.key, claims(aud=CLIENT_ID, sub="someone-else"), typ="JWT"),
    }
    answer = await revalidate(provider, UpstreamCredentials(refresh_token="r"))
    assert not answer.active


@pytest.mark.parametrize(
    ("status", "body"),
    [(500, {}), (503, {"error": "temporarily_unavailable"}), (401, {"error": "invalid_client"})],
)
async def test_an_outage_or_our_own_misconfiguration_is_not_the_users_fault(
    provider: Provider, status: int, body: dict[str, Any]
) -> None:
    provider.token_status, provider.token_body = status, body
    with pytest.raises(IdentityProviderUnavailable):
        await revalidate(provider, UpstreamCredentials(refresh_token="r"))


async def test_without_a_refresh_token_userinfo_confirms_the_user_while_the_access_token_lives(
    provider: Provider,
) -> None:
    later = clock().now() + timedelta(minutes=30)
    credentials = UpstreamCredentials(access_token="at-1", access_expires_at=later.timestamp())
    answer = await revalidate(provider, credentials)
    assert answer.active
    assert answer.scopes is None  # userinfo says nothing about API scopes
    assert provider.bearer == ["Bearer at-1"]


@pytest.mark.parametrize("status", [401, 403])
async def test_userinfo_refusing_the_token_means_the_user_is_gone(
    provider: Provider, status: int
) -> None:
    provider.userinfo_status, provider.userinfo_body = status, {"error": "invalid_token"}
    answer = await revalidate(provider, UpstreamCredentials(access_token="at-1"))
    assert not answer.active


async def test_userinfo_for_another_subject_means_the_user_is_gone(provider: Provider) -> None:
    provider.userinfo_body = {"sub": "someone-else"}
    answer = await revalidate(provider, UpstreamCredentials(access_token="at-1"))
    assert not answer.active


async def test_with_an_expired_access_token_and_no_refresh_token_nothing_can_vouch_for_the_user(
    provider: Provider,
) -> None:
    earlier = clock().now() - timedelta(seconds=1)
    credentials = UpstreamCredentials(access_token="at-1", access_expires_at=earlier.timestamp())
    answer = await revalidate(provider, credentials)
    assert not answer.active
    assert provider.bearer == []  # not even asked
    assert not (await revalidate(provider, UpstreamCredentials())).active


async def test_a_provider_without_userinfo_cannot_vouch_without_a_refresh_token(
    provider: Provider,
) -> None:
    provider.userinfo = False
    answer = await revalidate(provider, UpstreamCredentials(access_token="at-1"))
    assert not answer.active


async def test_the_code_exchange_keeps_the_refresh_token_or_else_the_access_token(
    provider: Provider,
) -> None:
    id_token = sign(provider.key, claims(aud=CLIENT_ID, nonce="n"), typ="JWT")
    async with httpx.AsyncClient(transport=httpx.MockTransport(provider.handle)) as http:
        upstream = OidcUpstreamClient(ISSUER, CLIENT_ID, SECRET, http, clock=clock())
        provider.token_body = {"id_token": id_token, "refresh_token": "rt", "access_token": "at"}
        with_refresh = await upstream.exchange_code(
            code="c", code_verifier="v", redirect_uri="https://x/cb", nonce="n"
        )
        provider.token_body = {"id_token": id_token, "access_token": "at", "expires_in": 3600}
        without = await upstream.exchange_code(
            code="c", code_verifier="v", redirect_uri="https://x/cb", nonce="n"
        )
    assert with_refresh.credentials == UpstreamCredentials(refresh_token="rt")
    assert without.credentials.refresh_token is None
    assert without.credentials.access_token == "at"
    assert without.credentials.access_expires_at == clock().now().timestamp() + 3600
    assert "rt" not in repr(with_refresh) and "'at'" not in repr(without)
