"""The refresh-token grant: checks first, spend last; grants that end; users re-checked upstream.

Order matters. Everything a request can get wrong (the token, the client, the `scope`) is checked
while the refresh token is only looked at, so a bad request never burns it. Then, when the last
check at the upstream is older than `revalidate_after`, the upstream is asked again (its refresh
token, else userinfo): a user it no longer signs in loses the grant; one who lost an API scope
gets only what is left. Only then is the refresh token spent (atomically: of two racing requests
one wins, and the other is a replay) and a new one issued. A family ends `grant_lifetime` after
the sign-in, however often it was refreshed. A retry of a refresh whose answer was lost gets that
same answer within the reuse interval (`refresh_retries`, ADR 0031) instead of ending the grant.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any

import attrs

from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.denylist_check import DenylistCheck
from jamf_mcp.adapters.oauth_server.grant_revocation import GrantRevoker
from jamf_mcp.adapters.oauth_server.handles import digest
from jamf_mcp.adapters.oauth_server.outcomes import OAuthError
from jamf_mcp.adapters.oauth_server.records import RefreshGrant, RegisteredClient
from jamf_mcp.adapters.oauth_server.refresh_retries import RefreshRetries
from jamf_mcp.adapters.oauth_server.scopes import api_scopes, granted_scopes, narrowed_scopes
from jamf_mcp.adapters.oauth_server.sealing import CredentialSeal
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.token_issuer import Grant, TokenIssuer
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentityProvider
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.domain.errors import JamfMcpError

logger = logging.getLogger(__name__)

INVALID = "The refresh token is invalid, expired or was used."
ENDED = "Your sign-in has ended; sign in again."
RACE_PATIENCE_SECONDS = 2.0
"""How long a refresh that lost the race for its token waits for the winner's answer (a retry
sent while the first request was still being answered)."""
_RACE_POLL_SECONDS = 0.05


class RefreshExchange:
    """Handles `grant_type=refresh_token` for an authenticated client.

    Args:
        config: lifetimes.
        store: refresh tokens.
        issuer: mints the new tokens.
        revoker: ends families (replay, another client's token, a user gone upstream).
        denylist: tells whether the user was revoked after this sign-in.
        upstream: asked again about the user.
        seal: opens and seals the upstream credentials kept with the grant.
        clock: time source.
        retries: answers kept for retried refreshes (None: a retry is a replay).
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        store: OAuthStateStore,
        issuer: TokenIssuer,
        revoker: GrantRevoker,
        denylist: DenylistCheck,
        upstream: UpstreamIdentityProvider,
        seal: CredentialSeal,
        clock: Clock,
        retries: RefreshRetries | None = None,
    ) -> None:
        self._retries = retries
        self._config = config
        self._store = store
        self._issuer = issuer
        self._revoker = revoker
        self._denylist = denylist
        self._upstream = upstream
        self._seal = seal
        self._clock = clock

    async def refresh(self, client: RegisteredClient, form: Mapping[str, str]) -> dict[str, Any]:
        """The token response for a refresh request.

        Raises:
            OAuthError: `invalid_request`, `invalid_grant`, `invalid_scope`, or
                `temporarily_unavailable` (503) when the upstream cannot be asked — the refresh
                token is then left as it was.
        """
        raw = form.get("refresh_token")
        if not raw:
            raise OAuthError("invalid_request", "refresh_token is required.")
        token_digest = digest(raw)
        grant = await self._store.peek_refresh(token_digest)
        if grant is None:
            if (repeated := await self._repeated(raw, client, form)) is not None:
                return repeated
            await self._revoke_if_replayed(token_digest)
            raise OAuthError("invalid_grant", INVALID)
        if grant.client_id != client.client_id:
            logger.warning("Client %s presented another client's refresh token", client.client_id)
            await self._revoker.revoke_families([grant.family_id])
            raise OAuthError("invalid_grant", "The refresh token was issued to another client.")
        await self._check_alive(grant)
        scopes = narrowed_scopes(form.get("scope"), grant.scopes)  # before anything is spent
        grant = await self._revalidated(grant)
        if await self._store.take_refresh(token_digest) is None:
            # A concurrent request spent it first: the same request retried gets its answer.
            if (repeated := await self._repeated(raw, client, form, wait=True)) is not None:
                return repeated
            await self._revoke_if_replayed(token_digest)
            raise OAuthError("invalid_grant", INVALID)
        body = await self._issuer.issue(
            client,
            Grant(
                identity=grant.identity,
                scopes=scopes & grant.scopes,
                refresh_scopes=grant.scopes,
                family_id=grant.family_id,
                resource=grant.resource,
                signed_in_at=grant.signed_in_at,
                checked_at=grant.checked_at,
                upstream=grant.upstream,
            ),
        )
        if self._retries is not None:
            await self._retries.remember(raw, client.client_id, form, body)
        return body

    async def _repeated(
        self, raw: str, client: RegisteredClient, form: Mapping[str, str], *, wait: bool = False
    ) -> dict[str, Any] | None:
        """The answer this very request already got, while the token it carries is the live one."""
        if self._retries is None or self._retries.grace_seconds <= 0:
            return None
        body = await self._retries.recall(raw, client.client_id, form)
        waited = 0.0
        while body is None and wait and waited < RACE_PATIENCE_SECONDS:
            await asyncio.sleep(_RACE_POLL_SECONDS)
            waited += _RACE_POLL_SECONDS
            body = await self._retries.recall(raw, client.client_id, form)
        newer = body.get("refresh_token") if body is not None else None
        if body is None or not isinstance(newer, str):
            return None
        successor = await self._store.peek_refresh(digest(newer))
        if successor is None or successor.client_id != client.client_id:
            return None  # the answer's token was used or revoked since: this is a replay
        await self._check_alive(successor)
        logger.info("A retried refresh by client %s got the answer it was given", client.client_id)
        return body

    async def _revoke_if_replayed(self, token_digest: str) -> None:
        family = await self._store.spent_refresh_family(token_digest)
        if family is not None:
            logger.warning("A rotated refresh token was replayed; revoking its family")
            await self._revoker.revoke_families([family])

    async def _check_alive(self, grant: RefreshGrant) -> None:
        now = self._clock.now().timestamp()
        if grant.expires_at <= now:
            raise OAuthError("invalid_grant", "The refresh token has expired.")
        if grant.signed_in_at + self._config.grant_lifetime <= now:
            raise OAuthError("invalid_grant", "This sign-in has reached its maximum age. " + ENDED)
        if await self._denylist.subject_revoked_since(grant.identity.subject, grant.signed_in_at):
            await self._revoker.revoke_families([grant.family_id])
            raise OAuthError("invalid_grant", "This sign-in was revoked. " + ENDED)

    async def _revalidated(self, grant: RefreshGrant) -> RefreshGrant:
        now = self._clock.now().timestamp()
        if now - grant.checked_at < self._config.revalidate_after:
            return grant
        try:
            answer = await self._upstream.revalidate(
                grant.identity, self._seal.open(grant.upstream)
            )
        except JamfMcpError:
            logger.warning("The identity provider could not re-check a user; refresh refused")
            raise OAuthError(
                "temporarily_unavailable",
                "The identity provider could not be reached; try again shortly.",
                503,
            ) from None
        if not answer.active:
            logger.info(
                "The identity provider no longer signs in %s (%s); ending the grant",
                grant.identity.subject,
                answer.reason,
            )
            await self._revoker.revoke_families([grant.family_id])
            raise OAuthError("invalid_grant", "The identity provider ended your sign-in. " + ENDED)
        upstream_scopes = grant.identity.scopes if answer.scopes is None else answer.scopes
        scopes = granted_scopes(grant.scopes, upstream_scopes)
        if api_scopes(grant.scopes) and not api_scopes(scopes):
            await self._revoker.revoke_families([grant.family_id])
            raise OAuthError(
                "invalid_grant", "Your account is no longer allowed any of its scopes."
            )
        if scopes != grant.scopes:
            lost = " ".join(sorted(grant.scopes - scopes))
            logger.info("User %s lost %s at the identity provider", grant.identity.subject, lost)
        return attrs.evolve(
            grant,
            scopes=scopes,
            identity=attrs.evolve(grant.identity, scopes=upstream_scopes),
            checked_at=now,
            upstream=self._seal.seal(answer.credentials),
        )
