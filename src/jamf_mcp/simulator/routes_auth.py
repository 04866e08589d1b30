"""Token endpoints: OAuth client credentials, Basic → bearer, keep-alive, invalidate, current auth."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from litestar import Request, Response, get, post

from jamf_mcp.simulator.clock import iso_ms
from jamf_mcp.simulator.context import ctx, current_token
from jamf_mcp.simulator.errors import api_error_body, json_response
from jamf_mcp.simulator.privileges import CATALOGUE

_PUBLIC = {"public": True}


async def _oauth_token(request: Request[Any, Any, Any]) -> Response[bytes]:
    sim = ctx(request)
    form = await request.form()
    if form.get("grant_type") != "client_credentials":
        return json_response({"error": "unsupported_grant_type"}, 400)
    client_id, secret = form.get("client_id"), form.get("client_secret")
    if not isinstance(client_id, str) or not isinstance(secret, str) or not client_id:
        return json_response({"error": "invalid_request"}, 400)
    principal = sim.tokens.client(client_id, secret)
    if principal is None:
        return json_response({"error": "invalid_client"}, sim.options.bad_client_status)
    token = sim.tokens.issue(principal)
    return json_response(
        {
            "access_token": token.value,
            "scope": "api-role:1",
            "token_type": "Bearer",
            "expires_in": max(sim.tokens.ttl_seconds - 1, 0),
        }
    )


@post("/api/oauth/token", opt=_PUBLIC, status_code=200)
async def oauth_token(request: Request[Any, Any, Any]) -> Response[bytes]:
    """OAuth 2 client credentials (the path Jamf's docs use)."""
    return await _oauth_token(request)


@post("/api/v1/oauth/token", opt=_PUBLIC, status_code=200)
async def oauth_token_v1(request: Request[Any, Any, Any]) -> Response[bytes]:
    """OAuth 2 client credentials (the path the OpenAPI schema declares)."""
    return await _oauth_token(request)


@post("/api/v1/auth/token", opt=_PUBLIC, status_code=200)
async def basic_token(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Exchange Basic credentials for a user bearer token."""
    sim = ctx(request)
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    principal = None
    if scheme.lower() == "basic":
        try:
            username, _, password = base64.b64decode(encoded.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            username, password = "", ""
        principal = sim.tokens.user(username, password)
    if principal is None:
        return json_response(api_error_body(401, None), 401)
    token = sim.tokens.issue(principal)
    return json_response({"token": token.value, "expires": iso_ms(token.expires_ms)})


@post("/api/v1/auth/keep-alive", status_code=200)
async def keep_alive(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Invalidate the presented token and issue a fresh one for the same principal."""
    sim = ctx(request)
    old = current_token(request)
    sim.tokens.invalidate(old.value)
    token = sim.tokens.issue(old.principal)
    return json_response({"token": token.value, "expires": iso_ms(token.expires_ms)})


@post("/api/v1/auth/invalidate-token", status_code=204)
async def invalidate_token(request: Request[Any, Any, Any]) -> None:
    """Invalidate the presented token."""
    ctx(request).tokens.invalidate(current_token(request).value)


@get("/api/v1/auth")
async def current_auth(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Details of the authenticated account, shaped as Jamf's ``AuthorizationV1`` (OpenAPI
    11.30.1): the privileges are in ``account.privilegesBySite``, keyed by site id, ``-1`` being
    the whole instance (as administrators report for API clients; an assumption, Jamf documents
    no example for them). A principal holding everything lists the whole catalogue."""
    principal = current_token(request).principal
    everything = principal.privileges is None
    privileges = sorted(CATALOGUE if principal.privileges is None else principal.privileges)
    client = principal.kind == "client"
    return json_response(
        {
            "account": {
                "id": "1",
                "username": principal.subject,
                "realName": principal.subject,
                "email": "",
                "preferences": {
                    "language": "en",
                    "dateFormat": "yyyy/MM/dd",
                    "region": "",
                    "timezone": "UTC",
                },
                "multiSiteAdmin": True,
                "accessLevel": "FullAccess",
                "privilegeSet": "ADMINISTRATOR" if everything and not client else "CUSTOM",
                "privilegesBySite": {"-1": privileges},
                "groupIds": [],
                "currentSiteId": "-1",
            },
            "accountGroups": [],
            "sites": [],
            "authenticationType": "CLIENT_CREDENTIALS" if client else "JSS",
        }
    )


ROUTES = [oauth_token, oauth_token_v1, basic_token, keep_alive, invalidate_token, current_auth]
