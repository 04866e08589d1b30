"""`/confirm/{id}`: the approval page (GET shows it, POST decides), thin over `ApprovalDesk`.

A browser without a page session is signed in first (`PageSignInFlow`); the decision form
carries the session's CSRF token; every answer has the pages' security headers (no framing,
no caching, no referrer). See ADR 0032.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from litestar import MediaType, Request, Response, get, post
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.litestar_http.approval_pages import (
    VERDICT_STATUS,
    approval_html,
    problem_html,
    verdict_html,
)
from jamf_mcp.adapters.litestar_http.oauth_pages import page_headers
from jamf_mcp.adapters.litestar_http.page_sessions import (
    PageCookie,
    PageSignInFlow,
    SignInFailed,
)
from jamf_mcp.application.approval_desk import ApprovalDesk, ApprovalView, PageViewer, Verdict

MAX_FORM_BYTES = 4 * 1024
_ID = re.compile(r"^[A-Za-z0-9_-]{16,200}$")


def _headers() -> dict[str, str]:
    headers = page_headers()
    headers["Content-Security-Policy"] = headers["Content-Security-Policy"].replace(
        "form-action 'none'", "form-action 'self'"
    )
    return headers


def _html(body: str, status: int = 200) -> Response[Any]:
    return Response(body, status_code=status, media_type=MediaType.HTML, headers=_headers())


def _failed(failure: SignInFailed) -> Response[Any]:
    return _html(problem_html("Sign-in did not complete", failure.detail), failure.status)


def approval_route_handlers(
    desks: Callable[[], Awaitable[ApprovalDesk]], flow: PageSignInFlow, cookie: PageCookie
) -> list[ControllerRouterHandler]:
    """The approval page's routes.

    Args:
        desks: the approval desk (built once the audit trail is open).
        flow: page sign-in and sessions.
        cookie: the page-session cookie's name and attributes.
    """

    async def _sign_in(path: str) -> Response[Any]:
        started = await flow.start(path)
        if isinstance(started, SignInFailed):
            return _failed(started)
        headers = {"Location": started.location, **_headers()}
        return Response(
            b"", status_code=303, headers=headers, cookies=[cookie.cookie(started.cookie_value)]
        )

    @get("/confirm/{approval_id:str}", include_in_schema=False)
    async def show(request: Request[Any, Any, Any], approval_id: FromPath[str]) -> Response[Any]:
        if not _ID.match(approval_id):
            return _html(verdict_html(desk_unknown()), 404)
        session = await flow.session(request.cookies.get(cookie.name))
        if session is None:
            return await _sign_in(f"/confirm/{approval_id}")
        viewer = PageViewer(session.issuer, session.subject, session.display_name)
        view = await (await desks()).view(approval_id, viewer)
        if view.verdict is Verdict.OPEN and view.approval is not None:
            return _html(approval_html(view.approval, viewer, session.csrf))
        return _html(verdict_html(view), VERDICT_STATUS[view.verdict])

    @post(
        "/confirm/{approval_id:str}",
        include_in_schema=False,
        request_max_body_size=MAX_FORM_BYTES,
    )
    async def decide(request: Request[Any, Any, Any], approval_id: FromPath[str]) -> Response[Any]:
        if not _ID.match(approval_id):
            return _html(verdict_html(desk_unknown()), 404)
        session = await flow.session(request.cookies.get(cookie.name))
        if session is None:
            return _html(
                problem_html(
                    "Please sign in again",
                    "Your sign-in for this page ended. Open the approval link again; nothing "
                    "was decided.",
                ),
                401,
            )
        try:
            form = await request.form()
        except RequestEntityTooLarge:
            return _html(problem_html("Malformed request", "The form could not be read."), 400)
        sent = form.get("csrf_token")
        if not isinstance(sent, str) or not secrets.compare_digest(sent, session.csrf):
            return _html(
                problem_html(
                    "This form has expired",
                    "Open the approval link again and decide there; nothing was decided.",
                ),
                403,
            )
        decision = form.get("decision")
        if decision not in ("approve", "decline"):
            return _html(problem_html("Unknown answer", "Approve or decline the request."), 400)
        viewer = PageViewer(session.issuer, session.subject, session.display_name)
        view = await (await desks()).decide(approval_id, viewer, decision == "approve")
        return _html(verdict_html(view), VERDICT_STATUS[view.verdict])

    return [show, decide]


def desk_unknown() -> ApprovalView:
    """The view of a link that names no approval."""
    return ApprovalView(Verdict.UNKNOWN)


async def finish_page_sign_in(
    flow: PageSignInFlow, cookie: PageCookie, params: dict[str, str], cookies: dict[str, str]
) -> Response[Any]:
    """The page half of `/auth/upstream/callback` (states prefixed `page.`)."""
    outcome = await flow.finish(params, cookies.get(cookie.name))
    if isinstance(outcome, SignInFailed):
        return _failed(outcome)
    return Response(b"", status_code=303, headers={"Location": outcome, **_headers()})
