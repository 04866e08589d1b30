"""`OidcProviderInfo`: an OpenID provider's discovery document and JWKS, for `jamf-mcp doctor`.

Discovery is the same as signing in uses (`ProviderDiscovery`: OpenID discovery, then RFC 8414,
and the published `issuer` must equal the configured one exactly); the JWKS is fetched from the
document's `jwks_uri` and must hold at least one signature key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
from joserfc.errors import JoseError

from jamf_mcp.adapters.oidc.discovery import ProviderDiscovery, metadata_urls
from jamf_mcp.adapters.oidc.jwks import import_jwks
from jamf_mcp.adapters.oidc.reasons import IdentityProviderUnavailable
from jamf_mcp.application.ports.doctor import ProviderFacts
from jamf_mcp.domain.diagnostics import IdentityProviderProblem


class OidcProviderInfo:
    """Implements `IdentityProviderInfo` for one issuer.

    Args:
        issuer: The issuer identifier exactly as configured (`OIDC_ISSUER`).
        http: A client for the provider's public documents.
    """

    def __init__(self, issuer: str, http: httpx.AsyncClient) -> None:
        self._issuer = issuer
        self._http = http

    async def discover(self) -> ProviderFacts:
        """The discovery document's endpoints and the number of signature keys in the JWKS."""
        try:
            metadata = await ProviderDiscovery(self._issuer, self._http).metadata()
        except IdentityProviderUnavailable as error:
            raise IdentityProviderProblem(error.message) from None
        try:
            response = await self._http.get(
                metadata.jwks_uri, headers={"Accept": "application/json"}
            )
        except httpx.HTTPError as error:
            raise IdentityProviderProblem(
                f"The JWKS at {metadata.jwks_uri} did not answer ({type(error).__name__})."
            ) from None
        if response.status_code != 200:
            raise IdentityProviderProblem(
                f"The JWKS at {metadata.jwks_uri} answered HTTP {response.status_code}."
            )
        try:
            document = response.json()
            keys = import_jwks(document if isinstance(document, dict) else {})
        except (ValueError, JoseError):
            raise IdentityProviderProblem(
                f"{metadata.jwks_uri} is not a JSON Web Key Set."
            ) from None
        signing = [key for key in keys.keys if key.get("use") in (None, "sig")]
        return ProviderFacts(
            discovery_url=metadata_urls(self._issuer)[0],
            authorization_endpoint=metadata.authorization_endpoint,
            token_endpoint=metadata.token_endpoint,
            code_challenge_methods=metadata.code_challenge_methods,
            signing_keys=len(signing),
        )


if TYPE_CHECKING:
    from jamf_mcp.application.ports.doctor import IdentityProviderInfo

    _implements: type[IdentityProviderInfo] = OidcProviderInfo
