"""The token endpoint: authorization codes and refresh tokens in, access tokens (JWTs) out.

Codes are single-use: replaying one is refused and revokes every grant descended from it.
Refresh tokens rotate on every use: the old one stops working, and replaying a rotated one revokes
its whole family (RFC 9700 §4.14.2), since one of the two parties holding it is not the client.
The refresh grant itself lives in `refresh_grant`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from jamf_mcp.adapters.oauth_server.clients import ClientDirectory
from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.denylist_check import DenylistCheck
from jamf_mcp.adapters.oauth_server.grant_revocation import GrantRevoker
from jamf_mcp.adapters.oauth_server.handles import digest, pkce_matches
from jamf_mcp.adapters.oauth_server.outcomes import OAuthError, TokenReply
from jamf_mcp.adapters.oauth_server.rate_limit import (
    AllowAllRateLimiter,
    AuthRateLimiter,
    client_bucket,
)
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oauth_server.refresh_grant import RefreshExchange
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.token_issuer import Grant, TokenIssuer
from jamf_mcp.application.ports.clock import Clock

logger = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
TOO_MANY = OAuthError(
    "slow_down",
    "Too many token requests from this client; try again shortly.",
    429,
    {"Retry-After": "10"},
)


def _required(form: Mapping[str, str], name: str) -> str:
    value = form.get(name)
    if not value:
        raise OAuthError("invalid_request", f"{name} is required.")
    return value


class TokenEndpoint:
    """Handles `POST /auth/callback` (alias `/auth/token`).

    Args:
        config: the front door's settings.
        clients: authenticates the calling client.
        store: codes and refresh grants.
        issuer: mints tokens.
        refresh: the refresh-token grant.
        revoker: ends the grants of a replayed code.
        denylist: tells whether the user was revoked while signing in.
        clock: time source.
        limits: each authenticated client's bucket (`rate_limit`); None: no limit here.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        clients: ClientDirectory,
        store: OAuthStateStore,
        issuer: TokenIssuer,
        refresh: RefreshExchange,
        revoker: GrantRevoker,
        denylist: DenylistCheck,
        clock: Clock,
        limits: AuthRateLimiter | None = None,
    ) -> None:
        self._limits = limits or AllowAllRateLimiter()
        self._config = config
        self._clients = clients
        self._store = store
        self._issuer = issuer
        self._refresh = refresh
        self._revoker = revoker
        self._denylist = denylist
        self._clock = clock

    async def token(
        self, form: Mapping[str, str], authorization: str | None, address: str | None = None
    ) -> TokenReply:
        """Answer a token request (form fields, the `Authorization` header if any, and the
        caller's address for a public client's rate limit)."""
        try:
            client = await self._clients.authenticate(form, authorization)
            if not await self._limits.allow("token", client_bucket(client, address)):
                raise TOO_MANY
            grant_type = _required(form, "grant_type")
            if grant_type not in ("authorization_code", "refresh_token"):
                raise OAuthError(
                    "unsupported_grant_type", "Use authorization_code or refresh_token."
                )
            if grant_type not in client.grant_types:
                raise OAuthError("unauthorized_client", f"This client may not use {grant_type}.")
            resource = form.get("resource")
            if resource is not None and not self._config.accepts_resource(resource):
                raise OAuthError("invalid_target", "The resource is not this server.")
            if grant_type == "authorization_code":
                body = await self._redeem_code(client, form)
            else:
                body = await self._refresh.refresh(client, form)
        except OAuthError as error:
            return TokenReply(error.status, error.body(), {**NO_STORE, **error.headers})
        return TokenReply(200, body, dict(NO_STORE))

    async def _redeem_code(
        self, client: RegisteredClient, form: Mapping[str, str]
    ) -> dict[str, Any]:
        code_digest = digest(_required(form, "code"))
        verifier = _required(form, "code_verifier")
        record = await self._store.take_code(code_digest)
        if record is None:
            family = await self._store.spent_code_family(code_digest)
            if family is not None:
                logger.warning("An authorization code was replayed; revoking its grant")
                await self._revoker.revoke_families([family])
            raise OAuthError("invalid_grant", "The authorization code is invalid or was used.")
        if record.expires_at <= self._clock.now().timestamp():
            raise OAuthError("invalid_grant", "The authorization code has expired.")
        if record.client_id != client.client_id:
            raise OAuthError(
                "invalid_grant", "The authorization code was issued to another client."
            )
        redirect_uri = form.get("redirect_uri")
        if (record.redirect_uri_given or redirect_uri is not None) and (
            redirect_uri != record.redirect_uri
        ):
            raise OAuthError(
                "invalid_grant", "redirect_uri does not match the authorization request."
            )
        if not pkce_matches(verifier, record.code_challenge):
            raise OAuthError("invalid_grant", "The PKCE code_verifier does not match.")
        if await self._denylist.subject_revoked_since(record.identity.subject, record.signed_in_at):
            raise OAuthError("invalid_grant", "This sign-in was revoked; sign in again.")
        return await self._issuer.issue(
            client,
            Grant(
                identity=record.identity,
                scopes=record.scopes,
                refresh_scopes=record.scopes,
                family_id=record.family_id,
                resource=record.resource,
                signed_in_at=record.signed_in_at,
                checked_at=record.signed_in_at,
                upstream=record.upstream,
            ),
        )
