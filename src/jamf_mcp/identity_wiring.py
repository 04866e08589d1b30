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

from jamf_mcp.adapters.dev_idp import DevIdentityProvider, DevIdpState, InMemoryDevIdpState
from jamf_mcp.adapters.local_files.oauth_clients import (
    OAUTH_CLIENTS_FILE,
    FilePreRegisteredClients,
)
from jamf_mcp.adapters.memory import InMemoryRateLimiter
from jamf_mcp.adapters.oauth_server import (
    AccessDenylist,
    DenylistCheck,
    FrontDoor,
    FrontDoorConfig,
    InMemoryAccessDenylist,
    OAuthStateStore,
    SafeClientMetadataFetcher,
    UpstreamIdentityProvider,
)
from jamf_mcp.adapters.oauth_server.assertion_replay import (
    AssertionReplayCache,
    InMemoryAssertionReplays,
)
from jamf_mcp.adapters.oauth_server.client_metadata import ClientMetadataFetcher
from jamf_mcp.adapters.oauth_server.config import CLIENT_METADATA_DOCUMENT, DYNAMIC_REGISTRATION
from jamf_mcp.adapters.oauth_server.pre_registered import (
    PRE_REGISTERED,
    PreRegisteredClients,
    PreRegisteredDirectory,
    configured_client,
)
from jamf_mcp.adapters.oauth_server.rate_limit import BucketRateLimiter
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oauth_server.refresh_retries import InMemoryRefreshAnswers, RefreshAnswers
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
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.adapters.redis import (
    RedisAccessDenylist,
    RedisClient,
    RedisDevIdpState,
    RedisRateLimiter,
)
from jamf_mcp.adapters.redis.assertion_replays import RedisAssertionReplays
from jamf_mcp.adapters.redis.oauth_clients import RedisPreRegisteredClients
from jamf_mcp.adapters.redis.refresh_answers import RedisRefreshAnswers
from jamf_mcp.adapters.system import SystemClock
from jamf_mcp.application.ports.rate_limits import RateLimiter
from jamf_mcp.settings import Settings

DEV_IDP_PATH = "/dev-idp"
DAY_SECONDS = 24 * 3600.0
DENYLIST_SYNC_SECONDS = 1.0
"""How stale a replica's copy of a shared denylist may be (revocations reach it this fast)."""


def denylist(redis: RedisClient | None, settings: Settings) -> AccessDenylist:
    """Revoked grants and subjects: shared in Redis when configured, else in this process."""
    if redis is None:
        return InMemoryAccessDenylist(SystemClock())
    return RedisAccessDenylist(redis, SystemClock(), prefix=settings.redis_prefix)


def dev_idp_state(redis: RedisClient | None, settings: Settings) -> DevIdpState:
    """The development IdP's login forms, codes and refresh tokens."""
    if redis is None:
        return InMemoryDevIdpState(SystemClock())
    return RedisDevIdpState(redis, SystemClock(), prefix=settings.redis_prefix)


def registration_limiter(redis: RedisClient | None, settings: Settings) -> RateLimiter:
    """Buckets that refill over a day: the per-address registration quota."""
    if redis is None:
        return InMemoryRateLimiter(period_seconds=DAY_SECONDS)
    return RedisRateLimiter(redis, prefix=settings.redis_prefix, period_seconds=DAY_SECONDS)


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


def dev_identity_provider(
    settings: Settings, state: DevIdpState | None = None
) -> DevIdentityProvider | None:
    """The embedded development IdP, in `dev` mode only."""
    if settings.auth.mode != "dev":
        return None
    return DevIdentityProvider(
        issuer=settings.public_url + DEV_IDP_PATH,
        data_dir=settings.data_dir,
        users=settings.auth.dev_users,
        default_audience=settings.resource_url,
        refresh_ttl=settings.auth.refresh_token_ttl_seconds,
        state=state,
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
    revoked: AccessDenylist | None = None,
) -> OidcTokenVerifier | None:
    """Trusts our own tokens, and the upstream's access tokens issued for our audience; refuses
    revoked ones (a local copy of the denylist, at most a second stale when shared)."""
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
    check = None
    if revoked is not None:
        shared = not isinstance(revoked, InMemoryAccessDenylist)
        sync = DENYLIST_SYNC_SECONDS if shared else 0.0
        check = DenylistCheck(revoked, settings.public_url, sync_seconds=sync)
    return OidcTokenVerifier(trusted, observer=observer, revoked=check)


def metadata_http(settings: Settings) -> httpx.AsyncClient | None:
    """The client that fetches Client ID Metadata Documents from the internet (never the app)."""
    if settings.auth.mode == "none":
        return None
    return httpx.AsyncClient(follow_redirects=False)


def client_document_fetcher(
    cimd_http: httpx.AsyncClient | None,
) -> ClientMetadataFetcher | None:
    """Fetches Client ID Metadata Documents and their key sets (SSRF-checked; None: sign-in off).

    Tests override this provider with the same fetcher over an injected transport and resolver.
    """
    if cimd_http is None:
        return None
    return SafeClientMetadataFetcher(cimd_http, SystemClock())


