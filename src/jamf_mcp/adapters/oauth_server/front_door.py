"""`FrontDoor`: the framework-free OAuth 2.1 authorization server the HTTP routes call into."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jamf_mcp.adapters.oauth_server.authorization import Answer, AuthorizationFlow
from jamf_mcp.adapters.oauth_server.client_metadata import ClientMetadataFetcher
from jamf_mcp.adapters.oauth_server.clients import ClientDirectory
from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.outcomes import ConsentPrompt, OAuthError, TokenReply
from jamf_mcp.adapters.oauth_server.registration import register_client, registration_response
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.token_endpoint import NO_STORE, TokenEndpoint
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentityProvider
from jamf_mcp.application.ports import Clock

if TYPE_CHECKING:
    from jamf_mcp.adapters.oidc.signing import SigningKey

logger = logging.getLogger(__name__)


class FrontDoor:
    """An OAuth 2.1 authorization server that delegates the actual sign-in to an upstream IdP.

    Clients (ChatGPT, the MCP SDK) register (RFC 7591) or identify themselves with a Client ID
    Metadata Document, send the user to `authorize`, and redeem our code at `token` for an access
    token signed by `signing_key` whose audience is this server's MCP endpoint.

    Args:
        config: URLs, scopes and lifetimes.
        signing_key: signs the access tokens; its public JWKS is served at `/auth/jwks.json`.
        upstream: the identity provider users actually sign in at.
        store: clients, pending sign-ins, codes and refresh grants.
        cimd_fetcher: fetches Client ID Metadata Documents; None refuses URL client ids.
        clock: time source.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        signing_key: SigningKey,
        upstream: UpstreamIdentityProvider,
        store: OAuthStateStore,
        cimd_fetcher: ClientMetadataFetcher | None,
        clock: Clock,
    ) -> None:
        self.config = config
        self._signing_key = signing_key
        self._store = store
        self._clock = clock
        clients = ClientDirectory(store, cimd_fetcher)
        self._flow = AuthorizationFlow(config, clients, store, upstream, clock)
        self._tokens = TokenEndpoint(config, clients, store, signing_key, clock)

    async def register(self, body: bytes) -> TokenReply:
        """Dynamic client registration: a JSON request body in, 201 and the client's metadata out."""
        try:
            try:
                metadata = json.loads(body)
            except (ValueError, RecursionError):
                raise OAuthError("invalid_client_metadata", "The body must be JSON.") from None
            client, secret = register_client(metadata, now=int(self._clock.now().timestamp()))
        except OAuthError as error:
            return TokenReply(error.status, error.body(), dict(NO_STORE))
        await self._store.save_client(client)
        logger.info(
            "Registered client %s (%s, %s)",
            client.client_id,
            client.client_name or "unnamed",
            client.token_endpoint_auth_method,
        )
        return TokenReply(201, registration_response(client, secret), dict(NO_STORE))

    async def authorize(
        self, params: Mapping[str, str], csrf_cookie: str | None
    ) -> ConsentPrompt | Answer:
        """`GET /auth/authorize`: a consent prompt, an error page, or an error redirect."""
        return await self._flow.authorize(params, csrf_cookie)

    async def consent(self, form: Mapping[str, str], csrf_cookie: str | None) -> Answer:
        """`POST /auth/consent`: on to the upstream IdP, or back to the client, or an error page."""
        return await self._flow.consent(form, csrf_cookie)

    async def upstream_callback(self, params: Mapping[str, str]) -> Answer:
        """`GET /auth/upstream/callback`: back to the client with our code (or an error)."""
        return await self._flow.upstream_callback(params)

    async def token(self, form: Mapping[str, str], authorization: str | None) -> TokenReply:
        """`POST /auth/callback` (and `/auth/token`): the token endpoint."""
        return await self._tokens.token(form, authorization)

    def jwks(self) -> dict[str, Any]:
        """The public JWKS of the signing key."""
        return self._signing_key.public_jwks()
