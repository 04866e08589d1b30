"""`FrontDoor`: the framework-free OAuth 2.1 authorization server the HTTP routes call into."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jamf_mcp.adapters.oauth_server.assertion_replay import (
    AssertionReplayCache,
    InMemoryAssertionReplays,
)
from jamf_mcp.adapters.oauth_server.authorization import Answer, AuthorizationFlow
from jamf_mcp.adapters.oauth_server.client_assertions import ClientAssertions
from jamf_mcp.adapters.oauth_server.client_keys import ClientKeySets
from jamf_mcp.adapters.oauth_server.client_metadata import ClientMetadataFetcher
from jamf_mcp.adapters.oauth_server.clients import ClientDirectory
from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.denylist import AccessDenylist, InMemoryAccessDenylist
from jamf_mcp.adapters.oauth_server.denylist_check import DenylistCheck
from jamf_mcp.adapters.oauth_server.grant_revocation import GrantRevoker
from jamf_mcp.adapters.oauth_server.outcomes import ConsentPrompt, ErrorPage, OAuthError, TokenReply
from jamf_mcp.adapters.oauth_server.pre_registered import PRE_REGISTERED, PreRegisteredDirectory
from jamf_mcp.adapters.oauth_server.rate_limit import AuthRateLimiter
from jamf_mcp.adapters.oauth_server.refresh_grant import RefreshExchange
from jamf_mcp.adapters.oauth_server.refresh_retries import (
    InMemoryRefreshAnswers,
    RefreshAnswers,
    RefreshRetries,
)
from jamf_mcp.adapters.oauth_server.registration import register_client, registration_response
from jamf_mcp.adapters.oauth_server.revocation_endpoint import RevocationEndpoint
from jamf_mcp.adapters.oauth_server.sealing import CredentialSeal
from jamf_mcp.adapters.oauth_server.store import ClientLease, OAuthStateStore
from jamf_mcp.adapters.oauth_server.token_endpoint import NO_STORE, TokenEndpoint
from jamf_mcp.adapters.oauth_server.token_issuer import TokenIssuer
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentityProvider
from jamf_mcp.adapters.oauth_server.upstream_return import UpstreamReturn
from jamf_mcp.adapters.oidc.jwks import StaticJwks
from jamf_mcp.application.ports.clock import Clock

if TYPE_CHECKING:
    from jamf_mcp.adapters.oidc.signing import SigningKey

logger = logging.getLogger(__name__)

SEAL_PURPOSE = "upstream credentials"


class FrontDoor:
    """An OAuth 2.1 authorization server that delegates the actual sign-in to an upstream IdP.

    Clients (ChatGPT, the MCP SDK) register (RFC 7591), identify themselves with a Client ID
    Metadata Document (public, or `private_key_jwt` with RFC 7523 assertions), or use a client an
    operator pre-registered; they send the user to `authorize`, and redeem our code at `token` for an access
    token signed by `signing_key` whose audience is this server's MCP endpoint; `revoke` ends a
    grant (RFC 7009).

    Args:
        config: URLs, scopes and lifetimes.
        signing_key: signs the access tokens; its public JWKS is served at `/auth/jwks.json`; the
            key that seals upstream credentials is derived from it.
        upstream: the identity provider users actually sign in at.
        store: clients, pending sign-ins, codes and refresh grants.
        cimd_fetcher: fetches Client ID Metadata Documents; None refuses URL client ids.
        clock: time source.
        denylist: revoked grants and subjects (in this process unless a shared one is given).
        pre_registered: the operator's clients (`jamf-mcp clients add`, configuration).
        assertion_replays: the client-assertion `jti`s already used (in this process unless a
            shared cache is given).
        refresh_answers: answers kept for retried refreshes (in this process unless shared).
        client_limits: each authenticated client's token and revocation bucket (None: none).
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        signing_key: SigningKey,
        upstream: UpstreamIdentityProvider,
        store: OAuthStateStore,
        cimd_fetcher: ClientMetadataFetcher | None,
        clock: Clock,
        *,
        denylist: AccessDenylist | None = None,
        pre_registered: PreRegisteredDirectory | None = None,
        assertion_replays: AssertionReplayCache | None = None,
        refresh_answers: RefreshAnswers | None = None,
        client_limits: AuthRateLimiter | None = None,
    ) -> None:
        self.config = config
        self._signing_key = signing_key
        self._store = store
        self._clock = clock
        self.pre_registered = pre_registered or PreRegisteredDirectory(None)
        self.denylist: AccessDenylist = denylist or InMemoryAccessDenylist(clock)
        check = DenylistCheck(self.denylist, config.issuer, sync_seconds=0)
        seal = CredentialSeal(signing_key.derive_secret(SEAL_PURPOSE))
        assertions = None
        if config.private_key_jwt:
            assertions = ClientAssertions(
                config,
                ClientKeySets(cimd_fetcher, clock),
                assertion_replays or InMemoryAssertionReplays(clock),
                clock,
            )
        clients = ClientDirectory(
            store, cimd_fetcher, pre_registered=self.pre_registered, assertions=assertions
        )
        self.revoker = GrantRevoker(store, self.denylist, clock, config.access_token_ttl)
        issuer = TokenIssuer(config, store, signing_key, clock)
        retries = RefreshRetries(
            refresh_answers or InMemoryRefreshAnswers(clock), config.refresh_reuse_seconds
        )
        refresh = RefreshExchange(
            config, store, issuer, self.revoker, check, upstream, seal, clock, retries
        )
        self._flow = AuthorizationFlow(config, clients, store, upstream)
        self._return = UpstreamReturn(config, store, upstream, seal, clock)
        self._tokens = TokenEndpoint(
            config, clients, store, issuer, refresh, self.revoker, check, clock, client_limits
        )
        own_keys = StaticJwks(signing_key.public_jwks())
        self._revocation = RevocationEndpoint(
            config, clients, store, self.revoker, own_keys, client_limits
        )

    async def register(self, body: bytes) -> TokenReply:
        """Dynamic client registration: a JSON request body in, 201 and the client's metadata out.

        A 503 `temporarily_unavailable` answer means every kept client still has a live grant and
        the store is full (`max_clients`).
        """
        now = self._clock.now().timestamp()
        try:
            try:
                metadata = json.loads(body)
            except (ValueError, RecursionError):
                raise OAuthError("invalid_client_metadata", "The body must be JSON.") from None
            client, secret = register_client(metadata, now=int(now))
        except OAuthError as error:
            return TokenReply(error.status, error.body(), dict(NO_STORE))
        # Not in use until it gets a grant: when the store is full, unused clients go oldest
        # first, so a flood evicts its own registrations before a client just registered, and
        # never blocks registration for long (ADR 0015).
        lease = ClientLease(now, now, self.config.client_idle_ttl)
        if not await self._store.save_client(client, lease, self.config.max_clients):
            logger.warning("Refused a registration: every one of the kept clients is in use")
            full = OAuthError(
                "temporarily_unavailable", "Registration is full; try again later.", 503
            )
            return TokenReply(503, full.body(), {**NO_STORE, "Retry-After": "3600"})
        logger.info(
            "Registered client %s (%s, %s)",
            client.client_id,
            client.client_name or "unnamed",
            client.token_endpoint_auth_method,
        )
        return TokenReply(201, registration_response(client, secret), dict(NO_STORE))

    async def authorize(
        self, params: Mapping[str, str], csrf_cookie: str | None
    ) -> ConsentPrompt | ErrorPage:
        """`GET /auth/authorize`: a consent prompt or an error page (never a redirect)."""
        return await self._flow.authorize(params, csrf_cookie)

    async def consent(
        self, form: Mapping[str, str], csrf_cookie: str | None, browser_cookie: str | None = None
    ) -> Answer:
        """`POST /auth/consent`: on to the upstream IdP (binding the browser), back to the client,
        or an error page."""
        return await self._flow.consent(form, csrf_cookie, browser_cookie)

    async def upstream_callback(
        self, params: Mapping[str, str], browser_cookie: str | None = None
    ) -> Answer:
        """`GET /auth/upstream/callback`: back to the client with our code (or an error), in the
        browser that approved consent only."""
        return await self._return.upstream_callback(params, browser_cookie)

    async def token(
        self, form: Mapping[str, str], authorization: str | None, address: str | None = None
    ) -> TokenReply:
        """`POST /auth/callback` (and `/auth/token`): the token endpoint; `address` is the
        caller's (a public client's rate limit is per client and address)."""
        return await self._tokens.token(form, authorization, address)

    async def revoke(
        self, form: Mapping[str, str], authorization: str | None, address: str | None = None
    ) -> TokenReply:
        """`POST /auth/revoke`: RFC 7009 token revocation."""
        return await self._revocation.revoke(form, authorization, address)

    async def registration_modes(self) -> tuple[str, ...]:
        """How clients can get a client id now: the configured modes, plus the pre-registered
        mode while an operator's client exists (`jamf-mcp clients add` may run at any time)."""
        modes = self.config.registration
        if PRE_REGISTERED not in modes and await self.pre_registered.any():
            modes = (*modes, PRE_REGISTERED)
        return modes

    def jwks(self) -> dict[str, Any]:
        """The public JWKS of the signing key."""
        return self._signing_key.public_jwks()
