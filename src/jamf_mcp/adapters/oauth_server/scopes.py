"""Which scopes a request asks for, and which the user ends up with.

Policy (lenient, because real clients differ): a request without `scope` gets the default API
scopes (ChatGPT omits `scope` when it reconnects); unknown scope names are dropped rather than
refused; a request naming only OIDC scopes also gets the default API scopes (a token for this
server is useless without one); a request whose every scope is unknown is refused `invalid_scope`.
"""

from __future__ import annotations

from collections.abc import Iterable

from jamf_mcp.adapters.oauth_server.config import OIDC_SCOPES, FrontDoorConfig
from jamf_mcp.adapters.oauth_server.outcomes import OAuthError

MAX_SCOPE_LENGTH = 1024


def api_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """The scopes of `scopes` that authorize API use (everything but the OIDC ones), sorted."""
    return tuple(sorted(set(scopes) - OIDC_SCOPES))


def requested_scopes(raw: str | None, config: FrontDoorConfig) -> tuple[str, ...]:
    """The scopes an authorization request asks for, after the policy above, sorted.

    Raises:
        OAuthError: `invalid_scope` when every named scope is unknown or the value is too long.
    """
    if raw is None or not raw.strip():
        return tuple(sorted(config.default_scopes))
    if len(raw) > MAX_SCOPE_LENGTH:
        raise OAuthError("invalid_scope", "The scope parameter is too long.")
    known = {name for name in raw.split() if name in config.allowed_scopes}
    if not known:
        raise OAuthError("invalid_scope", "None of the requested scopes is offered here.")
    if not api_scopes(known):
        known |= set(config.default_scopes)
    return tuple(sorted(known))


def granted_scopes(requested: Iterable[str], upstream_grant: frozenset[str]) -> frozenset[str]:
    """Requested API scopes the upstream grants this user, plus the requested OIDC scopes."""
    requested = set(requested)
    return frozenset((requested & upstream_grant) | (requested & OIDC_SCOPES))


def narrowed_scopes(raw: str | None, granted: frozenset[str]) -> frozenset[str]:
    """The scopes of a refresh request: all of the grant, or the subset it names.

    Raises:
        OAuthError: `invalid_scope` when it names a scope outside the original grant.
    """
    if raw is None or not raw.strip():
        return granted
    asked = frozenset(raw.split())
    if not asked <= granted:
        raise OAuthError("invalid_scope", "A refresh cannot add scopes to the original grant.")
    return asked
