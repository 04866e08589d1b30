"""The port for the front door's state, shaped so a shared store (Redis) can do each step atomically."""

from __future__ import annotations

from typing import Protocol

import attrs

from jamf_mcp.adapters.oauth_server.records import (
    AuthorizationCode,
    PendingAuthorization,
    RefreshGrant,
    RegisteredClient,
    UpstreamAuthorization,
)


@attrs.frozen
class ClientLease:
    """How long a registered client is kept, as of `now` (seconds since the epoch).

    Attributes:
        now: the current time.
        in_use_until: the client may not be evicted before this (its last grant's end).
        idle_seconds: it is forgotten this long after `in_use_until`.
    """

    now: float
    in_use_until: float
    idle_seconds: float


class OAuthStateStore(Protocol):
    """Clients, pending sign-ins, authorization codes and refresh grants.

    Every `take_*` removes what it returns in one step, so a handle works at most once even under
    concurrent requests. Keys for codes and refresh tokens are digests, never the secrets. Records
    vanish after their `ttl` (seconds). Nothing here raises for a missing key; it returns None.
    """

    async def save_client(
        self, client: RegisteredClient, lease: ClientLease, capacity: int
    ) -> bool:
        """Remember a dynamically registered client under `lease`.

        When `capacity` clients are kept already, the one whose `in_use_until` is oldest is
        forgotten to make room, provided that time has passed (it has no live grant).

        Returns:
            False (and nothing saved) when every kept client still has a live grant.
        """
        ...

    async def client_in_use(self, client_id: str, lease: ClientLease) -> None:
        """Extend a kept client's lease to `lease` (never shorten it); no-op for unknown ids."""
        ...

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The registered client with this id."""
        ...

    async def save_pending(self, pending: PendingAuthorization, ttl: float) -> None:
        """Remember an authorization request until the user answers the consent page."""
        ...

    async def take_pending(self, transaction_id: str) -> PendingAuthorization | None:
        """Remove and return a pending authorization request."""
        ...

    async def save_upstream(self, upstream: UpstreamAuthorization, ttl: float) -> None:
        """Remember our state, nonce and verifier while the user is at the upstream provider."""
        ...

    async def take_upstream(self, state: str) -> UpstreamAuthorization | None:
        """Remove and return the round trip with our `state`."""
        ...

    async def save_code(self, code_digest: str, code: AuthorizationCode, ttl: float) -> None:
        """Remember an authorization code."""
        ...

    async def take_code(self, code_digest: str) -> AuthorizationCode | None:
        """Remove and return a code, leaving a marker that `spent_code_family` reports."""
        ...

    async def spent_code_family(self, code_digest: str) -> str | None:
        """The refresh family of a code already redeemed (remembered for the code's lifetime)."""
        ...

    async def save_refresh(self, token_digest: str, grant: RefreshGrant, ttl: float) -> None:
        """Remember a refresh token (ignored for a revoked family), and index its family under
        the grant's subject and client for as long as the token lives."""
        ...

    async def peek_refresh(self, token_digest: str) -> RefreshGrant | None:
        """A live refresh token's grant, without spending it (None for a revoked family)."""
        ...

    async def take_refresh(self, token_digest: str) -> RefreshGrant | None:
        """Remove and return a live refresh token, leaving a marker for `spent_refresh_family`."""
        ...

    async def spent_refresh_family(self, token_digest: str) -> str | None:
        """The family of a refresh token already rotated away (remembered for its lifetime)."""
        ...

    async def revoke_family(self, family_id: str) -> None:
        """Make every live refresh token of a family unusable, and refuse new ones."""
        ...

    async def subject_families(self, subject: str) -> list[str]:
        """The families that may still hold live refresh tokens of this upstream subject."""
        ...

    async def client_families(self, client_id: str) -> list[str]:
        """The families that may still hold live refresh tokens of this client."""
        ...
