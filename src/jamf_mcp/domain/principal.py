"""Who is asking: the signed-in principal and the scopes that authorize tools."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import attrs


class Scope(StrEnum):
    """The OAuth scopes this product understands."""

    READ = "read:jamf"
    WRITE = "write:jamf"


def _scope_set(scopes: Iterable[str]) -> frozenset[str]:
    return frozenset(scopes)


@attrs.frozen
class Principal:
    """A signed-in user (or client) as established by a validated bearer token.

    `issuer` + `subject` identify the person across requests; `scopes` say what they may do.
    """

    issuer: str
    subject: str
    scopes: frozenset[str] = attrs.field(converter=_scope_set, factory=frozenset)
    display_name: str | None = None
    email: str | None = None
    client_id: str | None = None

    @property
    def key(self) -> str:
        """A stable identifier for this principal: issuer and subject together."""
        return f"{self.issuer}#{self.subject}"

    def missing(self, required: frozenset[str]) -> tuple[str, ...]:
        """Return the scopes of `required` this principal lacks, sorted."""
        return tuple(sorted(required - self.scopes))

    def has_all(self, required: frozenset[str]) -> bool:
        """True when every scope of `required` is granted."""
        return required <= self.scopes


_LOCAL_OPERATOR = Principal(
    issuer="urn:jamf-mcp:local",
    subject="local-operator",
    scopes=frozenset({Scope.READ.value, Scope.WRITE.value}),
    display_name="Local operator (authentication disabled)",
)


def local_operator() -> Principal:
    """The principal used when authentication is off (loopback development only)."""
    return _LOCAL_OPERATOR
