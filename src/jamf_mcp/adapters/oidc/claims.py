"""Reading verified claims: scopes in their provider dialects, and the resulting `Principal`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jamf_mcp.domain.principal import Principal


def _words(value: object) -> set[str]:
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str) and item}
    return set()


def scopes_from_claims(claims: Mapping[str, Any]) -> frozenset[str]:
    """The union of `scope` (RFC 9068, space-separated), `scp` (Okta) and `permissions` (Auth0)."""
    return frozenset(
        _words(claims.get("scope")) | _words(claims.get("scp")) | _words(claims.get("permissions"))
    )


def first_string(claims: Mapping[str, Any], *names: str) -> str | None:
    """The first of `names` whose claim is a non-empty string."""
    for name in names:
        value = claims.get(name)
        if isinstance(value, str) and value:
            return value
    return None


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """The `Principal` of verified access-token claims (`iss` and `sub` already validated)."""
    return Principal(
        issuer=str(claims["iss"]),
        subject=str(claims["sub"]),
        scopes=scopes_from_claims(claims),
        display_name=first_string(claims, "name", "preferred_username", "nickname"),
        email=first_string(claims, "email"),
        client_id=first_string(claims, "client_id", "azp", "cid"),
    )
