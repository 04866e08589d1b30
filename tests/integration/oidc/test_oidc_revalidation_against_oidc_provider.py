"""Re-checking a user at a real OpenID provider (npm oidc-provider) with its refresh token: still
signed in, lost `write:jamf`, disabled."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from jamf_mcp.adapters.oauth_server import UpstreamSignIn
from jamf_mcp.adapters.oidc import OidcUpstreamClient
from tests.integration.oidc.conftest import AUDIENCE, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI
from tests.integration.oidc.test_oidc_against_oidc_provider import sign_in
from tests.support.oidc_provider import OidcProviderHandle

BOTH = ["read:jamf", "write:jamf"]


@pytest.fixture
async def upstream(oidc_provider: OidcProviderHandle) -> AsyncIterator[OidcUpstreamClient]:
    async with httpx.AsyncClient(timeout=10) as http:
        yield OidcUpstreamClient(
            oidc_provider.issuer, CLIENT_ID, CLIENT_SECRET, http, audience=AUDIENCE
        )


async def _signed_in(upstream: OidcUpstreamClient, username: str) -> UpstreamSignIn:
    code, verifier = await sign_in(upstream, username=username, nonce="n-r", scopes=BOTH)
    return await upstream.exchange_code(
        code=code, code_verifier=verifier, redirect_uri=REDIRECT_URI, nonce="n-r"
    )


async def test_the_sign_in_keeps_the_providers_refresh_token_and_a_recheck_confirms_the_user(
    upstream: OidcUpstreamClient,
) -> None:
    signed_in = await _signed_in(upstream, "rita")
    assert signed_in.credentials.refresh_token
    assert signed_in.credentials.access_token is None  # the refresh token is all we keep
    answer = await upstream.revalidate(signed_in.identity, signed_in.credentials)
    assert answer.active
    assert answer.scopes == frozenset(BOTH)
    again = await upstream.revalidate(signed_in.identity, answer.credentials)
    assert again.active


async def test_a_user_who_lost_write_at_the_provider_is_rechecked_with_read_only(
    upstream: OidcUpstreamClient, oidc_provider: OidcProviderHandle
) -> None:
    signed_in = await _signed_in(upstream, "wendy")
    assert signed_in.identity.scopes == frozenset(BOTH)
    oidc_provider.administer(read_only=["wendy"])
    answer = await upstream.revalidate(signed_in.identity, signed_in.credentials)
    assert answer.active
    assert answer.scopes == frozenset({"read:jamf"})


async def test_a_user_disabled_at_the_provider_is_no_longer_active(
    upstream: OidcUpstreamClient, oidc_provider: OidcProviderHandle
) -> None:
    signed_in = await _signed_in(upstream, "dana")
    oidc_provider.administer(disable=["dana"])
    answer = await upstream.revalidate(signed_in.identity, signed_in.credentials)
    assert not answer.active
    assert "upstream_rejected" in answer.reason
