"""`OidcUpstreamClient`: sign a user in at an upstream OpenID provider (authorization code + PKCE)."""

from __future__ import annotations

import base64
import hmac
import logging
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentity
from jamf_mcp.adapters.oidc.claims import first_string, scopes_from_claims
from jamf_mcp.adapters.oidc.discovery import ProviderDiscovery, ProviderMetadata
from jamf_mcp.adapters.oidc.jwks import RemoteJwks
from jamf_mcp.adapters.oidc.jwt_checks import peek, validate_claims, verify_signature
from jamf_mcp.adapters.oidc.reasons import IdentityProviderUnavailable, RejectionReason, rejected
from jamf_mcp.adapters.system.clock import SystemClock
from jamf_mcp.application.ports import Clock
from jamf_mcp.domain.errors import InvalidToken

_log = logging.getLogger(__name__)
_ID_TOKEN_MAX_BYTES = 16 * 1024
_GRANT_REJECTED = frozenset({"invalid_grant", "access_denied", "invalid_scope"})


class OidcUpstreamClient:
    """An OpenID provider (Auth0, Okta, Entra ID, oidc-provider, the dev IdP) as our upstream.

    Implements `jamf_mcp.adapters.oauth_server.upstream.UpstreamIdentityProvider`. Metadata is discovered lazily and
    cached; the ID token is verified with the provider's JWKS (signature, `iss`, `aud` = our client
    id, `exp`, `nonce`). Granted API scopes come from the access token when it is a JWT for
    `audience`, otherwise from the token response's `scope`, always intersected with `api_scopes`.

    Only Auth0's `audience=` parameter is sent to pick the API; no RFC 8707 `resource=` is sent,
    so providers that need one must be configured with a default resource (as Okta's and
    oidc-provider's default-audience settings do).

    Args:
        issuer: the upstream issuer identifier (exactly as in its tokens).
        client_id: our client registration at the upstream.
        client_secret: its secret, or None for a public client.
        http: the shared client.
        audience: the upstream API identifier whose access tokens carry our scopes, if any.
        api_scopes: the API scopes we ask for and accept.
        extra_scopes: the OpenID scopes always requested.
        clock: the time source.
        leeway: accepted clock skew in seconds.
    """

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str | None,
        http: httpx.AsyncClient,
        *,
        audience: str | None = None,
        api_scopes: frozenset[str] = frozenset({"read:jamf", "write:jamf"}),
        extra_scopes: Sequence[str] = ("openid", "profile", "email", "offline_access"),
        clock: Clock | None = None,
        leeway: int = 30,
    ) -> None:
        self._issuer = issuer
        self._client_id = client_id
        self._client_secret = client_secret
        self._http = http
        self._audience = audience
        self._api_scopes = api_scopes
        self._extra_scopes = tuple(extra_scopes)
        self._clock = clock or SystemClock()
        self._leeway = leeway
        self._discovery = ProviderDiscovery(issuer, http)
        self._jwks = RemoteJwks(issuer, http, clock=self._clock, discovery=self._discovery)

    @property
    def issuer(self) -> str:
        """The upstream issuer identifier."""
        return self._issuer

    def _scope_parameter(self, scopes: Iterable[str]) -> str:
        wanted = [*self._extra_scopes, *(s for s in scopes if s in self._api_scopes)]
        return " ".join(dict.fromkeys(wanted))

    async def authorization_url(
        self,
        *,
        state: str,
        nonce: str,
        code_challenge: str,
        redirect_uri: str,
        scopes: Sequence[str],
    ) -> str:
        """The upstream authorization URL to send the user's browser to (PKCE S256).

        Raises:
            IdentityProviderUnavailable: when the provider's metadata cannot be discovered.
        """
        metadata = await self._discovery.metadata()
        if metadata.authorization_endpoint is None:
            raise IdentityProviderUnavailable(
                f"The identity provider {self._issuer!r} publishes no authorization_endpoint."
            )
        params = {
            "response_type": "code",
            "client_id": self._client_id,
            "redirect_uri": redirect_uri,
            "scope": self._scope_parameter(scopes),
            "state": state,
            "nonce": nonce,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
        if self._audience is not None:
            params["audience"] = self._audience
        separator = "&" if "?" in metadata.authorization_endpoint else "?"
        return f"{metadata.authorization_endpoint}{separator}{urlencode(params, quote_via=quote)}"

    async def exchange_code(
        self, *, code: str, code_verifier: str, redirect_uri: str, nonce: str
    ) -> UpstreamIdentity:
        """Redeem an authorization code and return who signed in with which API scopes.

        Raises:
            InvalidToken: `upstream_rejected` (bad or used code), `bad_nonce`, or any ID-token
                rejection reason.
            IdentityProviderUnavailable: network failures, 5xx, client misconfiguration.
        """
        metadata = await self._discovery.metadata()
        body = await self._token_request(metadata, code, code_verifier, redirect_uri)
        id_token = body.get("id_token")
        if not isinstance(id_token, str):
            raise IdentityProviderUnavailable(
                f"The identity provider {self._issuer!r} returned no ID token; "
                "check that the client may use the 'openid' scope."
            )
        claims = await self._verified(id_token, audiences={self._client_id})
        sent = nonce.encode()
        received = claims.get("nonce")
        if not isinstance(received, str) or not hmac.compare_digest(received.encode(), sent):
            raise rejected(RejectionReason.BAD_NONCE)
        identity = UpstreamIdentity(
            issuer=self._issuer,
            subject=str(claims["sub"]),
            name=first_string(claims, "name", "preferred_username", "nickname"),
            email=first_string(claims, "email"),
            scopes=await self._granted_scopes(body),
        )
        _log.info(
            "upstream sign-in",
            extra={"fields": {"issuer": self._issuer, "subject": identity.subject}},
        )
        return identity

    async def _token_request(
        self, metadata: ProviderMetadata, code: str, code_verifier: str, redirect_uri: str
    ) -> dict[str, Any]:
        if metadata.token_endpoint is None:
            raise IdentityProviderUnavailable(
                f"The identity provider {self._issuer!r} publishes no token_endpoint."
            )
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        headers = {"Accept": "application/json"}
        methods = metadata.token_endpoint_auth_methods
        if self._client_secret is None:
            form["client_id"] = self._client_id
        elif "client_secret_post" in methods and "client_secret_basic" not in methods:
            form.update(client_id=self._client_id, client_secret=self._client_secret)
        else:
            headers["Authorization"] = _basic_credentials(self._client_id, self._client_secret)
        try:
            response = await self._http.post(metadata.token_endpoint, data=form, headers=headers)
        except httpx.HTTPError as error:
            raise IdentityProviderUnavailable(
                f"Could not reach the identity provider's token endpoint ({type(error).__name__})."
            ) from None
        return _token_response_body(response, self._issuer)

    async def _verified(self, token: str, *, audiences: set[str]) -> dict[str, Any]:
        unverified = peek(token, max_bytes=_ID_TOKEN_MAX_BYTES)
        claims = await verify_signature(token, unverified, self._jwks)
        validate_claims(
            claims,
            issuer=self._issuer,
            audiences=audiences,
            now=int(self._clock.now().timestamp()),
            leeway=self._leeway,
        )
        return claims

    async def _granted_scopes(self, body: dict[str, Any]) -> frozenset[str]:
        access_token = body.get("access_token")
        if self._audience is not None and isinstance(access_token, str):
            try:
                claims = await self._verified(access_token, audiences={self._audience})
            except InvalidToken as error:
                _log.debug("upstream access token not usable for scopes: %s", error.reason)
            else:
                return scopes_from_claims(claims) & self._api_scopes
        return scopes_from_claims({"scope": body.get("scope")}) & self._api_scopes


def _basic_credentials(client_id: str, client_secret: str) -> str:
    # RFC 6749 §2.3.1: form-encode both parts before base64 (httpx.BasicAuth does not).
    raw = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
    return "Basic " + base64.b64encode(raw.encode()).decode()


def _token_response_body(response: httpx.Response, issuer: str) -> dict[str, Any]:
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        body = {}
    if response.status_code == 200 and body:
        return body
    error = body.get("error") if isinstance(body.get("error"), str) else None
    if response.status_code in (400, 401, 403) and error in _GRANT_REJECTED:
        _log.info("upstream %s refused the authorization code: %s", issuer, error)
        raise InvalidToken(RejectionReason.UPSTREAM_REJECTED.value, "Sign-in was not accepted")
    if error in ("invalid_client", "unauthorized_client"):
        raise IdentityProviderUnavailable(
            f"The identity provider {issuer!r} rejected this server's client credentials "
            f"({error}); check the client id and secret."
        )
    raise IdentityProviderUnavailable(
        f"The identity provider {issuer!r} answered the token request with HTTP "
        f"{response.status_code}{f' ({error})' if error else ''}."
    )
