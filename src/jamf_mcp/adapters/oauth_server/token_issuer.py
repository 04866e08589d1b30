"""Minting the token endpoint's answer: an access token (JWT) and, if the client may, a refresh token.

Nothing outlives the grant family: the refresh token expires at the earlier of its own lifetime
and the family's absolute end (sign-in + `grant_lifetime`), and so does the access token. Every
access token carries the family's public id (`sid`), which is what revocation denies. Issuing
also tells the store the client is in use until its new grant ends, so it is not forgotten.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import attrs

from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.handles import digest, grant_sid, new_handle
from jamf_mcp.adapters.oauth_server.outcomes import OAuthError
from jamf_mcp.adapters.oauth_server.records import RefreshGrant, RegisteredClient
from jamf_mcp.adapters.oauth_server.store import ClientLease, OAuthStateStore
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentity
from jamf_mcp.adapters.oidc.signing import access_token_claims
from jamf_mcp.application.ports.clock import Clock

if TYPE_CHECKING:
    from jamf_mcp.adapters.oidc.signing import SigningKey

logger = logging.getLogger(__name__)


@attrs.frozen
class Grant:
    """What a new set of tokens stands for.

    Attributes:
        identity: who signed in.
        scopes: the scopes of the access token.
        refresh_scopes: the most a later refresh may ask for.
        family_id: the grant family.
        resource: the RFC 8707 resource named at sign-in, if any.
        signed_in_at: when the user signed in (the family's absolute lifetime starts here).
        checked_at: when the upstream last confirmed the user.
        upstream: sealed upstream credentials, or None.
    """

    identity: UpstreamIdentity
    scopes: frozenset[str]
    refresh_scopes: frozenset[str]
    family_id: str
    resource: str | None
    signed_in_at: float
    checked_at: float
    upstream: str | None = attrs.field(default=None, repr=False)


class TokenIssuer:
    """Signs access tokens and stores refresh tokens.

    Args:
        config: lifetimes and URLs.
        store: where refresh tokens and client leases live.
        signing_key: signs the access tokens.
        clock: time source.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        store: OAuthStateStore,
        signing_key: SigningKey,
        clock: Clock,
    ) -> None:
        self._config = config
        self._store = store
        self._key = signing_key
        self._clock = clock

    async def issue(self, client: RegisteredClient, grant: Grant) -> dict[str, Any]:
        """The token response body for `grant`.

        Raises:
            OAuthError: `invalid_grant` when the family has already reached its absolute end.
        """
        now = self._clock.now().timestamp()
        family_end = grant.signed_in_at + self._config.grant_lifetime
        if family_end <= now + 1:
            raise OAuthError("invalid_grant", "This sign-in has reached its maximum age.")
        access_ttl = int(min(self._config.access_token_ttl, family_end - now))
        body: dict[str, Any] = {
            "access_token": self._key.sign(self._claims(client, grant, access_ttl, now)),
            "token_type": "Bearer",
            "expires_in": access_ttl,
            "scope": " ".join(sorted(grant.scopes)),
        }
        in_use_until = now + access_ttl
        if "refresh_token" in client.grant_types:
            refresh_token = new_handle()
            expires_at = min(now + self._config.refresh_token_ttl, family_end)
            record = RefreshGrant(
                family_id=grant.family_id,
                client_id=client.client_id,
                scopes=grant.refresh_scopes,
                identity=grant.identity,
                resource=grant.resource,
                expires_at=expires_at,
                signed_in_at=grant.signed_in_at,
                checked_at=grant.checked_at,
                upstream=grant.upstream,
            )
            await self._store.save_refresh(digest(refresh_token), record, expires_at - now)
            body["refresh_token"] = refresh_token
            in_use_until = expires_at
        if not (client.from_metadata_document or client.pre_registered):
            lease = ClientLease(now, in_use_until, self._config.client_idle_ttl)
            await self._store.client_in_use(client.client_id, lease)
        logger.info("Issued tokens to client %s for %s", client.client_id, grant.identity.subject)
        return body

    def _claims(
        self, client: RegisteredClient, grant: Grant, ttl: int, now: float
    ) -> dict[str, Any]:
        identity = grant.identity
        extra: dict[str, Any] = {"upstream_iss": identity.issuer, "sid": grant_sid(grant.family_id)}
        if identity.name is not None:
            extra["name"] = identity.name
        if identity.email is not None:
            extra["email"] = identity.email
        return access_token_claims(
            issuer=self._config.issuer,
            audience=self._config.resource,
            subject=identity.subject,
            scopes=grant.scopes,
            ttl_seconds=ttl,
            client_id=client.client_id,
            extra=extra,
            now=now,
        )
