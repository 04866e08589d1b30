"""`JamfHttp`: the one shared httpx client, with a concurrency cap, safe retries and error mapping."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, Protocol

import attrs
import httpx
import msgspec
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
    wait_none,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from jamf_mcp.adapters.jamf_rest.auth import JamfTokenAuth
from jamf_mcp.adapters.jamf_rest.http_errors import (
    RETRYABLE_STATUSES,
    UNCONFIRMED_STATUSES,
    RetryableStatus,
    TokenServiceUnavailable,
    describe_error,
    error_for,
    outcome_unknown,
    unavailable,
)
from jamf_mcp.adapters.jamf_rest.settings import JamfConnection
from jamf_mcp.application.deadlines import CallDeadline, current_deadline

_log = logging.getLogger(__name__)

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Only these are ever sent twice: a POST/PUT/PATCH that reached Jamf may still be running."""

QueryParams = Sequence[tuple[str, str | int]] | Mapping[str, str | int]


@attrs.frozen
class RetryPolicy:
    """How often, and how patiently, idempotent requests are retried.

    Attributes:
        attempts: Total attempts, including the first.
        wait: A tenacity wait strategy (capped exponential backoff with jitter by default).
    """

    attempts: int = attrs.field(default=4, validator=attrs.validators.ge(1))
    wait: wait_base = attrs.field(
        factory=lambda: wait_exponential_jitter(multiplier=0.5, max=8.0, jitter=0.5)
    )

    @classmethod
    def immediate(cls, attempts: int = 4) -> RetryPolicy:
        """Retry without waiting (for tests)."""
        return cls(attempts=attempts, wait=wait_none())


_RETRY_ON = (RetryableStatus, httpx.TransportError, TokenServiceUnavailable)


class _OutOfTime(stop_base):
    """Stop when the next wait would use up what is left of the call's deadline."""

    def __init__(self, deadline: CallDeadline) -> None:
        self._deadline = deadline

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self._deadline.remaining() <= retry_state.upcoming_sleep


def _stop(attempts: int) -> stop_base:
    """After `attempts`, or sooner when the next wait would outlast the call's deadline.

    A retry that could not finish in time is not started: the call gets the last failure now
    instead of being cancelled later (`application.deadlines`).
    """
    deadline = current_deadline()
    if deadline is None:
        return stop_after_attempt(attempts)
    return stop_after_attempt(attempts) | _OutOfTime(deadline)


class JamfCallObserver(Protocol):
    """Told about every attempt `JamfHttp` makes (metrics); must be cheap and never raise."""

    def jamf_attempt(
        self,
        *,
        method: str,
        path: str,
        status: int | None,
        error: str | None,
        seconds: float,
        retry: bool,
    ) -> None:
        """One attempt ended.

        Args:
            method: The HTTP method, upper case.
            path: The API path as requested, ids included: an observer must template it
                before using it as a label.
            status: The HTTP status Jamf answered, or None when no response came.
            error: Without a response, what went wrong: `timeout`, `connect_error`,
                `transport_error`, `token_unavailable` or `error`.
            seconds: How long the attempt took (once a concurrency slot was free).
            retry: Whether this attempt repeats an earlier one of the same request.
        """
        ...


