"""Ending grants: one family (a replayed token, a client's RFC 7009 request), every grant of a
person, or every grant of a client (the operator's `jamf-mcp auth revoke`).

A revoked family's refresh tokens stop at once (the state store), and its access tokens are
refused from the next request on every replica (the denylist, until they would have expired).
Revoking a person also refuses every token of theirs issued up to now — including tokens the
upstream issued itself and this server accepts directly — and every sign-in still in flight.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from jamf_mcp.adapters.oauth_server.denylist import (
    GRANT,
    SUBJECT,
    AccessDenylist,
    Denial,
    subject_key,
)
from jamf_mcp.adapters.oauth_server.handles import grant_sid
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.application.ports.clock import Clock

logger = logging.getLogger(__name__)

LEEWAY_SECONDS = 60
"""Verifiers accept tokens this long past `exp` (clock skew): denials outlive tokens by as much."""
UPSTREAM_TOKEN_HORIZON_SECONDS = 24 * 3600
"""How long a subject's denial is kept: an upstream's own access tokens may live a day (Auth0)."""


class GrantRevoker:
    """Revokes grant families, people and clients.

    Args:
        store: the front door's state (refresh tokens, family indexes).
        denylist: what access tokens are checked against.
        clock: time source.
        access_token_ttl: the lifetime of the access tokens the front door issues.
    """

    def __init__(
        self,
        store: OAuthStateStore,
        denylist: AccessDenylist,
        clock: Clock,
        access_token_ttl: int,
    ) -> None:
        self._store = store
        self._denylist = denylist
        self._clock = clock
        self._access_token_ttl = access_token_ttl

    async def revoke_families(self, family_ids: Iterable[str]) -> int:
        """End these grant families; returns how many were named."""
        families = sorted(set(family_ids))
        if not families:
            return 0
        now = self._clock.now().timestamp()
        until = now + self._access_token_ttl + LEEWAY_SECONDS
        # Deny first: a refresh racing with the revocation can mint one more access token, and
        # it carries the same sid.
        await self._denylist.add([Denial(GRANT, grant_sid(f), now, until) for f in families])
        for family in families:
            await self._store.revoke_family(family)
        return len(families)

    async def deny_sid(self, sid: str) -> None:
        """Refuse the access tokens of a family known only by its public id (no refresh token)."""
        now = self._clock.now().timestamp()
        until = now + self._access_token_ttl + LEEWAY_SECONDS
        await self._denylist.add([Denial(GRANT, sid, now, until)])

    async def revoke_subject(self, subject: str) -> int:
        """End every grant of this upstream subject; returns how many families were revoked."""
        now = self._clock.now().timestamp()
        horizon = max(self._access_token_ttl, UPSTREAM_TOKEN_HORIZON_SECONDS) + LEEWAY_SECONDS
        await self._denylist.add([Denial(SUBJECT, subject_key(subject), now, now + horizon)])
        count = await self.revoke_families(await self._store.subject_families(subject))
        logger.info("Revoked every grant of a subject (%d grant families)", count)
        return count

    async def revoke_client(self, client_id: str) -> int:
        """End every grant issued to this client; returns how many families were revoked."""
        count = await self.revoke_families(await self._store.client_families(client_id))
        logger.info("Revoked every grant of client %s (%d grant families)", client_id, count)
        return count
