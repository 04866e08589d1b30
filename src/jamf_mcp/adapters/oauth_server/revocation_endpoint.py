"""`POST /auth/revoke`: token revocation (RFC 7009).

The client authenticates as at the token endpoint. Revoking a refresh token or an access token of
ours ends the whole grant family (RFC 7009 §2.1 allows revoking the related tokens too): its
refresh tokens stop at once and its access tokens are refused from the next request (denylist).
The answer is 200 with an empty object whatever the token was — unknown, expired, malformed, or
issued to another client (then nothing is revoked) — so the endpoint tells no one whether a token
exists. Only a failed client authentication or a missing `token` is an error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from jamf_mcp.adapters.oauth_server.clients import ClientDirectory
from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.grant_revocation import GrantRevoker
from jamf_mcp.adapters.oauth_server.handles import digest, grant_sid
from jamf_mcp.adapters.oauth_server.outcomes import OAuthError, TokenReply
from jamf_mcp.adapters.oauth_server.rate_limit import (
    AllowAllRateLimiter,
    AuthRateLimiter,
    client_bucket,
)
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.token_endpoint import TOO_MANY
from jamf_mcp.adapters.oidc.jwks import StaticJwks
from jamf_mcp.adapters.oidc.jwt_checks import peek, verify_signature
from jamf_mcp.domain.errors import InvalidToken

logger = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_TOKEN_LENGTH = 8192


class RevocationEndpoint:
    """Handles `POST /auth/revoke`.

    Args:
        config: our issuer and resource.
        clients: authenticates the calling client.
        store: refresh tokens and the subject index.
        revoker: ends families.
        own_keys: this server's public signing keys (to recognise its own access tokens).
        limits: each authenticated client's bucket (`rate_limit`); None: no limit here.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        clients: ClientDirectory,
        store: OAuthStateStore,
        revoker: GrantRevoker,
        own_keys: StaticJwks,
        limits: AuthRateLimiter | None = None,
    ) -> None:
        self._limits = limits or AllowAllRateLimiter()
        self._config = config
        self._clients = clients
        self._store = store
        self._revoker = revoker
        self._keys = own_keys

    async def revoke(
        self, form: Mapping[str, str], authorization: str | None, address: str | None = None
    ) -> TokenReply:
        """Answer a revocation request."""
        try:
            client = await self._clients.authenticate(form, authorization)
            if not await self._limits.allow("revoke", client_bucket(client, address)):
                raise TOO_MANY
            token = form.get("token")
            if not token:
                raise OAuthError("invalid_request", "token is required.")
        except OAuthError as error:
            return TokenReply(error.status, error.body(), {**NO_STORE, **error.headers})
        if len(token) <= MAX_TOKEN_LENGTH:
            # RFC 7009 §2.1: the hint only says where to look first.
            if form.get("token_type_hint") == "access_token":
                _ = await self._access_token(client, token) or await self._refresh(client, token)
            else:
                _ = await self._refresh(client, token) or await self._access_token(client, token)
        return TokenReply(200, {}, dict(NO_STORE))

    async def _refresh(self, client: RegisteredClient, token: str) -> bool:
        grant = await self._store.peek_refresh(digest(token))
        if grant is None:
            return False
        if grant.client_id != client.client_id:
            logger.warning("Client %s tried to revoke another client's token", client.client_id)
            return True
        await self._revoker.revoke_families([grant.family_id])
        logger.info("Client %s revoked a grant (refresh token)", client.client_id)
        return True

    async def _access_token(self, client: RegisteredClient, token: str) -> bool:
        claims = await self._own_claims(token)
        if claims is None:
            return False
        sid, subject = claims.get("sid"), claims.get("sub")
        if claims.get("client_id") != client.client_id:
            logger.warning("Client %s tried to revoke another client's token", client.client_id)
            return True
        if not isinstance(sid, str) or not isinstance(subject, str):
            return True  # not a front-door grant (e.g. `jamf-mcp dev-token`): nothing to end
        families = [f for f in await self._store.subject_families(subject) if grant_sid(f) == sid]
        if families:
            await self._revoker.revoke_families(families)
        else:  # no refresh token lives: deny the access tokens alone
            await self._revoker.deny_sid(sid)
        logger.info("Client %s revoked a grant (access token)", client.client_id)
        return True

    async def _own_claims(self, token: str) -> dict[str, Any] | None:
        """The claims of a token this server signed for its resource (expired or not)."""
        try:
            unverified = peek(token)
            if unverified.claims.get("iss") != self._config.issuer:
                return None
            claims = await verify_signature(token, unverified, self._keys)
        except InvalidToken:
            return None
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        return claims if self._config.resource in audiences else None