def configured_clients(settings: Settings) -> tuple[RegisteredClient, ...]:
    """The pre-registered client given by `JAMF_MCP_OAUTH_CLIENT_*` (checked in `Settings`)."""
    auth = settings.auth
    if auth.oauth_client_id is None or auth.oauth_client_secret is None:
        return ()
    return (
        configured_client(
            auth.oauth_client_id,
            auth.oauth_client_secret,
            auth.oauth_client_redirect_uris,
            auth.oauth_client_name,
        ),
    )


def pre_registered_store(redis: RedisClient | None, settings: Settings) -> PreRegisteredClients:
    """`jamf-mcp clients add`'s clients: in Redis when configured (every replica), else in the
    data directory's `oauth-clients.json` (one process)."""
    if redis is None:
        return FilePreRegisteredClients(settings.data_dir / OAUTH_CLIENTS_FILE)
    return RedisPreRegisteredClients(redis, prefix=settings.redis_prefix)


def assertion_replays(redis: RedisClient | None, settings: Settings) -> AssertionReplayCache:
    """Used client assertions: shared in Redis when configured, else in this process."""
    if redis is None:
        return InMemoryAssertionReplays(SystemClock())
    return RedisAssertionReplays(redis, prefix=settings.redis_prefix)


def refresh_answers(redis: RedisClient | None, settings: Settings) -> RefreshAnswers:
    """Answers kept for retried refreshes: shared in Redis when configured, else in this process."""
    if redis is None:
        return InMemoryRefreshAnswers(SystemClock())
    return RedisRefreshAnswers(redis, prefix=settings.redis_prefix)


def front_door(
    settings: Settings,
    key: SigningKey | None,
    upstream: UpstreamIdentityProvider | None,
    cimd: ClientMetadataFetcher | None,
    store: OAuthStateStore,
    revoked: AccessDenylist | None = None,
    clients: PreRegisteredClients | None = None,
    replays: AssertionReplayCache | None = None,
    answers: RefreshAnswers | None = None,
    limiter: RateLimiter | None = None,
    metrics: Metrics | None = None,
) -> FrontDoor | None:
    """The OAuth authorization-server facade ChatGPT and other clients sign in through."""
    if key is None or upstream is None or cimd is None:
        return None
    clock = SystemClock()
    configured = configured_clients(settings)
    registration = (DYNAMIC_REGISTRATION, CLIENT_METADATA_DOCUMENT)
    config = FrontDoorConfig(
        issuer=settings.public_url,
        resource=settings.resource_url,
        access_token_ttl=settings.auth.access_token_ttl_seconds,
        refresh_token_ttl=settings.auth.refresh_token_ttl_seconds,
        grant_lifetime=settings.auth.grant_lifetime_seconds,
        revalidate_after=settings.auth.revalidate_seconds,
        client_idle_ttl=settings.auth.client_idle_days * 24 * 3600,
        max_clients=settings.auth.max_clients,
        registration=(*registration, PRE_REGISTERED) if configured else registration,
        private_key_jwt=settings.auth.private_key_jwt,
        refresh_reuse_seconds=settings.auth.refresh_reuse_seconds,
    )
    return FrontDoor(
        config,
        key,
        upstream,
        store,
        cimd,
        clock,
        denylist=revoked,
        pre_registered=PreRegisteredDirectory(clients, configured),
        assertion_replays=replays,
        refresh_answers=answers,
        client_limits=None
        if limiter is None
        else BucketRateLimiter(
            limiter,
            settings.auth.token_rate_limit_per_minute,
            metrics.rate_limited if metrics is not None else None,
        ),
    )


class RevocationNeedsSharedState(RuntimeError):
    """`jamf-mcp auth revoke` was run without `REDIS_URL`: the grants live in the server process."""


async def revoke_grants(settings: Settings, *, subject: str | None, client_id: str | None) -> int:
    """End every grant of a person or of a client, on every replica (the operator's command).

    Works on the shared state directly (the server need not be asked); every replica refuses the
    access tokens within `DENYLIST_SYNC_SECONDS`.

    Returns:
        How many grant families were revoked.

    Raises:
        RevocationNeedsSharedState: no `REDIS_URL` (in-process state cannot be reached).
        StateUnavailable: Redis cannot be reached.
    """
    from jamf_mcp.adapters.oauth_server import GrantRevoker
    from jamf_mcp.adapters.redis import RedisOAuthStateStore, open_redis

    if settings.redis_url is None:
        raise RevocationNeedsSharedState(
            "grants live in the memory of the running server when REDIS_URL is not set, so this "
            "command cannot reach them; restart the server to end every refresh token (access "
            "tokens then expire within JAMF_MCP_ACCESS_TOKEN_TTL_SECONDS), or run with Redis."
        )
    redis = open_redis(settings.redis_url, cluster=settings.redis_cluster)
    try:
        clock = SystemClock()
        revoker = GrantRevoker(
            RedisOAuthStateStore(redis, prefix=settings.redis_prefix),
            RedisAccessDenylist(redis, clock, prefix=settings.redis_prefix),
            clock,
            settings.auth.access_token_ttl_seconds,
        )
        count = 0
        if subject is not None:
            count += await revoker.revoke_subject(subject)
        if client_id is not None:
            count += await revoker.revoke_client(client_id)
        return count
    finally:
        await redis.aclose()
