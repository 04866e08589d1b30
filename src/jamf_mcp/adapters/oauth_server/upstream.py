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
    ) -> UpstreamIdentity:
        """Redeem the upstream code and verify the ID token (including `nonce`).

        Raises:
            InvalidToken: the upstream answer could not be verified.
            JamfMcpError: any other failure (subclasses), e.g. the provider is unreachable.
        """
        ...
