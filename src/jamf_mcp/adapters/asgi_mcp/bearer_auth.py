"""The resource-server side of sign-in: bearer tokens on `/mcp`, 401/403 challenges (RFC 6750/9728).

`BearerAuthenticator.principal` turns a request's `Authorization` header into a `Principal`;
failures raise `AuthenticationFailed` / `ScopeRequired`, answered (`unauthorized`, `forbidden`)
with the `WWW-Authenticate` challenge MCP clients follow to sign in. `SignIn` is that check as
each MCP request runs it: the caller, named in the request's log lines from then on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Protocol

import attrs

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer
from jamf_mcp.adapters.structured_logs import bind_subject
from jamf_mcp.application.ports.identity import TokenVerifier
from jamf_mcp.domain.errors import InvalidToken
from jamf_mcp.domain.principal import Principal, local_operator

logger = logging.getLogger(__name__)

API_SCOPES = ("read:jamf", "write:jamf")
MAX_AUTHORIZATION_HEADER = 16_384


class AuthenticationFailed(Exception):
    """No usable bearer token: answered 401 with a challenge."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ScopeRequired(Exception):
    """A valid token that lacks scopes this request needs: answered 403 `insufficient_scope`."""

    def __init__(self, scopes: tuple[str, ...], granted: frozenset[str] = frozenset()) -> None:
        super().__init__(" ".join(scopes))
        self.scopes = scopes
        self.granted = granted


class CallerRequest(Protocol):
    """What sign-in reads of a request: its headers (lower-case names) and query parameters."""

    @property
    def headers(self) -> Mapping[str, str]:
        """The request headers."""
        ...

    @property
    def query_params(self) -> Mapping[str, str]:
        """The query parameters."""
        ...


def wanted_scopes(held: frozenset[str], missing: tuple[str, ...]) -> tuple[str, ...]:
    """The scopes to challenge for: the API scopes held plus those missing, in a stable order."""
    return tuple(
        dict.fromkeys([*(s for s in API_SCOPES if s in held or s in missing), *sorted(missing)])
    )


def _describe(reason: str) -> tuple[str, str]:
    if reason == "expired":
        return "Token expired", "Please re-authenticate"
    if reason in ("missing", "query_token"):
        return (
            "Authentication required",
            "Sign in and send the access token in the Authorization header",
        )
    return "Invalid token", "Please re-authenticate"


@attrs.frozen
class BearerAuthenticator:
    """Validates `Authorization: Bearer …` with a `TokenVerifier` (None: authentication off).

    Attributes:
        verifier: checks tokens; None serves every request as the local operator (loopback only).
        resource_metadata_url: the protected-resource metadata URL named in every challenge.
    """

    verifier: TokenVerifier | None
    resource_metadata_url: str

    async def principal(self, request: CallerRequest) -> Principal:
        """The caller of this request."""
        if self.verifier is None:
            return local_operator()
        if "access_token" in request.query_params:
            raise AuthenticationFailed("query_token")
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if not header or scheme.lower() != "bearer" or not token:
            raise AuthenticationFailed("missing" if not header else "malformed")
        if len(header) > MAX_AUTHORIZATION_HEADER:
            raise AuthenticationFailed("too_large")
        try:
            return await self.verifier.verify(token)
        except InvalidToken as error:
            raise AuthenticationFailed(error.reason) from None

    def challenge(self, *, error: str, scope: str | None = None) -> str:
        """A `WWW-Authenticate` value."""
        parts = [f'error="{error}"']
        if scope:
            parts.append(f'scope="{scope}"')
        parts.append(f'resource_metadata="{self.resource_metadata_url}"')
        return "Bearer " + ", ".join(parts)

    def unauthorized(self, failure: AuthenticationFailed) -> Answer:
        """The 401 answer (the reason code is logged; the token never is)."""
        logger.info("Refused a request: %s", failure.reason)
        title, message = _describe(failure.reason)
        return Answer(
            401,
            json.dumps({"error": title, "message": message}).encode(),
            headers={
                "WWW-Authenticate": self.challenge(error="invalid_token"),
                "Cache-Control": "no-store",
            },
        )

    def scope_challenge(self, held: frozenset[str], missing: tuple[str, ...]) -> str:
        """The `insufficient_scope` challenge for a caller holding `held` and lacking `missing`
        (also what a tool result refused for scopes carries in `_meta`)."""
        return self.challenge(
            error="insufficient_scope", scope=" ".join(wanted_scopes(held, missing))
        )

    def forbidden(self, needed: ScopeRequired) -> Answer:
        """The 403 answer naming every scope the client should ask for: the API scopes it holds
        as well as the missing ones, so a client that re-authorizes with exactly the challenged
        scope keeps what it had (MCP 2025-11-25 authorization, "Runtime Insufficient Scope")."""
        missing = " ".join(needed.scopes)
        return Answer(
            403,
            json.dumps(
                {
                    "error": "Insufficient scope",
                    "message": f"This request needs the scope(s) {missing}.",
                }
            ).encode(),
            headers={"WWW-Authenticate": self.scope_challenge(needed.granted, needed.scopes)},
        )


@attrs.frozen
class SignIn:
    """The sign-in check of each MCP request: who calls, named in the request's log context.

    Attributes:
        authenticator: turns the request's bearer token into a principal.
    """

    authenticator: BearerAuthenticator

    async def principal(self, request: CallerRequest) -> Principal:
        """The caller (raises like `BearerAuthenticator.principal`); every log line of the
        request from here on carries their subject."""
        principal = await self.authenticator.principal(request)
        bind_subject(principal.subject)
        return principal
