"""Request observability as pure ASGI middleware: correlation ids, metrics, one access log line.

Works with streaming responses: latency is measured to the response's status line and headers
(the first bytes on the wire), and an SSE response is counted as an open connection from then
until its body completes or the client disconnects. Nothing is logged from the request except
its method, path (never the query string), route template and the correlation ids; no header is
logged, so neither `Authorization` nor cookies can leak.

Use it either as Litestar middleware (`Litestar(middleware=[RequestObservability(...)])`: route
handlers only, so unrouted 404/405 answers go unobserved) or around the whole application
(`RequestObservability(...)(app)` handed to uvicorn: every request, 404s included).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, cast

from jamf_mcp.adapters.asgi_mcp.refusals import unexpected_failure
from jamf_mcp.adapters.asgi_observability.config import HttpObserver, ObservabilityConfig
from jamf_mcp.adapters.asgi_observability.headers import (
    REQUEST_ID_HEADER,
    TRACEPARENT_HEADER,
    TraceParent,
    accepted_request_id,
    parse_traceparent,
)
from jamf_mcp.adapters.asgi_observability.rpc import rpc_labels
from jamf_mcp.adapters.structured_logs import (
    RequestLogContext,
    enter_request,
    leave_request,
    line_logger,
)

UNMATCHED_ROUTE = "unmatched"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9/_.:-]{1,64}\Z")
_MAX_PATH = 256


class RequestObservability:
    """Builds the middleware: call it with the ASGI application to observe.

    Args:
        metrics: Where request metrics go (e.g. the Prometheus `Metrics`); None for logs only.
        config: Which paths are MCP endpoints, legacy SSE streams or quiet.
        logger: The access logger (default: `jamf_mcp.access`, a `LineLogger`).
    """

    def __init__(
        self,
        metrics: HttpObserver | None = None,
        config: ObservabilityConfig | None = None,
        *,
        logger: Any = None,
    ) -> None:
        self.metrics = metrics
        self.config = config or ObservabilityConfig()
        self.logger = logger or line_logger("jamf_mcp.access")

    def __call__(self, app: Any) -> ObservedApp:
        """The middleware around `app` (a Litestar app, route handler stack or any ASGI app)."""
        return ObservedApp(app, self)


class ObservedApp:
    """An ASGI application wrapped by `RequestObservability`; non-HTTP scopes pass untouched."""

    def __init__(self, app: Any, observability: RequestObservability) -> None:
        self._app = app
        self._observability = observability

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI connection."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        await _Exchange(self._observability, scope, receive, send).run(self._app)


_REQUEST_ID = REQUEST_ID_HEADER.encode()
_TRACEPARENT = TRACEPARENT_HEADER.encode()
_CORRELATION = (_REQUEST_ID, _TRACEPARENT)


def _correlation_headers(scope: dict[str, Any]) -> tuple[str | None, str | None]:
    """`X-Request-ID` and `traceparent`, in one pass over the headers."""
    request_id = traceparent = None
    for key, value in scope.get("headers", ()):
        name = key.lower()
        if name == _REQUEST_ID:
            request_id = cast("bytes", value).decode("latin-1")
        elif name == _TRACEPARENT:
            traceparent = cast("bytes", value).decode("latin-1")
    return request_id, traceparent


def _normal_path(path: str) -> str:
    return path.rstrip("/") or "/"


_safe_names: dict[str, str | None] = {}


def _safe(name: str) -> str | None:
    """`name` when it is a short plain identifier (method and tool names), else None."""
    known = _safe_names.get(name, _UNKNOWN)
    if known is not _UNKNOWN:
        return cast("str | None", known)
    safe = name if _SAFE_NAME.match(name) else None
    if len(_safe_names) < 1024:
        _safe_names[name] = safe
    return safe


_UNKNOWN = object()


class _Exchange:
    """One request/response: the wrapped `receive` and `send`, and what they saw."""

    def __init__(
        self, observability: RequestObservability, scope: dict[str, Any], receive: Any, send: Any
    ) -> None:
        self._obs = observability
        self._scope = scope
        self._receive_next = receive
        self._send_next = send
        self._started = time.perf_counter()
        self._method = str(scope.get("method", "GET")).upper()
        self._path = _normal_path(str(scope.get("path", "/")))
        config = observability.config
        self._peek = self._method == "POST" and self._path in config.mcp_paths
        self._body = bytearray()
        self._body_complete = False
        request_id, traceparent = _correlation_headers(scope)
        self._trace: TraceParent | None = parse_traceparent(traceparent)
        self._log = RequestLogContext(
            request_id=accepted_request_id(request_id),
            method=self._method,
            path=self._path[:_MAX_PATH],
            trace_id=self._trace.trace_id if self._trace else None,
            route=scope.get("path_template") or None,
        )
        self._status: int | None = None
        self._ttfb: float | None = None
        self._rpc: tuple[str, str] = ("", "")
        self._stream: str | None = None
        self._close_stream: Callable[[], None] | None = None
        self._disconnected = False

    async def run(self, app: Any) -> None:
        failed = False
        token = enter_request(self._log)
        try:
            await app(self._scope, self._receive, self._send)
        except Exception as error:
            # The last line of defence: nothing below answered. Log the traceback here, where
            # the request id is known, and answer a generic 500 if the response has not begun.
            failed = True
            if self._status is not None:
                raise
            answer = unexpected_failure(error)
            headers = [(b"content-type", b"application/json")]
            headers += [(k.lower().encode(), v.encode()) for k, v in answer.headers.items()]
            await self._send(
                {"type": "http.response.start", "status": answer.status, "headers": headers}
            )
            await self._send({"type": "http.response.body", "body": answer.body})
        finally:
            try:
                self._finish(failed)
            finally:
                leave_request(token)
                self._end_stream()

    def _route(self) -> str:
        route = self._scope.get("path_template") or self._log.route
        return str(route) if route else UNMATCHED_ROUTE

    async def _receive(self) -> Any:
        message = await self._receive_next()
        kind = message.get("type")
        if kind == "http.request" and self._peek:
            chunk = message.get("body", b"")
            if len(self._body) + len(chunk) <= self._obs.config.max_peek_bytes:
                self._body.extend(chunk)
                self._body_complete = not message.get("more_body", False)
            else:
                self._peek = False
                self._rpc = ("other", "")
        elif kind == "http.disconnect":
            self._disconnected = True
            self._end_stream()
        return message

    async def _send(self, message: Any) -> None:
        kind = message.get("type")
        if kind == "http.response.start":
            message = self._response_started(message)
        elif kind == "http.response.body" and not message.get("more_body", False):
            self._end_stream()
        await self._send_next(message)

    def _response_started(self, message: Any) -> Any:
        self._status = int(message["status"])
        self._ttfb = time.perf_counter() - self._started
        self._log.route = self._route()
        if self._peek and self._body_complete:
            self._rpc = rpc_labels(bytes(self._body))
        self._body.clear()
        headers = []
        content_type = b""
        for key, value in message.get("headers", ()):
            name = key.lower()
            if name == b"content-type":
                content_type = value
            elif name in _CORRELATION:
                continue
            headers.append((key, value))
        headers.append((_REQUEST_ID, self._log.request_id.encode("latin-1")))
        if self._trace is not None:
            headers.append((_TRACEPARENT, self._trace.header.encode("latin-1")))
        metrics = self._obs.metrics
        if metrics is not None:
            rpc_method, tool = self._rpc
            metrics.observe_request(
                self._log.route,
                self._method,
                self._status,
                self._ttfb,
                rpc_method=rpc_method,
                tool=tool,
            )
        if content_type.startswith(b"text/event-stream"):
            self._stream = self._transport()
            if metrics is not None:
                self._close_stream = metrics.sse_opened(self._stream)
        return {**message, "headers": headers}

    def _transport(self) -> str:
        if self._path in self._obs.config.legacy_sse_paths:
            return "legacy_sse"
        return "get" if self._method == "GET" else "streamable"

    def _end_stream(self) -> None:
        close, self._close_stream = self._close_stream, None
        if close is not None:
            close()

    def _finish(self, failed: bool) -> None:
        """Count a failure that never became a response, and write the access log line."""
        self._log.route = self._route()
        metrics = self._obs.metrics
        if failed:
            if metrics is not None:
                metrics.count_error("internal", "exception")
            if self._status is None:
                self._status = 500
                if metrics is not None:
                    seconds = time.perf_counter() - self._started
                    metrics.observe_request(self._log.route, self._method, 500, seconds)
        status = self._status if self._status is not None else 499  # the client went away
        self._end_stream()
        self._access_log(status)

    def _access_log(self, status: int) -> None:
        logger = self._obs.logger
        if self._path in self._obs.config.quiet_paths and status < 400:
            level = "debug"
        else:
            level = "warning" if status >= 500 else "info"
        enabled = getattr(logger, "is_enabled_for", None)
        if enabled is not None and not enabled(level):
            return  # the line would be filtered out: do not build it
        log = self._log
        fields: dict[str, Any] = {
            "request_id": log.request_id,
            "method": log.method,
            "route": log.route,
            "path": log.path,
            "status": status,
            "duration_ms": round((time.perf_counter() - self._started) * 1000, 1),
        }
        if self._ttfb is not None and self._stream is not None:
            fields["ttfb_ms"] = round(self._ttfb * 1000, 1)
            fields["stream"] = self._stream
        if log.trace_id is not None:
            fields["trace_id"] = log.trace_id
        if log.subject is not None:
            fields["subject"] = log.subject
        rpc_method, rpc_tool = self._rpc
        if rpc_method and (method := _safe(rpc_method)) is not None:
            fields["rpc_method"] = method
        tool_name = log.tool or rpc_tool
        if tool_name and (tool := _safe(tool_name)) is not None:
            fields["tool"] = tool
        if log.tool_outcome is not None:
            fields["tool_outcome"] = log.tool_outcome
        if self._disconnected:
            fields["client_disconnected"] = True
        getattr(logger, level)("request finished", **fields)
