"""Authorization decisions: which scopes a use case needs, checked against the principal."""

from __future__ import annotations

from jamf_mcp.domain.errors import AccessDenied
from jamf_mcp.domain.principal import Principal, Scope

READ: frozenset[str] = frozenset({Scope.READ.value})
WRITE: frozenset[str] = frozenset({Scope.WRITE.value})


def require(principal: Principal, scopes: frozenset[str]) -> None:
    """Raise `AccessDenied` naming every scope of `scopes` the principal lacks."""
    missing = principal.missing(scopes)
    if missing:
        raise AccessDenied(missing)
