"""Dynamic client registration (RFC 7591): metadata turned into a `RegisteredClient`.

The checks on redirect URIs, names and choices are shared with Client ID Metadata Documents
(`client_documents`).
"""

from __future__ import annotations

import secrets
from typing import Any

from jamf_mcp.adapters.oauth_server.handles import HANDLE_BYTES, digest
from jamf_mcp.adapters.oauth_server.outcomes import OAuthError
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oauth_server.redirect_uris import redirect_uri_problem

AUTH_METHODS = ("none", "client_secret_post", "client_secret_basic")
GRANT_TYPES = ("authorization_code", "refresh_token")
APPLICATION_TYPES = ("web", "native")
MAX_REDIRECT_URIS = 10
MAX_NAME_LENGTH = 200


def invalid_metadata(description: str) -> OAuthError:
    return OAuthError("invalid_client_metadata", description)


def strings_of(metadata: dict[str, Any], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = metadata.get(name)
    if value is None:
        return default
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid_metadata(f"{name} must be a list of strings")
    return tuple(dict.fromkeys(value))


def redirect_uris_of(metadata: dict[str, Any]) -> tuple[str, ...]:
    uris = metadata.get("redirect_uris")
    if not isinstance(uris, list) or not uris:
        raise OAuthError("invalid_redirect_uri", "redirect_uris must be a non-empty list")
    if len(uris) > MAX_REDIRECT_URIS:
        raise OAuthError("invalid_redirect_uri", f"at most {MAX_REDIRECT_URIS} redirect URIs")
    for uri in uris:
        if problem := redirect_uri_problem(uri):
            raise OAuthError("invalid_redirect_uri", problem)
    return tuple(dict.fromkeys(uris))


def client_name_of(metadata: dict[str, Any]) -> str | None:
    name = metadata.get("client_name")
    if name is None:
        return None
    if not isinstance(name, str):
        raise invalid_metadata("client_name must be a string")
    cleaned = "".join(ch for ch in name if ch.isprintable()).strip()
    return cleaned[:MAX_NAME_LENGTH] or None


def choice_of(metadata: dict[str, Any], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = metadata.get(name, default)
    if value not in allowed:
        raise invalid_metadata(f"{name} must be one of {', '.join(allowed)}")
    return str(value)


def _flows(metadata: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # Unlike RFC 7591's default (authorization_code only) we grant refresh_token too when the
    # client names none: every MCP client wants refresh tokens, and the answer tells it so.
    grant_types = strings_of(metadata, "grant_types", GRANT_TYPES)
    if unsupported := [g for g in grant_types if g not in GRANT_TYPES]:
        raise invalid_metadata(f"unsupported grant_types: {', '.join(unsupported)}")
    if "authorization_code" not in grant_types:
        raise invalid_metadata("grant_types must include authorization_code")
    response_types = strings_of(metadata, "response_types", ("code",))
    if response_types != ("code",):
        raise invalid_metadata('response_types must be ["code"]')
    return grant_types, response_types


def register_client(metadata: object, *, now: int) -> tuple[RegisteredClient, str | None]:
    """Validate an RFC 7591 registration request and mint the client (and its secret, if any).

    Returns:
        The client, and the client secret in the clear (None for a public client) — the only
        time it exists outside the client; the store keeps its digest.

    Raises:
        OAuthError: `invalid_redirect_uri` or `invalid_client_metadata`.
    """
    if not isinstance(metadata, dict):
        raise invalid_metadata("the registration request must be a JSON object")
    redirect_uris = redirect_uris_of(metadata)
    method = choice_of(metadata, "token_endpoint_auth_method", AUTH_METHODS, "client_secret_basic")
    grant_types, response_types = _flows(metadata)
    secret = None if method == "none" else secrets.token_urlsafe(HANDLE_BYTES)
    client = RegisteredClient(
        client_id="jmc_" + secrets.token_urlsafe(18),
        client_name=client_name_of(metadata),
        redirect_uris=redirect_uris,
        token_endpoint_auth_method=method,
        grant_types=grant_types,
        response_types=response_types,
        application_type=choice_of(metadata, "application_type", APPLICATION_TYPES, "web"),
        secret_digest=None if secret is None else digest(secret),
        issued_at=now,
    )
    return client, secret


def registration_response(client: RegisteredClient, secret: str | None) -> dict[str, Any]:
    """The RFC 7591 §3.2.1 answer: the registered metadata plus the credentials."""
    body: dict[str, Any] = {
        "client_id": client.client_id,
        "client_id_issued_at": client.issued_at,
        "redirect_uris": list(client.redirect_uris),
        "token_endpoint_auth_method": client.token_endpoint_auth_method,
        "grant_types": list(client.grant_types),
        "response_types": list(client.response_types),
        "application_type": client.application_type,
    }
    if client.client_name is not None:
        body["client_name"] = client.client_name
    if secret is not None:
        body["client_secret"] = secret
        body["client_secret_expires_at"] = 0
    return body