class JamfHttp:
    """Sends requests to one Jamf Pro tenant through a single shared `httpx.AsyncClient`.

    At most `connection.max_in_flight` requests are in flight at once. GET/HEAD/OPTIONS are
    retried on 408/5xx, timeouts and network errors; other methods are sent exactly once. Final
    failures become domain errors: `JamfUnavailable` (its subclass `JamfOutcomeUnknown` when a
    write may have been applied), `JamfCredentialsRejected`, `JamfPermissionDenied`,
    `JamfRequestRejected`, or `JamfResourceMissing` for a 404 (a `JamfRequestRejected` the caller
    turns into `DeviceNotFound`, `PolicyNotFound`, …). An optional `observer` is told about
    every attempt.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        connection: JamfConnection,
        *,
        retry: RetryPolicy | None = None,
        observer: JamfCallObserver | None = None,
    ) -> None:
        self._client = client
        self._observer = observer
        self._connection = connection
        self._retry = retry or RetryPolicy(attempts=connection.retry_attempts)
        self._slots = asyncio.Semaphore(connection.max_in_flight)

    @property
    def connection(self) -> JamfConnection:
        """The tenant these requests go to."""
        return self._connection

    async def get_json(
        self,
        path: str,
        *,
        params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        privilege: str | None = None,
    ) -> Any:
        """GET `path` and decode its JSON body.

        Args:
            path: The API path, e.g. `/api/v1/departments`.
            params: Query parameters (a sequence of pairs to repeat a key).
            headers: Extra headers.
            privilege: The Jamf privilege this call needs, named in a 403 message when Jamf's
                own error does not name one.
        """
        response = await self.request(
            "GET", path, params=params, headers=headers, privilege=privilege
        )
        try:
            return msgspec.json.decode(response.content)  # several times faster than json
        except (msgspec.DecodeError, RecursionError):
            raise unavailable(self._connection.host, f"unreadable JSON from GET {path}") from None

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        json: object = None,
        content: str | bytes | None = None,
        headers: Mapping[str, str] | None = None,
        privilege: str | None = None,
    ) -> httpx.Response:
        """Send one request and return the successful response, or raise a domain error.

        A POST/PUT/PATCH/DELETE is sent once. When it may have reached Jamf but no definite
        answer came back (a read/write timeout, a dropped connection, HTTP 500/502/504) this
        raises `JamfOutcomeUnknown`; when it certainly did not (no connection, HTTP 503 load
        shedding) plain `JamfUnavailable`.
        """
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS
        attempts = self._retry.attempts if idempotent else 1
        retrying = AsyncRetrying(
            stop=_stop(attempts),
            wait=self._retry.wait,
            retry=retry_if_exception_type(_RETRY_ON),
            reraise=True,
            before_sleep=_log_retry(method, path, attempts),
        )
        host = self._connection.host
        response: httpx.Response | None = None
        sent: list[httpx.Request] = []
        try:
            async for attempt in retrying:
                with attempt:
                    response = await self._attempt(
                        method,
                        path,
                        idempotent,
                        sent,
                        params=params,
                        json=json,
                        content=content,
                        headers=headers,
                    )
        except RetryableStatus as exc:
            suffix = f" after {attempts} attempts" if attempts > 1 else ""
            raise unavailable(host, f"HTTP {exc.response.status_code}{suffix}") from None
        except httpx.TransportError as exc:
            if not idempotent and _may_have_reached_jamf(exc, sent):
                raise outcome_unknown(host, method, path, self._reason(exc)) from None
            if isinstance(exc, httpx.TimeoutException):
                reason = f"no answer within {self._connection.timeout_seconds:g} s"
            else:
                reason = f"{type(exc).__name__}: cannot connect"
            raise unavailable(host, reason) from None
        assert response is not None
        if response.is_success:
            return response
        if not idempotent and response.status_code in UNCONFIRMED_STATUSES:
            reason = f"HTTP {response.status_code}: {describe_error(response)}"
            raise outcome_unknown(host, method, path, reason)
        raise error_for(response, host=host, privilege_hint=privilege)

    async def _attempt(
        self, method: str, path: str, idempotent: bool, sent: list[httpx.Request], **kwargs: Any
    ) -> httpx.Response:
        request = self._client.build_request(method, path, **kwargs)
        sent.append(request)
        async with self._slots:
            started = time.perf_counter()
            try:
                response = await self._client.send(request)
            except Exception as exc:
                self._observe(method, path, None, _error_kind(exc), started, len(sent) > 1)
                raise
        self._observe(method, path, response.status_code, None, started, len(sent) > 1)
        if idempotent and response.status_code in RETRYABLE_STATUSES:
            raise RetryableStatus(response)
        return response

    def _observe(
        self,
        method: str,
        path: str,
        status: int | None,
        error: str | None,
        started: float,
        retry: bool,
    ) -> None:
        if self._observer is None:
            return
        seconds = time.perf_counter() - started
        try:
            self._observer.jamf_attempt(
                method=method, path=path, status=status, error=error, seconds=seconds, retry=retry
            )
        except Exception:  # a broken observer must not fail a Jamf call
            _log.warning("the Jamf call observer failed", exc_info=True)

    def _reason(self, exc: httpx.TransportError) -> str:
        if isinstance(exc, httpx.TimeoutException):
            return f"no answer within {self._connection.timeout_seconds:g} s"
        return f"the connection failed mid-request: {type(exc).__name__}"


_NEVER_SENT = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.UnsupportedProtocol,
)
"""Failures before a single byte of the request reached Jamf."""


def _error_kind(exc: Exception) -> str:
    """A short, fixed name for a failure without a response (a metrics label)."""
    if isinstance(exc, httpx.TimeoutException):
        return "timeout"
    if isinstance(exc, httpx.ConnectError):
        return "connect_error"
    if isinstance(exc, httpx.TransportError):
        return "transport_error"
    if isinstance(exc, TokenServiceUnavailable):
        return "token_unavailable"
    return "error"


def _may_have_reached_jamf(exc: httpx.TransportError, sent: Sequence[httpx.Request]) -> bool:
    """False only when the request certainly never reached Jamf.

    A failure of the token request made on the way (`JamfTokenAuth`) carries that request, not
    ours: ours was then never sent (or was answered 401, which applies nothing).
    """
    if isinstance(exc, _NEVER_SENT):
        return False
    try:
        failed = exc.request
    except RuntimeError:  # httpx attaches the request; without one, assume the worst
        return True
    return any(failed is request for request in sent)


def _log_retry(method: str, path: str, attempts: int) -> Any:
    def log(state: RetryCallState) -> None:
        outcome = state.outcome
        reason = type(outcome.exception()).__name__ if outcome and outcome.failed else "?"
        if outcome is not None and isinstance(outcome.exception(), RetryableStatus):
            reason = str(outcome.exception())
        _log.warning(
            "Jamf %s %s failed (%s); retrying (attempt %d of %d)",
            method,
            path,
            reason,
            state.attempt_number + 1,
            attempts,
        )

    return log


@asynccontextmanager
async def open_jamf_http(
    connection: JamfConnection,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy | None = None,
    auth: httpx.Auth | None = None,
    observer: JamfCallObserver | None = None,
) -> AsyncIterator[JamfHttp]:
    """Open the one shared client for a tenant and close it on exit.

    Args:
        connection: Where and how to connect.
        transport: An alternative transport, e.g. `httpx.ASGITransport(app=simulator.app)`.
        retry: The retry policy (default: `connection.retry_attempts` with backoff and jitter).
        auth: The authentication (default: `JamfTokenAuth(connection)`).
        observer: Told about every attempt (e.g. the Prometheus `Metrics`).
    """
    client = httpx.AsyncClient(
        base_url=connection.base_url,
        auth=auth or JamfTokenAuth(connection),
        timeout=connection.timeout(),
        limits=httpx.Limits(
            max_connections=connection.max_in_flight + 1,
            max_keepalive_connections=connection.max_in_flight,
        ),
        headers={"Accept": "application/json", "User-Agent": "jamf-mcp"},
        transport=transport,
        verify=connection.verify_tls,
    )
    async with client:  # its cookie jar keeps Jamf Cloud's load-balancer cookie (sticky sessions)
        yield JamfHttp(client, connection, retry=retry, observer=observer)
