"""`OidcUpstreamClient`: sign a user in at an upstream OpenID provider (authorization code + PKCE),
and ask it again later whether the user may still sign in (refresh token, else userinfo)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from jamf_mcp.adapters.oauth_server.upstream import (
    Revalidation,
    UpstreamCredentials,
    UpstreamIdentity,
    UpstreamSignIn,
)
from jamf_mcp.adapters.oidc.claims import first_string, scopes_from_claims
from jamf_mcp.adapters.oidc.discovery import ProviderDiscovery
from jamf_mcp.adapters.oidc.jwks import RemoteJwks
from jamf_mcp.adapters.oidc.jwt_checks import peek, validate_claims, verify_signature
from jamf_mcp.adapters.oidc.reasons import IdentityProviderUnavailable, RejectionReason, rejected
from jamf_mcp.adapters.oidc.upstream_tokens import UpstreamClientCredentials, post_token_request
from jamf_mcp.adapters.oidc.userinfo import ask_userinfo
from jamf_mcp.adapters.system.clock import SystemClock
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.domain.errors import InvalidToken

_log = logging.getLogger(__name__)
_ID_TOKEN_MAX_BYTES = 16 * 1024


class OidcUpstreamClient:
    """An OpenID provider (Auth0, Okta, Entra ID, oidc-provider, the dev IdP) as our upstream.

    Implements `jamf_mcp.adapters.oauth_server.upstream.UpstreamIdentityProvider`. Metadata is discovered lazily and
    cached; the ID token is verified with the provider's JWKS (signature, `iss`, `aud` = our client
    id, `exp`, `nonce`). Granted API scopes come from the access token when it is a JWT for
    `audience`, otherwise from the token response's `scope`, always intersected with `api_scopes`.
    The upstream's refresh token (when it issues one) is what `revalidate` uses later.

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
        self._client = UpstreamClientCredentials(client_id, client_secret)
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
            "client_id": self._client.client_id,
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
    ) -> UpstreamSignIn:
        """Redeem an authorization code: who signed in, with which API scopes, and what to keep.

        Raises:
            InvalidToken: `upstream_rejected` (bad or used code), `bad_nonce`, or any ID-token
                rejection reason.
            IdentityProviderUnavailable: network failures, 5xx, client misconfiguration.
        """
        metadata = await self._discovery.metadata()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        body = await post_token_request(self._http, metadata, self._client, form)
        claims = await self._id_token_claims(body)
        if claims is None:
            raise IdentityProviderUnavailable(
                f"The identity provider {self._issuer!r} returned no ID token; "
                "check that the client may use the 'openid' scope."
            )
        received = claims.get("nonce")
        if not isinstance(received, str) or not hmac.compare_digest(
            received.encode(), nonce.encode()
        ):
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
        return UpstreamSignIn(identity, self._credentials(body, previous=UpstreamCredentials()))

    async def revalidate(
        self, identity: UpstreamIdentity, credentials: UpstreamCredentials
    ) -> Revalidation:
        """Ask the upstream about `identity` again: a refresh grant with its refresh token, else
        its userinfo endpoint while the kept access token lives, else "not active".

        Raises:
            IdentityProviderUnavailable: the upstream could not be asked.
        """
        if credentials.refresh_token is not None:
            return await self._refreshed(identity, credentials)
        expires = credentials.access_expires_at
        now = self._clock.now().timestamp()
        if credentials.access_token is None or (expires is not None and expires <= now):
            return Revalidation(
                active=False,
                reason="the identity provider issued no refresh token and its access token "
                "has expired, so the user cannot be checked again",
            )
        metadata = await self._discovery.metadata()
        return await ask_userinfo(self._http, metadata, identity, credentials)

    async def _refreshed(
        self, identity: UpstreamIdentity, credentials: UpstreamCredentials
    ) -> Revalidation:
        assert credentials.refresh_token is not None
        metadata = await self._discovery.metadata()
        form = {"grant_type": "refresh_token", "refresh_token": credentials.refresh_token}
        try:
            body = await post_token_request(self._http, metadata, self._client, form)
            claims = await self._id_token_claims(body)
        except InvalidToken as refused:
            return Revalidation(active=False, reason=f"refresh refused ({refused.reason})")
        if claims is not None and str(claims.get("sub")) != identity.subject:
            return Revalidation(active=False, reason="the refresh answered for another subject")
        return Revalidation(
            active=True,
            scopes=await self._granted_scopes(body),
            credentials=self._credentials(body, previous=credentials),
        )

    def _credentials(
        self, body: dict[str, Any], *, previous: UpstreamCredentials
    ) -> UpstreamCredentials:
        refresh = body.get("refresh_token")
        if isinstance(refresh, str) and refresh:
            return UpstreamCredentials(refresh_token=refresh)
        if previous.refresh_token is not None:  # the upstream does not rotate its tokens
            return previous
        access, lifetime = body.get("access_token"), body.get("expires_in")
        expires_at = None
        if isinstance(lifetime, int | float) and not isinstance(lifetime, bool):
            expires_at = self._clock.now().timestamp() + float(lifetime)
        return UpstreamCredentials(
            access_token=access if isinstance(access, str) else None, access_expires_at=expires_at
        )

    async def _id_token_claims(self, body: dict[str, Any]) -> dict[str, Any] | None:
        id_token = body.get("id_token")
        if not isinstance(id_token, str):
            return None
        return await self._verified(id_token, audiences={self._client.client_id})

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
