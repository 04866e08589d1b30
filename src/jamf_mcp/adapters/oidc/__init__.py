"""OpenID Connect: token verification, JWKS caching, the upstream IdP client, signing keys."""

from __future__ import annotations

from jamf_mcp.adapters.oidc.discovery import ProviderDiscovery, ProviderMetadata
from jamf_mcp.adapters.oidc.jwks import JwksSource, RemoteJwks, StaticJwks
from jamf_mcp.adapters.oidc.reasons import (
    IdentityProviderUnavailable,
    RejectionReason,
    describe,
)
from jamf_mcp.adapters.oidc.signing import SigningKey, access_token_claims
from jamf_mcp.adapters.oidc.upstream_client import OidcUpstreamClient
from jamf_mcp.adapters.oidc.verifier import OidcTokenVerifier, TrustedIssuer

__all__ = [
    "IdentityProviderUnavailable",
    "JwksSource",
    "OidcTokenVerifier",
    "OidcUpstreamClient",
    "ProviderDiscovery",
    "ProviderMetadata",
    "RejectionReason",
    "RemoteJwks",
    "SigningKey",
    "StaticJwks",
    "TrustedIssuer",
    "access_token_claims",
    "describe",
]
