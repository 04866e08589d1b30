"""Reading a token request (RFC 6749 §3.2, §4.1.3): client authentication, grant, PKCE.

Errors are `TokenError`s carrying the RFC 6749 §5.2 error code and HTTP status.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote

import attrs

_VERIFIER = re.compile(r"[A-Za-z0-9._~-]{43,128}")


class TokenError(Exception):
    """An RFC 6749 §5.2 error response.

    Attributes:
        error: the error code (`invalid_request`, `invalid_client`, `invalid_grant`, ...).
        description: a human-readable `error_description` (never contains secrets).
        status: 400, or 401 for `invalid_client`.
        basic_challenge: answer with `WWW-Authenticate: Basic` (the client tried HTTP Basic).
    """

    def __init__(
        self, error: str, description: str, *, status: int = 400, basic_challenge: bool = False
    ) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status
        self.basic_challenge = basic_challenge

    def body(self) -> dict[str, Any]:
        """The JSON error body."""
        return {"error": self.error, "error_description": self.description}


@attrs.frozen
class TokenRequest:
    """An authenticated authorization-code token request."""

    client_id: str
    code: str = attrs.field(repr=False)
    redirect_uri: str
    code_verifier: str = attrs.field(repr=False)


def _single(form: Mapping[str, Sequence[str]], name: str) -> str | None:
    values = form.get(name) or ()
    if len(values) > 1:
        raise TokenError("invalid_request", f"{name} appears more than once")
    return values[0] if values and values[0] != "" else None


def _basic(authorization: str) -> tuple[str, str]:
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic":
        raise TokenError("invalid_client", "unsupported authentication scheme", status=401)
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise TokenError(
            "invalid_client", "malformed Basic credentials", status=401, basic_challenge=True
        ) from None
    client_id, separator, secret = decoded.partition(":")
    if not separator:
        raise TokenError(
            "invalid_client", "malformed Basic credentials", status=401, basic_challenge=True
        )
    # RFC 6749 §2.3.1: both parts are form-encoded before base64.
    return unquote(client_id.replace("+", " ")), unquote(secret.replace("+", " "))


def authenticate_client(
    form: Mapping[str, Sequence[str]],
    authorization: str | None,
    *,
    client_id: str,
    client_secret: str,
) -> str:
    """Check `client_secret_basic` or `client_secret_post` credentials; return the client id.

    Raises:
        TokenError: `invalid_request` (two methods at once) or `invalid_client` (401).
    """
    posted_id, posted_secret = _single(form, "client_id"), _single(form, "client_secret")
    basic = authorization is not None
    if basic and posted_secret is not None:
        raise TokenError("invalid_request", "use one client authentication method, not two")
    if basic:
        assert authorization is not None
        given_id, given_secret = _basic(authorization)
        if posted_id is not None and posted_id != given_id:
            raise TokenError("invalid_request", "client_id does not match the credentials")
    elif posted_id is not None and posted_secret is not None:
        given_id, given_secret = posted_id, posted_secret
    else:
        raise TokenError("invalid_client", "client authentication is required", status=401)
    id_ok = hmac.compare_digest(given_id.encode(), client_id.encode())
    secret_ok = hmac.compare_digest(given_secret.encode(), client_secret.encode())
    if not (id_ok and secret_ok):
        raise TokenError(
            "invalid_client", "client authentication failed", status=401, basic_challenge=basic
        )
    return client_id


@attrs.frozen
class RefreshRequest:
    """An authenticated refresh-token request."""

    client_id: str
    refresh_token: str = attrs.field(repr=False)


def read_token_request(
    form: Mapping[str, Sequence[str]], authenticated_client: str
) -> TokenRequest | RefreshRequest:
    """The grant parameters of an authorization-code or refresh-token request.

    Raises:
        TokenError: `unsupported_grant_type` or `invalid_request`.
    """
    grant_type = _single(form, "grant_type")
    if grant_type is None:
        raise TokenError("invalid_request", "grant_type is required")
    if grant_type == "refresh_token":
        token = _single(form, "refresh_token")
        if token is None:
            raise TokenError("invalid_request", "refresh_token is required")
        return RefreshRequest(authenticated_client, token)
    if grant_type != "authorization_code":
        raise TokenError(
            "unsupported_grant_type", "only authorization_code and refresh_token are supported"
        )
    code, redirect_uri = _single(form, "code"), _single(form, "redirect_uri")
    verifier = _single(form, "code_verifier")
    if code is None or redirect_uri is None:
        raise TokenError("invalid_request", "code and redirect_uri are required")
    if verifier is None:
        raise TokenError("invalid_request", "code_verifier is required (PKCE)")
    return TokenRequest(authenticated_client, code, redirect_uri, verifier)


def pkce_matches(verifier: str, challenge: str) -> bool:
    """RFC 7636 S256: base64url(SHA-256(verifier)) equals the challenge (constant time)."""
    if not _VERIFIER.fullmatch(verifier):
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=")
    return hmac.compare_digest(computed, challenge.encode("ascii"))
