"""The development IdP's HTTP routes (`/dev-idp/*`), thin: read the request, ask the provider, render."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from litestar import MediaType, Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import ClientException
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.dev_idp.authorization import RedirectableError, UntrustedRequest
from jamf_mcp.adapters.dev_idp.grants import PendingLogin
from jamf_mcp.adapters.dev_idp.pages import (
    PAGE_HEADERS,
    WRONG_CREDENTIALS,
    LoginView,
    error_html,
    login_html,
)
from jamf_mcp.adapters.dev_idp.provider import ISSUER_SUFFIX, DevIdentityProvider
from jamf_mcp.adapters.dev_idp.token_request import TokenError

MAX_FORM_BYTES = 16 * 1024
FORM_TYPE = "application/x-www-form-urlencoded"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
EXPIRED_FORM = "The form is too old or was already used. Start again from the application."


def _params(items: Iterable[tuple[str, Any]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for key, value in items:
        if isinstance(value, str):
            params.setdefault(key, []).append(value)
    return params


def _first(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name) or [""]
    return values[0] if len(values) == 1 else ""


def _page(html: str, status: int, cookies: list[Cookie] | None = None) -> Response[Any]:
    return Response(
        html,
        status_code=status,
        media_type=MediaType.HTML,
        headers=dict(PAGE_HEADERS),
        cookies=cookies,
    )


def _error_page(status: int, title: str, detail: str) -> Response[Any]:
    return _page(error_html(title, detail), status)


def _redirect(location: str, cookies: list[Cookie] | None = None) -> Response[Any]:
    headers = {"Location": location, **PAGE_HEADERS}
    return Response(
        b"", status_code=303, headers=headers, cookies=cookies, media_type=MediaType.TEXT
    )


def _json(body: dict[str, Any], status: int = 200, **headers: str) -> Response[Any]:
    return Response(
        body, status_code=status, media_type=MediaType.JSON, headers={**NO_STORE, **headers}
    )


def dev_idp_route_handlers(
    provider: DevIdentityProvider, *, path: str = ISSUER_SUFFIX
) -> list[ControllerRouterHandler]:
    """Route handlers for discovery, JWKS, the login page and the token endpoint under `path`.

    The login page sets a browser-binding cookie (HttpOnly, SameSite=Lax; `__Host-` and Secure
    over https): the form only signs in from the browser that opened it.

    Args:
        provider: the development IdP.
        path: where the app serves it (the issuer's path when there is no proxy prefix).
    """
    secure = provider.issuer.startswith("https://")
    cookie_name = "__Host-dev_idp_signin" if secure else "dev_idp_signin_http"
    cookie_path = "/" if secure else (urlsplit(provider.issuer).path or "/")

    def binding_cookie(value: str, max_age: int) -> Cookie:
        return Cookie(
            key=cookie_name,
            value=value,
            path=cookie_path,
            max_age=max_age,
            secure=secure,
            httponly=True,
            samesite="lax",
        )

    def login_page(
        login: PendingLogin,
        *,
        binding: str | None = None,
        status: int = 200,
        error: str | None = None,
        username: str = "",
    ) -> Response[Any]:
        view = LoginView(login=login, users=provider.users, error=error, username=username)
        cookies = [] if binding is None else [binding_cookie(binding, provider.login_ttl)]
        return _page(login_html(view), status, cookies=cookies)

    @get(f"{path}/.well-known/openid-configuration", sync_to_thread=False, include_in_schema=False)
    def discovery() -> Response[Any]:
        return Response(provider.discovery_document(), media_type=MediaType.JSON)

    @get(f"{path}/jwks.json", sync_to_thread=False, include_in_schema=False)
    def jwks() -> Response[Any]:
        return Response(provider.jwks(), media_type=MediaType.JSON)

    @get(f"{path}/authorize", include_in_schema=False)
    async def authorize(request: Request[Any, Any, Any]) -> Response[Any]:
        try:
            checked = provider.check_authorization(_params(request.query_params.multi_items()))
        except UntrustedRequest as untrusted:
            return _error_page(400, "This sign-in request cannot be used", untrusted.detail)
        except RedirectableError as error:
            return _redirect(provider.error_redirect(error))
        login, binding = await provider.begin_login(checked, request.cookies.get(cookie_name))
        return login_page(login, binding=binding)

    @post(
        f"{path}/authorize",
        include_in_schema=False,
        request_max_body_size=MAX_FORM_BYTES,
        status_code=200,
    )
    async def submit_login(request: Request[Any, Any, Any]) -> Response[Any]:
        if request.content_type[0] != FORM_TYPE:
            return _error_page(400, "Malformed request", "The sign-in form could not be read.")
        try:
            form = _params((await request.form()).multi_items())
        except ClientException:
            return _error_page(400, "Malformed request", "The sign-in form could not be read.")
        login = await provider.pending_login(_first(form, "login"))
        if login is None:
            return _error_page(400, "This sign-in form has expired", EXPIRED_FORM)
        browser = request.cookies.get(cookie_name) or ""
        if not provider.form_is_genuine(login, _first(form, "csrf_token"), browser):
            return _error_page(
                403,
                "This sign-in form cannot be trusted",
                "The form was not sent from the browser that opened it. Start again from the "
                "application, in this browser.",
            )
        if _first(form, "action") == "cancel":
            return _redirect(await provider.cancel(login))
        username = _first(form, "username").strip()
        attempt = await provider.sign_in(login, username, _first(form, "password"))
        if attempt.location is not None:
            return _redirect(attempt.location)
        if attempt.form_gone:
            return _error_page(
                401,
                "Too many attempts",
                "Too many wrong passwords on this form, or it was used already. Start again "
                "from the application.",
            )
        return login_page(login, status=401, error=WRONG_CREDENTIALS, username=username)

    @post(
        f"{path}/token",
        include_in_schema=False,
        request_max_body_size=MAX_FORM_BYTES,
        status_code=200,
    )
    async def token(request: Request[Any, Any, Any]) -> Response[Any]:
        if request.content_type[0] != FORM_TYPE:
            wrong_type = TokenError("invalid_request", f"the body must be {FORM_TYPE}")
            return _json(wrong_type.body(), wrong_type.status)
        try:
            form = _params((await request.form()).multi_items())
            return _json(await provider.exchange(form, request.headers.get("authorization")))
        except TokenError as error:
            challenge = (
                {"WWW-Authenticate": 'Basic realm="dev-idp"'} if error.basic_challenge else {}
            )
            return _json(error.body(), error.status, **challenge)
        except ClientException:
            unreadable = TokenError("invalid_request", "the form could not be read")
            return _json(unreadable.body(), unreadable.status)

    return [discovery, jwks, authorize, submit_login, token]
