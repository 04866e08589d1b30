"""Redirect URIs: which ones a client may register, and how answers are appended to them."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

from jamf_mcp.adapters.oauth_server.outcomes import RedirectTo

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_URI_LENGTH = 512


def redirect_uri_problem(uri: object) -> str | None:
    """Why `uri` cannot be registered as a redirect URI, or None when it can.

    Allowed: absolute `https` URIs, and `http` only for loopback hosts (native apps, RFC 8252);
    never a fragment or user information.
    """
    if not isinstance(uri, str) or not uri:
        return "a redirect URI must be a non-empty string"
    if len(uri) > MAX_URI_LENGTH:
        return "a redirect URI is too long"
    if "#" in uri:
        return "a redirect URI must not contain a fragment"
    if any(ch.isspace() or ord(ch) < 0x20 for ch in uri):
        return "a redirect URI must not contain whitespace or control characters"
    try:
        parts = urlsplit(uri)
        _ = parts.port
    except ValueError:
        return "a redirect URI must be a valid URL"
    if parts.username is not None or parts.password is not None:
        return "a redirect URI must not contain user information"
    if not parts.hostname:
        return "a redirect URI must be absolute"
    if parts.scheme == "https":
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS:
        return None
    return "a redirect URI must use https (http only for localhost, 127.0.0.1 or [::1])"


def origin_of(uri: str) -> str:
    """`https://host[:port]` of an absolute URI."""
    parts = urlsplit(uri)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def host_of(uri: str) -> str:
    """The host (with a non-default port) shown to users, e.g. `chatgpt.com`."""
    return urlsplit(uri).netloc


def with_params(uri: str, params: dict[str, str | None]) -> str:
    """`uri` with `params` (None values left out) added to whatever query it already has."""
    parts = urlsplit(uri)
    added = urlencode({key: value for key, value in params.items() if value is not None})
    query = f"{parts.query}&{added}" if parts.query else added
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def error_redirect(
    issuer: str, redirect_uri: str, state: str | None, error: str, description: str
) -> RedirectTo:
    """An RFC 6749 §4.1.2.1 error back to the client, with its `state` and our `iss` (RFC 9207).

    Only for a redirect URI the user has already been shown on the consent page.
    """
    params = {"error": error, "error_description": description, "state": state, "iss": issuer}
    return RedirectTo(with_params(redirect_uri, params), 303)
