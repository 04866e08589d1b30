"""The doctor's look at an identity provider, against a real OpenID provider (npm oidc-provider):
its discovery document, PKCE methods and JWKS; an issuer spelled differently is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from jamf_mcp.adapters.oidc.provider_info import OidcProviderInfo
from jamf_mcp.domain.diagnostics import IdentityProviderProblem
from tests.support.oidc_provider import OidcProviderHandle


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=10) as client:
        yield client


async def test_reads_the_providers_endpoints_pkce_methods_and_signature_keys(
    oidc_provider: OidcProviderHandle, http: httpx.AsyncClient
) -> None:
    facts = await OidcProviderInfo(oidc_provider.issuer, http).discover()
    assert facts.discovery_url == oidc_provider.discovery_url
    assert facts.authorization_endpoint and facts.authorization_endpoint.startswith(
        oidc_provider.issuer
    )
    assert facts.token_endpoint and facts.token_endpoint.startswith(oidc_provider.issuer)
    assert "S256" in facts.code_challenge_methods
    assert facts.signing_keys >= 1


async def test_an_issuer_spelled_otherwise_than_in_the_providers_tokens_is_a_problem(
    oidc_provider: OidcProviderHandle, http: httpx.AsyncClient
) -> None:
    with pytest.raises(IdentityProviderProblem) as problem:
        await OidcProviderInfo(oidc_provider.issuer + "/", http).discover()
    assert "issuer" in str(problem.value)


async def test_an_unreachable_provider_is_a_problem(http: httpx.AsyncClient) -> None:
    with pytest.raises(IdentityProviderProblem) as problem:
        await OidcProviderInfo("http://127.0.0.1:9", http).discover()
    assert "Could not discover" in str(problem.value)
