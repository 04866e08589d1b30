"""Talking to an upstream's token endpoint as a client: authentication, posting, reading answers."""

from __future__ import annotations

import base64
import logging
from typing import Any
from urllib.parse import quote

import attrs
import httpx

from jamf_mcp.adapters.oidc.discovery import ProviderMetadata
from jamf_mcp.adapters.oidc.reasons import IdentityProviderUnavailable, RejectionReason
from jamf_mcp.domain.errors import InvalidToken

_log = logging.getLogger(__name__)
_GRANT_REJECTED = frozenset({"invalid_grant", "access_denied", "invalid_scope"})


@attrs.frozen
class UpstreamClientCredentials:
    """Our client at the upstream."""

    client_id: str
    client_secret: str | None = attrs.field(repr=False)


async def post_token_request(
    http: httpx.AsyncClient,
    metadata: ProviderMetadata,
    credentials: UpstreamClientCredentials,
    form: dict[str, str],
) -> dict[str, Any]:
    """POST `form` to the token endpoint, authenticating as the upstream advertises; the JSON body.

    Raises:
        InvalidToken: `upstream_rejected` (the grant was refused: bad/used code, revoked refresh
            token, user gone).
        IdentityProviderUnavailable: network failures, 5xx, client misconfiguration.
    """
    issuer = metadata.issuer
    if metadata.token_endpoint is None:
        raise IdentityProviderUnavailable(
            f"The identity provider {issuer!r} publishes no token_endpoint."
        )
    form = dict(form)
    headers = {"Accept": "application/json"}
    methods = metadata.token_endpoint_auth_methods
    if credentials.client_secret is None:
        form["client_id"] = credentials.client_id
    elif "client_secret_post" in methods and "client_secret_basic" not in methods:
        form.update(client_id=credentials.client_id, client_secret=credentials.client_secret)
    else:
        headers["Authorization"] = basic_credentials(
            credentials.client_id, credentials.client_secret
        )
    try:
        response = await http.post(metadata.token_endpoint, data=form, headers=headers)
    except httpx.HTTPError as error:
        raise IdentityProviderUnavailable(
            f"Could not reach the identity provider's token endpoint ({type(error).__name__})."
        ) from None
    return token_response_body(response, issuer)


def basic_credentials(client_id: str, client_secret: str) -> str:
    """`Basic …` for client_secret_basic."""
    # RFC 6749 §2.3.1: form-encode both parts before base64 (httpx.BasicAuth does not).
    raw = f"{quote(client_id, safe='')}:{quote(client_secret, safe='')}"
    return "Basic " + base64.b64encode(raw.encode()).decode()


def token_response_body(response: httpx.Response, issuer: str) -> dict[str, Any]:
    """The body of a successful token response, or the error it stands for."""
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        body = {}
    if response.status_code == 200 and body:
        return body
    error = body.get("error") if isinstance(body.get("error"), str) else None
    if response.status_code in (400, 401, 403) and error in _GRANT_REJECTED:
        _log.info(
            "upstream refused the grant", extra={"fields": {"issuer": issuer, "error": error}}
        )
        raise InvalidToken(RejectionReason.UPSTREAM_REJECTED.value, "Sign-in was not accepted")
    if error in ("invalid_client", "unauthorized_client"):
        raise IdentityProviderUnavailable(
            f"The identity provider {issuer!r} rejected this server's client credentials "
            f"({error}); check the client id and secret."
        )
    raise IdentityProviderUnavailable(
        f"The identity provider {issuer!r} answered the token request with HTTP "
        f"{response.status_code}{f' ({error})' if error else ''}."
    )
