"""Wiring of the approval page (ADR 0032): where it is, who counts as the same person, and its
routes over the approval desk with page sessions signed in at the front door's identity provider.
Part of the composition root (used by `containers` only)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any

import attrs
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.litestar_http.approval_routes import (
    approval_route_handlers,
    finish_page_sign_in,
)
from jamf_mcp.adapters.litestar_http.oauth_routes import PageCallback
from jamf_mcp.adapters.litestar_http.page_sessions import PageCookie, PageSignInFlow
from jamf_mcp.adapters.mcp_jamf.approval_links import ApprovalLinks
from jamf_mcp.application.approval_desk import ApprovalDesk, PageViewer
from jamf_mcp.domain.principal import local_operator
from jamf_mcp.settings import Settings

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server import FrontDoor, UpstreamIdentityProvider
    from jamf_mcp.application.approvals import PageSessions
    from jamf_mcp.application.ports.clock import Clock


def approval_links_of(settings: Settings) -> ApprovalLinks:
    """Where the approval page is, and how long calls wait for it (stdio overrides it: None)."""
    actions = settings.actions
    return ApprovalLinks(
        settings.public_url,
        actions.confirmation_mode,
        actions.approval_wait_seconds,
        float(actions.confirmation_ttl_seconds),
    )


def same_person_issuers(settings: Settings, upstream: Any) -> frozenset[str]:
    """Issuers whose subjects are the same people: ours (we mint tokens for the upstream's users)
    and the upstream identity provider's."""
    issuers = {settings.public_url}
    if upstream is not None:
        issuers.add(upstream.issuer)
    return frozenset(issuers)


@attrs.frozen
class ApprovalPages:
    """The approval page's routes, and the page half of the upstream callback."""

    routes: list[ControllerRouterHandler]
    callback: PageCallback


def approval_pages(
    settings: Settings,
    page_sessions: PageSessions,
    clock: Clock,
    upstream: UpstreamIdentityProvider | None,
    front_door: FrontDoor | None,
    desks: Callable[[], Awaitable[ApprovalDesk]],
) -> ApprovalPages:
    """`/confirm/{id}` over the approval desk, with page sessions signed in at the same
    identity provider as the front door (or, with authentication off, the local operator).

    Args:
        settings: where the pages are and how long their sessions last.
        page_sessions: the page sessions' store.
        clock: the time the sessions are checked against.
        upstream: the front door's identity provider (unused without a front door).
        front_door: the OAuth front door; None when authentication is off.
        desks: the approval desk, once the audit trail is open.
    """
    local = None
    if settings.auth.mode == "none":
        operator = local_operator()
        local = PageViewer(operator.issuer, operator.subject, operator.display_name)
    flow = PageSignInFlow(
        page_sessions,
        clock,
        settings.actions.page_session_seconds,
        upstream=upstream if front_door is not None else None,
        redirect_uri=front_door.config.upstream_redirect_uri if front_door is not None else "",
        local_viewer=local,
    )
    cookie = PageCookie(
        secure=settings.public_url.startswith("https://"),
        max_age=settings.actions.page_session_seconds,
    )
    routes = approval_route_handlers(desks, flow, cookie)
    return ApprovalPages(routes, partial(finish_page_sign_in, flow, cookie))
