"""Composition of sign-in: which verifier, upstream IdP and front door a deployment uses.

Part of the composition root (used by `containers.py` only). Modes:
- `none`: no verifier; every request is the local operator (loopback binds only).
- `dev`: the embedded development IdP at `/dev-idp` is the upstream; the front door and the
  verifier reach it over the app itself (an in-process ASGI transport bound after the app exists).
- `oidc`: Auth0, Okta or any OpenID provider at `OIDC_ISSUER`.
"""

from __future__ import annotations

from typing import Any

import httpx

from jamf_mcp.adapters.dev_idp import DevIdentityProvider
from jamf_mcp.adapters.oauth_server import (
    FrontDoor,
    FrontDoorConfig,
    OAuthStateStore,
    SafeClientMetadataFetcher,
    UpstreamIdentityProvider,
)
from jamf_mcp.adapters.oidc import (
    OidcTokenVerifier,
    OidcUpstreamClient,
    RemoteJwks,
    StaticJwks,
    TrustedIssuer,
)
from jamf_mcp.adapters.oidc.jwt_checks import ACCESS_TOKEN_TYPE
from jamf_mcp.adapters.oidc.signing import SigningKey
from jamf_mcp.adapters.oidc.verifier import TokenObserver
from jamf_mcp.adapters.system import SystemClock
from jamf_mcp.settings import Settings

DEV_IDP_PATH = "/dev-idp"


class LateBoundASGITransport(httpx.AsyncBaseTransport):
    """An ASGI transport to an app that exists only after the wiring is done (the app itself)."""

    def __init__(self) -> None:
        self._inner: httpx.ASGITransport | None = None

    def bind(self, app: Any) -> None:
        """Route every request to `app`."""
        self._inner = httpx.ASGITransport(app=app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Forward to the bound app."""
        if self._inner is None:
            raise httpx.ConnectError("the application is not bound yet", request=request)
        return await self._inner.handle_async_request(request)


def signing_key(settings: Settings) -> SigningKey | None:
    """The front door's key (None when authentication is off)."""
    if settings.auth.mode == "none":
        return None
    return SigningKey.load_or_create(settings.data_dir / "signing-key.json")


def dev_identity_provider(settings: Settings) -> DevIdentityProvider | None:
    """The embedded development IdP, in `dev` mode only."""
    if settings.auth.mode != "dev":
        return None
    return DevIdentityProvider(
        issuer=settings.public_url + DEV_IDP_PATH,
        data_dir=settings.data_dir,
        users=settings.auth.dev_users,
        default_audience=settings.resource_url,
    )


def identity_http(settings: Settings, loopback: LateBoundASGITransport) -> httpx.AsyncClient | None:
    """The HTTP client for the IdP (discovery, JWKS, token exchange) and CIMD documents."""
    if settings.auth.mode == "none":
        return None
    timeout = httpx.Timeout(10.0, connect=5.0)
    if settings.auth.mode == "dev":
        return httpx.AsyncClient(transport=loopback, timeout=timeout, follow_redirects=False)
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False)


def upstream_identity_provider(
    settings: Settings, dev: DevIdentityProvider | None, http: httpx.AsyncClient | None
) -> UpstreamIdentityProvider | None:
    """Where users actually sign in."""
    if http is None:
        return None
    if dev is not None:
        return OidcUpstreamClient(
            dev.issuer, dev.client_id, dev.client_secret, http, audience=settings.resource_url
        )
    auth = settings.auth
    assert auth.oidc_issuer is not None
    assert auth.oidc_client_id is not None
    return OidcUpstreamClient(
        auth.oidc_issuer,
        auth.oidc_client_id,
        auth.oidc_client_secret,
        http,
        audience=auth.oidc_audience,
        extra_scopes=tuple(auth.oidc_extra_scopes.split()),
    )


def token_verifier(
    settings: Settings,
    key: SigningKey | None,
    upstream: UpstreamIdentityProvider | None,
    http: httpx.AsyncClient | None,
    observer: TokenObserver | None = None,
) -> OidcTokenVerifier | None:
    """Trusts our own tokens, and the upstream's access tokens issued for our audience."""
    if key is None or upstream is None or http is None:
        return None
    max_lifetime = settings.auth.max_token_lifetime_seconds
    trusted = [
        TrustedIssuer(
            settings.public_url,
            {settings.resource_url},
            StaticJwks(key.public_jwks()),
            token_type=ACCESS_TOKEN_TYPE,  # we mint them: always `at+jwt`
            max_lifetime_seconds=max_lifetime,
        )
    ]
    upstream_audience = (
        settings.auth.oidc_audience if settings.auth.mode == "oidc" else settings.resource_url
    )
    if upstream_audience:
        remote = RemoteJwks(upstream.issuer, http, cache_seconds=settings.auth.jwks_cache_seconds)
        trusted.append(
            TrustedIssuer(
                upstream.issuer,
                {upstream_audience},
                remote,
                # The development IdP is ours too; Auth0/Okta tokens keep their own `typ`.
                token_type=ACCESS_TOKEN_TYPE if settings.auth.mode == "dev" else None,
                max_lifetime_seconds=max_lifetime,
            )
        )
    return OidcTokenVerifier(trusted, observer=observer)


def metadata_http(settings: Settings) -> httpx.AsyncClient | None:
    """The client that fetches Client ID Metadata Documents from the internet (never the app)."""
    if settings.auth.mode == "none":
        return None
    return httpx.AsyncClient(follow_redirects=False)


def front_door(
    settings: Settings,
    key: SigningKey | None,
    upstream: UpstreamIdentityProvider | None,
    cimd_http: httpx.AsyncClient | None,
    store: OAuthStateStore,
) -> FrontDoor | None:
    """The OAuth authorization-server facade ChatGPT and other clients sign in through."""
    if key is None or upstream is None or cimd_http is None:
        return None
    clock = SystemClock()
    config = FrontDoorConfig(
        issuer=settings.public_url,
        resource=settings.resource_url,
        access_token_ttl=settings.auth.access_token_ttl_seconds,
        refresh_token_ttl=settings.auth.refresh_token_ttl_seconds,
    )
    cimd = SafeClientMetadataFetcher(cimd_http, clock)
    return FrontDoor(config, key, upstream, store, cimd, clock)
