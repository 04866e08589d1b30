"""Bearer tokens for Jamf Pro as an `httpx.Auth`: fetched lazily, refreshed early, shared by all requests."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import time
from collections.abc import AsyncGenerator, Callable, Generator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import attrs
import httpx

from jamf_mcp.adapters.jamf_rest.http_errors import (
    RETRYABLE_STATUSES,
    TokenServiceUnavailable,
    describe_error,
)
from jamf_mcp.adapters.jamf_rest.settings import JamfConnection
from jamf_mcp.domain.errors import JamfCredentialsRejected, JamfRequestRejected

CLIENT_TOKEN_PATHS = ("/api/oauth/token", "/api/v1/oauth/token")
USER_TOKEN_PATH = "/api/v1/auth/token"
USER_TOKEN_DEFAULT_SECONDS = 30 * 60.0
"""Jamf's documented default lifetime of a user bearer token."""


@attrs.frozen(repr=False)
class _Token:
    value: str
    expires_at: float  # on the monotonic clock
    lifetime: float

    def __repr__(self) -> str:
        return "_Token(<redacted>)"


class JamfTokenAuth(httpx.Auth):
    """Adds `Authorization: Bearer …` to every request, getting and refreshing the token as needed.

    Client credentials are exchanged at `POST /api/oauth/token` (falling back to
    `/api/v1/oauth/token` when the first answers 404); a user account at `POST /api/v1/auth/token`
    with Basic authentication. The token is refreshed when fewer than `refresh_margin_seconds`
    remain, and once when a request comes back 401 (then the request is sent again, once). A lock
    makes concurrent requests share one refresh. Tokens and secrets are never logged.

    Raises (from the request that triggered the sign-in):
        JamfCredentialsRejected: the token endpoint refused the credentials (400/401/403).
        TokenServiceUnavailable: the token endpoint failed with 408/5xx.
    """

    requires_request_body = True  # a request retried after a 401 must be re-sendable

    def __init__(
        self,
        connection: JamfConnection,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._connection = connection
        self._clock = clock
        self._wall_clock = wall_clock
        self._lock = asyncio.Lock()
        self._token: _Token | None = None
        self._client_token_paths: tuple[str, ...] = CLIENT_TOKEN_PATHS

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Authenticate `request`, refreshing the token first when needed and once on a 401."""
        # The client's jar only reaches requests it builds; carry a load-balancer cookie set by
        # the token response over to this request so it lands on the same node (sticky sessions).
        cookies = httpx.Cookies()
        rejected: _Token | None = None
        for _ in range(2):  # the second pass only after a 401
            async with self._lock:
                # after a 401, refresh unless a concurrent request already replaced the token
                if self._needs_refresh() or (rejected is not None and self._token is rejected):
                    flow = self._token_flow()
                    token_request = next(flow)
                    while True:
                        token_response = yield token_request
                        await token_response.aread()
                        cookies.extract_cookies(token_response)
                        try:
                            token_request = flow.send(token_response)
                        except StopIteration as done:
                            self._token = done.value
                            break
                token = self._token
            assert token is not None
            cookies.set_cookie_header(request)
            request.headers["Authorization"] = f"Bearer {token.value}"
            response = yield request
            if response.status_code != 401:
                return
            rejected = token

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Not supported: the adapter uses one shared `httpx.AsyncClient`."""
        raise RuntimeError("JamfTokenAuth works with httpx.AsyncClient only")

    def _needs_refresh(self) -> bool:
        token = self._token
        if token is None:
            return True
        margin = min(self._connection.refresh_margin_seconds, token.lifetime / 2)
        return token.expires_at - self._clock() < margin

    def _token_flow(self) -> Generator[httpx.Request, httpx.Response, _Token]:
        """Yield token requests (bodies already read by the driver) until one yields a token."""
        connection = self._connection
        if not connection.uses_client_credentials:
            response = yield self._user_token_request()
            return self._parse_user_token(response)
        form = {
            "grant_type": "client_credentials",
            "client_id": connection.client_id or "",
            "client_secret": connection.client_secret or "",
        }
        for path in self._client_token_paths:
            response = yield httpx.Request(
                "POST", connection.url(path), data=form, headers={"Accept": "application/json"}
            )
            if response.status_code == 404:
                continue
            self._client_token_paths = (path,)  # remember the endpoint this tenant serves
            return self._parse_client_token(response)
        raise JamfRequestRejected(
            f"Jamf Pro at {connection.host} has no OAuth token endpoint (tried "
            f"{', '.join(CLIENT_TOKEN_PATHS)}); API clients need Jamf Pro 10.49 or later."
        )

    def _user_token_request(self) -> httpx.Request:
        connection = self._connection
        pair = f"{connection.username}:{connection.password}".encode()
        return httpx.Request(
            "POST",
            connection.url(USER_TOKEN_PATH),
            headers={
                "Authorization": "Basic " + base64.b64encode(pair).decode("ascii"),
                "Accept": "application/json",
            },
        )

    def _check(self, response: httpx.Response, who: str) -> dict[str, object]:
        host = self._connection.host
        status = response.status_code
        if status in (400, 401, 403):
            raise JamfCredentialsRejected(
                f"Jamf Pro at {host} rejected {who} (HTTP {status}: {describe_error(response)}). "
                "Check the configured credentials."
            )
        if status in RETRYABLE_STATUSES or status >= 500:
            raise TokenServiceUnavailable(
                f"Jamf Pro at {host} is not responding (token endpoint HTTP {status}); "
                "try again shortly."
            )
        if not response.is_success:
            raise JamfCredentialsRejected(
                f"Jamf Pro at {host} refused to issue a token for {who} (HTTP {status})."
            )
        try:
            body = response.json()
        except (ValueError, RecursionError):
            body = None
        if not isinstance(body, dict):
            raise JamfCredentialsRejected(f"Jamf Pro at {host} sent an unreadable token response.")
        return body

    def _parse_client_token(self, response: httpx.Response) -> _Token:
        body = self._check(response, f"the API client {self._connection.client_id!r}")
        value = body.get("access_token")
        expires_in = body.get("expires_in")
        if not isinstance(value, str) or not isinstance(expires_in, int | float):
            raise JamfCredentialsRejected(
                "Jamf Pro's token response lacks access_token/expires_in."
            )
        return self._token_for(value, float(expires_in))

    def _parse_user_token(self, response: httpx.Response) -> _Token:
        body = self._check(response, f"the user {self._connection.username!r}")
        value = body.get("token")
        if not isinstance(value, str):
            raise JamfCredentialsRejected("Jamf Pro's token response lacks a token.")
        return self._token_for(value, self._user_token_lifetime(body.get("expires"), response))

    def _user_token_lifetime(self, expires: object, response: httpx.Response) -> float:
        """Seconds until `expires`, measured against the server's `Date` when it sends one.

        A clock skew that makes the token look already expired falls back to Jamf's default
        lifetime; the 401 path refreshes it if the server disagrees.
        """
        if not isinstance(expires, str):
            return USER_TOKEN_DEFAULT_SECONDS
        try:
            instant = datetime.fromisoformat(expires.replace("Z", "+00:00"))
        except ValueError:
            return USER_TOKEN_DEFAULT_SECONDS
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=UTC)
        server_now = self._wall_clock()
        if date_header := response.headers.get("Date"):
            with contextlib.suppress(TypeError, ValueError):
                server_now = parsedate_to_datetime(date_header)
        lifetime = (instant - server_now).total_seconds()
        return lifetime if lifetime > 0 else USER_TOKEN_DEFAULT_SECONDS

    def _token_for(self, value: str, lifetime: float) -> _Token:
        lifetime = max(lifetime, 0.0)
        return _Token(value=value, expires_at=self._clock() + lifetime, lifetime=lifetime)
