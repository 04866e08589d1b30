"""Identity: turning a bearer token into the principal it was issued to."""

from __future__ import annotations

from typing import Protocol

from jamf_mcp.domain.principal import Principal


class TokenVerifier(Protocol):
    """Turns a bearer token into the principal it was issued to.

    Implementations check the signature against the issuer's published keys, the issuer, the
    audience, expiry and not-before, and read the granted scopes. They never log the token.
    """

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token.

        Raises:
            InvalidToken: for any token that must not be trusted (with a reason code).
        """
        ...
