"""The port between the OAuth front door and the identity provider it delegates sign-in to.

The front door owns this interface (docs/auth-contract.md); `jamf_mcp.adapters.oidc.OidcUpstreamClient`
implements it for any OpenID provider (Auth0, Okta, the embedded development provider).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import attrs


def _scope_set(scopes: Sequence[str] | frozenset[str]) -> frozenset[str]:
    return frozenset(scopes)


@attrs.frozen
class UpstreamIdentity:
    """Who signed in at the upstream identity provider, and which API scopes it grants them.

    Attributes:
        issuer: the upstream provider's issuer URL.
        subject: the upstream `sub` of the user.
        name: a display name, when the provider sent one.
        email: an email address, when the provider sent one.
        scopes: API scopes the upstream granted this user (`read:jamf` / `write:jamf`).
    """

    issuer: str
    subject: str
    name: str | None
    email: str | None
    scopes: frozenset[str] = attrs.field(converter=_scope_set)


@attrs.frozen
class UpstreamCredentials:
    """What the upstream handed us besides the identity, kept (sealed) to ask about the user later.

    Attributes:
        refresh_token: the upstream's refresh token, when it issued one (`offline_access`).
        access_token: the upstream's access token, kept only when there is no refresh token
            (it is what its userinfo endpoint accepts).
        access_expires_at: when that access token expires (seconds since the epoch), if known.
    """

    refresh_token: str | None = attrs.field(default=None, repr=False)
    access_token: str | None = attrs.field(default=None, repr=False)
    access_expires_at: float | None = None

    @property
    def empty(self) -> bool:
        """True when nothing is kept, so the user cannot be re-checked at the upstream."""
        return self.refresh_token is None and self.access_token is None


@attrs.frozen
class UpstreamSignIn:
    """A completed upstream sign-in: who, and what lets us re-check them later."""

    identity: UpstreamIdentity
    credentials: UpstreamCredentials = UpstreamCredentials()


@attrs.frozen
class Revalidation:
    """The upstream's current answer about a signed-in user.

    Attributes:
        active: False when the upstream no longer signs this user in (disabled, session revoked,
            or there is no way left to ask).
        scopes: the API scopes the upstream grants the user now; None when the answer does not
            say (userinfo), so the grant's scopes stay as they are.
        credentials: what to keep for the next check (a rotated refresh token, for one).
        reason: why the user is no longer active, safe to log; empty when active.
    """

    active: bool
    scopes: frozenset[str] | None = None
    credentials: UpstreamCredentials = UpstreamCredentials()
    reason: str = ""


class UpstreamIdentityProvider(Protocol):
    """An OpenID provider the front door sends users to, with our own state, nonce and PKCE."""

    @property
    def issuer(self) -> str:
        """The upstream issuer URL (its origin is allowed as a consent form target)."""
        ...

    async def authorization_url(
        self,
        *,
        state: str,
        nonce: str,
        code_challenge: str,
        redirect_uri: str,
        scopes: Sequence[str],
    ) -> str:
        """The URL to send the browser to; `code_challenge` is S256 of our verifier."""
        ...

    async def exchange_code(
        self, *, code: str, code_verifier: str, redirect_uri: str, nonce: str
    ) -> UpstreamSignIn:
        """Redeem the upstream code and verify the ID token (including `nonce`).

        Raises:
            InvalidToken: the upstream answer could not be verified.
            JamfMcpError: any other failure (subclasses), e.g. the provider is unreachable.
        """
        ...

    async def revalidate(
        self, identity: UpstreamIdentity, credentials: UpstreamCredentials
    ) -> Revalidation:
        """Ask the upstream whether `identity` is still signed in, and with which API scopes.

        Uses the upstream refresh token when there is one, else the userinfo endpoint while the
        kept access token lives; with neither the answer is "not active". Never raises for a
        refusal (that is `active=False`).

        Raises:
            JamfMcpError: the upstream could not be asked (unreachable, 5xx, nonsense).
        """
        ...
