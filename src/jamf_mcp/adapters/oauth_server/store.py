"""The port for the front door's state, shaped so a shared store (Redis) can do each step atomically."""

from __future__ import annotations

from typing import Protocol

from jamf_mcp.adapters.oauth_server.records import (
    AuthorizationCode,
    PendingAuthorization,
    RefreshGrant,
    RegisteredClient,
    UpstreamAuthorization,
)


class OAuthStateStore(Protocol):
    """Clients, pending sign-ins, authorization codes and refresh grants.

    Every `take_*` removes what it returns in one step, so a handle works at most once even under
    concurrent requests. Keys for codes and refresh tokens are digests, never the secrets. Records
    vanish after their `ttl` (seconds). Nothing here raises for a missing key; it returns None.
    """

    async def save_client(self, client: RegisteredClient) -> None:
        """Remember a dynamically registered client (no expiry)."""
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
        """Remember a refresh token."""
        ...

    async def take_refresh(self, token_digest: str) -> RefreshGrant | None:
        """Remove and return a live refresh token, leaving a marker for `spent_refresh_family`."""
        ...

    async def spent_refresh_family(self, token_digest: str) -> str | None:
        """The family of a refresh token already rotated away (remembered for its lifetime)."""
        ...

    async def revoke_family(self, family_id: str) -> None:
        """Make every live refresh token of a family unusable (replay was detected)."""
        ...
