"""The OAuth front door's HTTP routes (`/auth/*`), thin: parse the request, call `FrontDoor`, render.

None of these routes requires a token — they are how a client gets one.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import attrs
from litestar import MediaType, Request, Response, get, post
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.asgi_mcp.request_checks import is_json_content_type
from jamf_mcp.adapters.litestar_http.oauth_cookies import SignInCookies
from jamf_mcp.adapters.litestar_http.oauth_json import json_parameters
from jamf_mcp.adapters.litestar_http.oauth_pages import (
    consent_html,
    error_html,
    page_headers,
)
from jamf_mcp.adapters.oauth_server import (
    AllowAllRateLimiter,
    AuthRateLimiter,
    ConsentPrompt,
    ErrorPage,
    FrontDoor,
    OAuthError,
    RedirectTo,
    TokenReply,
)
from jamf_mcp.adapters.oauth_server.token_endpoint import NO_STORE
from jamf_mcp.application.ports import RateLimiter

MAX_FORM_BYTES = 16 * 1024
TOKEN_PATHS = ("/auth/callback", "/auth/token", "/auth/revoke")
"""Limited per OAuth client, not by the per-address sign-in limit (`ClientIpRateLimit.exempt`)."""
MAX_REGISTRATION_BYTES = 32 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"

Browser = ErrorPage | RedirectTo | ConsentPrompt
PageCallback = Callable[[dict[str, str], dict[str, str]], Awaitable[Response[Any]]]
"""Completes a page sign-in's round trip (`state` prefixed `page.`; see `page_sessions`)."""
PAGE_STATE_PREFIX = "page."


@attrs.frozen
class RegistrationQuota:
    """How many clients one address may register per day (buckets that refill over a day).

    Attributes:
        limiter: a `RateLimiter` built with a one-day period.
        per_day: registrations per client IP per day.
    """

    limiter: RateLimiter
    per_day: int


class _Duplicated(Exception):
    """A parameter appeared more than once (RFC 6749 §3.1 forbids it)."""


def _single_values(items: Iterable[tuple[str, Any]]) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in items:
        if key in values:
            raise _Duplicated(key)
        if isinstance(value, str):
            values[key] = value
    return values


def _json(reply: TokenReply) -> Response[Any]:
    return Response(
        reply.body, status_code=reply.status, media_type="application/json", headers=reply.headers
    )


def _oauth_error(error: OAuthError) -> Response[Any]:
    return _json(TokenReply(error.status, error.body(), {**NO_STORE, **error.headers}))


def _too_many(
    retry_after: int = 10, message: str = "Too many requests; try again shortly."
) -> Response[Any]:
    reply = _oauth_error(OAuthError("slow_down", message, 429))
    reply.headers["Retry-After"] = str(retry_after)
    return reply


def _is_form(request: Request[Any, Any, Any]) -> bool:
    return request.content_type[0] == FORM_TYPE


