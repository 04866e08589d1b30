"""The token endpoint: authorization codes and refresh tokens in, access tokens (JWTs) out.

Codes are single-use: replaying one is refused and revokes every refresh token descended from it.
Refresh tokens rotate on every use: the old one stops working, and replaying a rotated one revokes
its whole family (RFC 9700 §4.14.2), since one of the two parties holding it is not the client.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jamf_mcp.adapters.oauth_server.clients import ClientDirectory
from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.handles import digest, new_handle, pkce_matches
from jamf_mcp.adapters.oauth_server.outcomes import OAuthError, TokenReply
from jamf_mcp.adapters.oauth_server.records import RefreshGrant, RegisteredClient
from jamf_mcp.adapters.oauth_server.scopes import narrowed_scopes
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentity
from jamf_mcp.adapters.oidc.signing import access_token_claims
from jamf_mcp.application.ports import Clock

if TYPE_CHECKING:
    from jamf_mcp.adapters.oidc.signing import SigningKey

logger = logging.getLogger(__name__)

NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


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
        signing_key: signs the access tokens.
        clock: time source.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        clients: ClientDirectory,
        store: OAuthStateStore,
        signing_key: SigningKey,
        clock: Clock,
    ) -> None:
        self._config = config
        self._clients = clients
        self._store = store
        self._key = signing_key
        self._clock = clock

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def token(self, form: Mapping[str, str], authorization: str | None) -> TokenReply:
        """Answer a token request (form fields, and the `Authorization` header if any)."""
        try:
            client = await self._clients.authenticate(form, authorization)
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
                body = await self._refresh(client, form)
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
                logger.warning("An authorization code was replayed; revoking its refresh tokens")
                await self._store.revoke_family(family)
            raise OAuthError("invalid_grant", "The authorization code is invalid or was used.")
        if record.expires_at <= self._now():
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
        return await self._issue(
            client, record.identity, record.scopes, record.scopes, record.family_id, record.resource
        )

    async def _refresh(self, client: RegisteredClient, form: Mapping[str, str]) -> dict[str, Any]:
        token_digest = digest(_required(form, "refresh_token"))
        grant = await self._store.take_refresh(token_digest)
        if grant is None:
            family = await self._store.spent_refresh_family(token_digest)
            if family is not None:
                logger.warning("A rotated refresh token was replayed; revoking its family")
                await self._store.revoke_family(family)
            raise OAuthError("invalid_grant", "The refresh token is invalid, expired or was used.")
        if grant.client_id != client.client_id:
            logger.warning("Client %s presented another client's refresh token", client.client_id)
            await self._store.revoke_family(grant.family_id)
            raise OAuthError("invalid_grant", "The refresh token was issued to another client.")
        if grant.expires_at <= self._now():
            raise OAuthError("invalid_grant", "The refresh token has expired.")
        scopes = narrowed_scopes(form.get("scope"), grant.scopes)
        return await self._issue(
            client, grant.identity, scopes, grant.scopes, grant.family_id, grant.resource
        )

    async def _issue(
        self,
        client: RegisteredClient,
        identity: UpstreamIdentity,
        scopes: frozenset[str],
        refresh_scopes: frozenset[str],
        family_id: str,
        resource: str | None,
    ) -> dict[str, Any]:
        extra: dict[str, Any] = {"upstream_iss": identity.issuer}
        if identity.name is not None:
            extra["name"] = identity.name
        if identity.email is not None:
            extra["email"] = identity.email
        claims = access_token_claims(
            issuer=self._config.issuer,
            audience=self._config.resource,
            subject=identity.subject,
            scopes=scopes,
            ttl_seconds=self._config.access_token_ttl,
            client_id=client.client_id,
            extra=extra,
            now=self._now(),
        )
        body: dict[str, Any] = {
            "access_token": self._key.sign(claims),
            "token_type": "Bearer",
            "expires_in": self._config.access_token_ttl,
            "scope": " ".join(sorted(scopes)),
        }
        if "refresh_token" in client.grant_types:
            refresh_token = new_handle()
            grant = RefreshGrant(
                family_id=family_id,
                client_id=client.client_id,
                scopes=refresh_scopes,
                identity=identity,
                resource=resource,
                expires_at=self._now() + self._config.refresh_token_ttl,
            )
            await self._store.save_refresh(
                digest(refresh_token), grant, self._config.refresh_token_ttl
            )
            body["refresh_token"] = refresh_token
        logger.info("Issued tokens to client %s for %s", client.client_id, identity.subject)
        return body
