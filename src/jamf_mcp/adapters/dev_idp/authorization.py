"""Checking an authorization request (`GET /dev-idp/authorize`) before anyone sees a login form.

Two kinds of failure, as RFC 6749 §4.1.2.1 requires: an unknown client or a redirect URI that is
not registered gets an error page and is never redirected to; every other problem is sent back to
the (now trusted) redirect URI as `error=...`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

import attrs

OIDC_SCOPES = frozenset({"openid", "profile", "email", "offline_access"})
_CHALLENGE = re.compile(r"[A-Za-z0-9_-]{43}")
_MAX_PARAMETER = 2048


@attrs.frozen
class AuthorizationRequest:
    """A checked request: who asks, where the answer goes, and what the token should carry."""

    client_id: str
    redirect_uri: str
    state: str | None
    nonce: str | None
    code_challenge: str
    scopes: tuple[str, ...]
    audience: str | None


class UntrustedRequest(Exception):
    """Unknown client, unregistered redirect URI or duplicated client parameters: show a page."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class RedirectableError(Exception):
    """A protocol error to report to the client at its (verified) redirect URI."""

    def __init__(
        self, error: str, description: str, *, redirect_uri: str, state: str | None
    ) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.redirect_uri = redirect_uri
        self.state = state


def _one(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = params.get(name) or ()
    if len(values) > 1:
        raise ValueError(name)
    if not values or values[0] == "":
        return None
    return values[0]


def _absolute_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc) and not parts.fragment


def check_authorization_request(
    params: Mapping[str, Sequence[str]], *, client_id: str, redirect_uris: frozenset[str]
) -> AuthorizationRequest:
    """Validate the query of an authorization request for our single registered client.

    Raises:
        UntrustedRequest: the client or redirect URI cannot be trusted (render an error page).
        RedirectableError: anything else (send the client `error` at its redirect URI).
    """
    try:
        asked_client, redirect_uri = _one(params, "client_id"), _one(params, "redirect_uri")
    except ValueError as duplicated:
        raise UntrustedRequest(f"The {duplicated} parameter appears more than once.") from None
    if asked_client is None:
        raise UntrustedRequest("The request names no client (client_id is missing).")
    if asked_client != client_id:
        raise UntrustedRequest("This development sign-in knows no such client.")
    if redirect_uri is None or redirect_uri not in redirect_uris:
        raise UntrustedRequest(
            "The redirect_uri is missing or is not registered for this client, so this page will "
            "not send you anywhere."
        )
    state_values = params.get("state") or ()
    state = state_values[0] if len(state_values) == 1 else None

    def fail(error: str, description: str) -> RedirectableError:
        return RedirectableError(error, description, redirect_uri=redirect_uri, state=state)

    if len(state_values) > 1:
        raise fail("invalid_request", "state appears more than once")
    try:
        values = {
            name: _one(params, name)
            for name in (
                "response_type",
                "response_mode",
                "scope",
                "nonce",
                "code_challenge",
                "code_challenge_method",
                "audience",
                "resource",
            )
        }
    except ValueError as duplicated:
        raise fail("invalid_request", f"{duplicated} appears more than once") from None
    if any(value is not None and len(value) > _MAX_PARAMETER for value in values.values()):
        raise fail("invalid_request", "a parameter is too long")
    if values["response_type"] != "code":
        raise fail("unsupported_response_type", "only response_type=code is supported")
    if values["response_mode"] not in (None, "query"):
        raise fail("invalid_request", "only response_mode=query is supported")
    challenge = values["code_challenge"]
    if challenge is None or values["code_challenge_method"] != "S256":
        raise fail("invalid_request", "PKCE is required: send code_challenge with method S256")
    if not _CHALLENGE.fullmatch(challenge):
        raise fail("invalid_request", "code_challenge is not a base64url SHA-256 digest")
    scopes = tuple(dict.fromkeys((values["scope"] or "").split()))
    if "openid" not in scopes:
        raise fail("invalid_scope", "this provider signs users in with OpenID: include 'openid'")
    audience = values["audience"] or values["resource"]
    if audience is not None and not _absolute_uri(audience) and values["audience"] is None:
        raise fail("invalid_target", "resource must be an absolute URI without a fragment")
    return AuthorizationRequest(
        client_id=asked_client,
        redirect_uri=redirect_uri,
        state=state,
        nonce=values["nonce"],
        code_challenge=challenge,
        scopes=scopes,
        audience=audience,
    )


def granted_scopes(requested: Sequence[str], user_scopes: frozenset[str]) -> tuple[str, ...]:
    """The requested OpenID scopes, plus the requested API scopes this user holds, in order."""
    return tuple(s for s in requested if s in OIDC_SCOPES or s in user_scopes)