def _client_key(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


async def _form(request: Request[Any, Any, Any]) -> dict[str, str] | Response[Any]:
    """A token-style body (a form, or the same parameters as a JSON object), or the error answer
    to send instead."""
    json_body = is_json_content_type(request.headers.get("content-type"))
    if not (_is_form(request) or json_body):
        return _oauth_error(
            OAuthError("invalid_request", f"Send the request as {FORM_TYPE} (or JSON).")
        )
    try:
        if json_body:
            return json_parameters(await request.body())
        return _single_values((await request.form()).multi_items())
    except _Duplicated:
        return _oauth_error(OAuthError("invalid_request", "A parameter was sent twice."))
    except RequestEntityTooLarge:
        return _oauth_error(OAuthError("invalid_request", "The request is too large.", 413))
    except OAuthError as error:
        return _oauth_error(error)


def oauth_route_handlers(
    front_door: FrontDoor,
    rate_limiter: AuthRateLimiter | None = None,
    registrations: RegistrationQuota | None = None,
    page_callback: PageCallback | None = None,
) -> list[ControllerRouterHandler]:
    """Route handlers for `/auth/authorize`, `/auth/consent`, `/auth/upstream/callback`,
    `/auth/callback` and `/auth/token` (token endpoint), `/auth/revoke`, `/auth/register` and
    `/auth/jwks.json`.

    Args:
        front_door: the authorization server core.
        rate_limiter: asked before every POST with the caller's address (for the token and
            revocation endpoints, a generous per-address ceiling: the front door limits them per
            client); the default allows everything.
        registrations: the per-address daily registration quota; None: no quota.
        page_callback: completes sign-ins of this server's own pages, which come back to the
            same callback URL (the one registered at the identity provider).
    """
    limiter = rate_limiter or AllowAllRateLimiter()
    cookies = SignInCookies(
        secure=front_door.config.served_over_https, max_age=front_door.config.transaction_ttl
    )

    def render(outcome: Browser) -> Response[Any]:
        if isinstance(outcome, RedirectTo):
            headers = {"Location": outcome.location, **page_headers()}
            bound = (
                []
                if outcome.browser_binding is None
                else [cookies.binding(outcome.browser_binding)]
            )
            return Response(b"", status_code=outcome.status, headers=headers, cookies=bound)
        if isinstance(outcome, ErrorPage):
            return Response(
                error_html(outcome),
                status_code=outcome.status,
                media_type=MediaType.HTML,
                headers=page_headers(),
            )
        return Response(
            consent_html(outcome),
            status_code=200,
            media_type=MediaType.HTML,
            headers=page_headers(outcome.form_origins),
            cookies=[cookies.csrf(outcome.csrf_token)],
        )

    @get("/auth/authorize", include_in_schema=False)
    async def authorize(request: Request[Any, Any, Any]) -> Response[Any]:
        try:
            params = _single_values(request.query_params.multi_items())
        except _Duplicated:
            return render(ErrorPage(400, "Malformed request", "A parameter was sent twice."))
        return render(await front_door.authorize(params, request.cookies.get(cookies.csrf_name)))

    @post("/auth/consent", include_in_schema=False, request_max_body_size=MAX_FORM_BYTES)
    async def consent(request: Request[Any, Any, Any]) -> Response[Any]:
        if not await limiter.allow("consent", _client_key(request)):
            return render(ErrorPage(429, "Too many requests", "Wait a moment and try again."))
        try:
            form = _single_values((await request.form()).multi_items()) if _is_form(request) else {}
        except (_Duplicated, RequestEntityTooLarge):
            return render(ErrorPage(400, "Malformed request", "The form could not be read."))
        outcome = await front_door.consent(
            form,
            request.cookies.get(cookies.csrf_name),
            request.cookies.get(cookies.binding_name),
        )
        return render(outcome)

    @get("/auth/upstream/callback", include_in_schema=False)
    async def upstream_callback(request: Request[Any, Any, Any]) -> Response[Any]:
        try:
            params = _single_values(request.query_params.multi_items())
        except _Duplicated:
            return render(ErrorPage(400, "Malformed request", "A parameter was sent twice."))
        if page_callback is not None and params.get("state", "").startswith(PAGE_STATE_PREFIX):
            return await page_callback(params, dict(request.cookies))
        binding = request.cookies.get(cookies.binding_name)
        return render(await front_door.upstream_callback(params, binding))

    @post(
        ["/auth/callback", "/auth/token"],
        include_in_schema=False,
        request_max_body_size=MAX_FORM_BYTES,
    )
    async def token(request: Request[Any, Any, Any]) -> Response[Any]:
        if not await limiter.allow("token", _client_key(request)):
            return _too_many()
        form = await _form(request)
        if isinstance(form, Response):
            return form
        authorization = request.headers.get("authorization")
        return _json(await front_door.token(form, authorization, _client_key(request)))

    @post("/auth/revoke", include_in_schema=False, request_max_body_size=MAX_FORM_BYTES)
    async def revoke(request: Request[Any, Any, Any]) -> Response[Any]:
        if not await limiter.allow("revoke", _client_key(request)):
            return _too_many()
        form = await _form(request)
        if isinstance(form, Response):
            return form
        authorization = request.headers.get("authorization")
        return _json(await front_door.revoke(form, authorization, _client_key(request)))

    @post(
        "/auth/register",
        include_in_schema=False,
        request_max_body_size=MAX_REGISTRATION_BYTES,
    )
    async def register(request: Request[Any, Any, Any]) -> Response[Any]:
        if not await limiter.allow("register", _client_key(request)):
            return _too_many()
        if not is_json_content_type(request.headers.get("content-type")):
            return _oauth_error(
                OAuthError(
                    "invalid_client_metadata", "Send the registration as application/json.", 415
                )
            )
        if registrations is not None:
            decision = await registrations.limiter.take(
                f"register:{_client_key(request)}", registrations.per_day
            )
            if not decision.allowed:
                return _too_many(
                    max(1, math.ceil(decision.retry_after_seconds)),
                    "Too many registrations from this address today; try again later.",
                )
        try:
            body = await request.body()
        except RequestEntityTooLarge:
            return _oauth_error(
                OAuthError("invalid_client_metadata", "The registration is too large.", 413)
            )
        return _json(await front_door.register(body))

    @get("/auth/jwks.json", include_in_schema=False, sync_to_thread=False)
    def jwks() -> Response[Any]:
        return Response(
            front_door.jwks(),
            media_type="application/json",
            headers={"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"},
        )

    return [authorize, consent, upstream_callback, token, revoke, register, jwks]
