"""Browser sessions for this server's own pages (the approval page), separate from bearer tokens.

A browser without a session is sent to the same identity provider the front door uses, with our
own `state` (prefixed `page.`, so `/auth/upstream/callback` knows it is ours), nonce and PKCE
verifier. The session cookie is set on the way out and its digest kept with the round trip, so
the callback only completes in the browser that left (ADR 0013's binding, ADR 0032). Sessions
and round trips live in `PageSessions` (Redis when shared), keyed by digests; a session lasts a
bounded time and is not renewed by use.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

import attrs
from litestar.datastructures import Cookie

from jamf_mcp.adapters.oauth_server.handles import s256
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentityProvider
from jamf_mcp.application.approval_desk import PageViewer
from jamf_mcp.application.approvals import PageSession, PageSessions, PageSignIn
from jamf_mcp.application.ports import Clock
from jamf_mcp.domain.errors import JamfMcpError

_log = logging.getLogger(__name__)

STATE_PREFIX = "page."
"""Marks an upstream round trip started by a page (not by the OAuth front door)."""
SIGN_IN_SECONDS = 600
"""How long the round trip to the identity provider may take."""


def cookie_digest(value: str) -> str:
    """The SHA-256 of a cookie value (what the store keys on)."""
    return hashlib.sha256(value.encode()).hexdigest()


@attrs.frozen
class PageCookie:
    """The page-session cookie: `__Host-jamf_mcp_page` over https (Secure), a plainly named one
    over plain http (ADR 0013, option 4); HttpOnly, SameSite=Lax, Path=/, bounded lifetime."""

    secure: bool
    max_age: int

    @property
    def name(self) -> str:
        """The cookie's name."""
        return "__Host-jamf_mcp_page" if self.secure else "jamf_mcp_page_http"

    def cookie(self, value: str) -> Cookie:
        """The cookie carrying `value`."""
        return Cookie(
            key=self.name,
            value=value,
            path="/",
            max_age=self.max_age,
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )


@attrs.frozen
class SignInStarted:
    """Send the browser to `location`, setting the session cookie to `cookie_value`."""

    location: str
    cookie_value: str = attrs.field(repr=False)


@attrs.frozen
class SignInFailed:
    """The round trip could not complete; `detail` says why, for the person."""

    status: int
    detail: str


class PageSignInFlow:
    """Signs browsers in for the pages and tells who a browser is.

    Args:
        sessions: the shared store of sessions and round trips.
        clock: session lifetimes.
        session_seconds: how long a page session lasts.
        upstream: the identity provider (None when authentication is off).
        redirect_uri: where the provider sends the browser back (`/auth/upstream/callback`).
        local_viewer: with authentication off, who every browser is (the local operator).
    """

    def __init__(
        self,
        sessions: PageSessions,
        clock: Clock,
        session_seconds: int,
        *,
        upstream: UpstreamIdentityProvider | None = None,
        redirect_uri: str = "",
        local_viewer: PageViewer | None = None,
    ) -> None:
        self._sessions = sessions
        self._clock = clock
        self._seconds = session_seconds
        self._upstream = upstream
        self._redirect_uri = redirect_uri
        self._local = local_viewer

    async def session(self, cookie_value: str | None) -> PageSession | None:
        """The live session of this browser, or None."""
        if not cookie_value:
            return None
        return await self._sessions.get(cookie_digest(cookie_value), self._clock.now())

    async def start(self, return_to: str) -> SignInStarted | SignInFailed:
        """Begin a sign-in that ends on `return_to` (a path of this server)."""
        value = secrets.token_urlsafe(32)
        if self._local is not None:  # authentication is off: this browser is the local operator
            await self._open(value, self._local)
            return SignInStarted(return_to, value)
        if self._upstream is None:
            return SignInFailed(503, "Signing in to this page is not available on this server.")
        state = STATE_PREFIX + secrets.token_urlsafe(32)
        nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
        try:
            location = await self._upstream.authorization_url(
                state=state,
                nonce=nonce,
                code_challenge=s256(verifier),
                redirect_uri=self._redirect_uri,
                scopes=(),
            )
        except JamfMcpError:
            _log.warning("The identity provider is unavailable for a page sign-in")
            return SignInFailed(502, "The identity provider could not be reached.")
        await self._sessions.start_sign_in(
            state, PageSignIn(nonce, verifier, cookie_digest(value), return_to), SIGN_IN_SECONDS
        )
        return SignInStarted(location, value)

    async def finish(self, params: dict[str, str], cookie_value: str | None) -> str | SignInFailed:
        """Complete the round trip of `params["state"]` in the browser that started it; the
        path to go back to."""
        state = params.get("state", "")
        pending = await self._sessions.take_sign_in(state) if state else None
        if pending is None:
            return SignInFailed(
                400, "This sign-in is unknown or took too long. Open the link again."
            )
        if not cookie_value or not secrets.compare_digest(
            cookie_digest(cookie_value), pending.browser_digest
        ):
            return SignInFailed(
                400,
                "This sign-in was started in another browser. Close this page and open the "
                "approval link again in the browser you want to use.",
            )
        code = params.get("code")
        if self._upstream is None or not code:
            return SignInFailed(400, "The identity provider did not sign you in.")
        try:
            signed_in = await self._upstream.exchange_code(
                code=code,
                code_verifier=pending.code_verifier,
                redirect_uri=self._redirect_uri,
                nonce=pending.nonce,
            )
        except JamfMcpError:
            _log.warning("A page sign-in could not be completed at the identity provider")
            return SignInFailed(502, "The identity provider could not confirm who you are.")
        identity = signed_in.identity
        await self._open(cookie_value, PageViewer(identity.issuer, identity.subject, identity.name))
        return pending.return_to

    async def _open(self, cookie_value: str, viewer: PageViewer) -> None:
        session = PageSession(
            issuer=viewer.issuer,
            subject=viewer.subject,
            display_name=viewer.display_name,
            csrf=secrets.token_urlsafe(32),
            expires_at=self._clock.now() + timedelta(seconds=self._seconds),
        )
        await self._sessions.put(cookie_digest(cookie_value), session)
