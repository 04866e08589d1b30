"""RemoteJwks: discovery (OIDC, then RFC 8414), caching, rotation and the unknown-kid rate limit."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from jamf_mcp.adapters.oidc import OidcTokenVerifier, RemoteJwks, TrustedIssuer
from jamf_mcp.adapters.oidc.discovery import metadata_urls
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


def test_metadata_urls_try_oidc_discovery_then_rfc8414_with_path_insertion() -> None:
    assert metadata_urls("https://auth.test/tenant1") == (
        "https://auth.test/tenant1/.well-known/openid-configuration",
        "https://auth.test/.well-known/oauth-authorization-server/tenant1",
    )
    assert metadata_urls("https://auth.test/") == (
        "https://auth.test/.well-known/openid-configuration",
        "https://auth.test/.well-known/oauth-authorization-server",
    )


async def test_caches_the_key_set_across_many_tokens() -> None:
    key = rsa_key()
    idp = FakeIdentityProvider(jwks=jwks_of(key))
    async with idp.client() as http:
        verifier = OidcTokenVerifier(
            [TrustedIssuer(ISSUER, {AUDIENCE}, RemoteJwks(ISSUER, http, clock=clock()))],
            clock=clock(),
        )
        for _ in range(20):
            await verifier.verify(sign(key, claims()))
    assert idp.jwks_requests == 1


async def test_refreshes_the_key_set_after_cache_seconds() -> None:
    key, fixed = rsa_key(), clock()
    idp = FakeIdentityProvider(jwks=jwks_of(key))
    async with idp.client() as http:
        source = RemoteJwks(ISSUER, http, clock=fixed, cache_seconds=600)
        await source.find_key(key.kid)
        fixed.advance(timedelta(seconds=599))
        await source.find_key(key.kid)
        assert idp.jwks_requests == 1
        fixed.advance(timedelta(seconds=2))
        await source.find_key(key.kid)
    assert idp.jwks_requests == 2


async def test_accepts_a_rotated_in_key_after_exactly_one_refetch() -> None:
    old, new, fixed = rsa_key("old"), rsa_key("new"), clock()
    idp = FakeIdentityProvider(jwks=jwks_of(old))
    async with idp.client() as http:
        verifier = OidcTokenVerifier(
            [TrustedIssuer(ISSUER, {AUDIENCE}, RemoteJwks(ISSUER, http, clock=fixed))], clock=fixed
        )
        await verifier.verify(sign(old, claims()))
        idp.jwks = jwks_of(old, new)
        principal = await verifier.verify(sign(new, claims()))
    assert principal.subject == "user-42"
    assert idp.jwks_requests == 2


async def test_a_flood_of_bogus_kids_causes_at_most_one_refetch() -> None:
    key, fixed = rsa_key(), clock()
    idp = FakeIdentityProvider(jwks=jwks_of(key))
    async with idp.client() as http:
        verifier = OidcTokenVerifier(
            [TrustedIssuer(ISSUER, {AUDIENCE}, RemoteJwks(ISSUER, http, clock=fixed))], clock=fixed
        )
        await verifier.verify(sign(key, claims()))
        before = idp.jwks_requests
        forgers = [rsa_key(f"bogus-{n}") for n in range(3)]
        bogus = [sign(forgers[n % 3], claims(jti=str(n)), kid=f"bogus-{n}") for n in range(100)]
        results = await asyncio.gather(
            *(verifier.verify(token) for token in bogus), return_exceptions=True
        )
    assert all(isinstance(r, InvalidToken) and r.reason == "unknown_key" for r in results)
    assert idp.jwks_requests - before <= 1


async def test_allows_another_unknown_kid_refetch_after_min_refetch_seconds() -> None:
    key, fixed = rsa_key(), clock()
    idp = FakeIdentityProvider(jwks=jwks_of(key))
    async with idp.client() as http:
        source = RemoteJwks(ISSUER, http, clock=fixed, min_refetch_seconds=30)
        await source.find_key(key.kid)
        for _ in range(2):
            with pytest.raises(InvalidToken):
                await source.find_key("nope")
        assert idp.jwks_requests == 2
        fixed.advance(timedelta(seconds=31))
        with pytest.raises(InvalidToken):
            await source.find_key("nope")
    assert idp.jwks_requests == 3


async def test_falls_back_to_rfc8414_metadata_for_an_issuer_with_a_path() -> None:
    key = rsa_key()
    idp = FakeIdentityProvider(
        issuer="https://auth.test/tenant1", jwks=jwks_of(key), oidc_discovery=False
    )
    async with idp.client() as http:
        found = await RemoteJwks(idp.issuer, http, clock=clock()).find_key(key.kid)
    assert found.kid == key.kid
    assert "https://auth.test/.well-known/oauth-authorization-server/tenant1" in idp.requests


async def test_refuses_metadata_that_names_a_different_issuer() -> None:
    idp = FakeIdentityProvider(jwks=jwks_of(rsa_key()), advertised_issuer="https://evil.test")
    async with idp.client() as http:
        with pytest.raises(InvalidToken) as caught:
            await RemoteJwks(ISSUER, http, clock=clock()).find_key("rsa-1")
    assert caught.value.reason == "jwks_unavailable"
    assert idp.jwks_requests == 0


async def test_reports_jwks_unavailable_when_the_provider_is_down() -> None:
    async def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(down)) as http:
        with pytest.raises(InvalidToken) as caught:
            await RemoteJwks(ISSUER, http, clock=clock()).find_key("rsa-1")
    assert caught.value.reason == "jwks_unavailable"


async def test_keeps_serving_cached_keys_when_a_refresh_fails() -> None:
    key, fixed = rsa_key(), clock()
    idp = FakeIdentityProvider(jwks=jwks_of(key))
    async with idp.client() as http:
        source = RemoteJwks(ISSUER, http, clock=fixed, cache_seconds=60)
        await source.find_key(key.kid)
        idp.jwks_status = 503
        fixed.advance(timedelta(seconds=61))
        assert (await source.find_key(key.kid)).kid == key.kid
    assert idp.jwks_requests == 2


async def test_backs_off_after_a_failed_first_fetch() -> None:
    fixed = clock()
    idp = FakeIdentityProvider(jwks={"keys": []}, jwks_status=503)
    async with idp.client() as http:
        source = RemoteJwks(ISSUER, http, clock=fixed, failure_backoff_seconds=5)
        for _ in range(10):
            with pytest.raises(InvalidToken):
                await source.find_key("rsa-1")
        assert idp.jwks_requests == 1
        fixed.advance(timedelta(seconds=6))
        with pytest.raises(InvalidToken):
            await source.find_key("rsa-1")
    assert idp.jwks_requests == 2
