"""`Metrics`: every metric this server exports, on its own registry, behind typed methods.

Call sites say what happened (`observe_request`, `sse_opened`, `tool_finished`, …) and never touch
a prometheus object; this class chooses names, buckets and label bounds in one place.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)

from jamf_mcp.adapters.mcp.observers import ToolOutcome
from jamf_mcp.adapters.prometheus import labels
from jamf_mcp.adapters.prometheus.labels import OTHER, BoundedValues

_log = logging.getLogger(__name__)
_MAX_CACHED_CHILDREN = 4096

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
"""The media type of `Metrics.render()` (Prometheus text exposition format 0.0.4)."""

PREFIX = "jamf_mcp_"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
JAMF_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
CONNECTION_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0, 1800.0, 3600.0, 14400.0, 43200.0)
_TOOL_OUTCOMES = frozenset(ToolOutcome)
_NOT_ERRORS = frozenset({ToolOutcome.OK, ToolOutcome.CANCELLED})
_NEVER_RAN = frozenset({ToolOutcome.DENIED, ToolOutcome.INVALID_ARGUMENTS})
_ERROR_KINDS = frozenset({"http", "jsonrpc", "tool", "internal"})


class SseConnection:
    """An open SSE connection, counted in the gauge until it is closed (closing twice is fine)."""

    def __init__(self, gauge: Gauge, duration: Histogram) -> None:
        self._gauge = gauge
        self._duration = duration
        self._opened = time.perf_counter()
        self._open = True
        gauge.inc()

    def __call__(self) -> None:
        """Close: the gauge goes down and the duration is observed, the first time only."""
        if not self._open:
            return
        self._open = False
        self._gauge.dec()
        self._duration.observe(time.perf_counter() - self._opened)


class Metrics:
    """The server's metrics on a private `CollectorRegistry` (never the global one).

    Implements the observer Protocols of the other adapters: `JamfCallObserver` (jamf_rest),
    `TokenObserver` (oidc), `CoreObserver` (mcp) and `HttpObserver` (litestar_http), so the
    composition root can hand this one object to each of them.

    Args:
        known_tools: The tool names that get a label of their own; any other name is `other`.
        process_metrics: Also export the client's process, platform and GC collectors.
        version: When given, exported as `jamf_mcp_build_info{version="…"} 1`.
    """

    def __init__(
        self,
        *,
        known_tools: Iterable[str] = (),
        process_metrics: bool = True,
        version: str | None = None,
    ) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._tools = frozenset(known_tools)
        self._routes = BoundedValues(limit=100)
        self._jamf_paths = BoundedValues(limit=200)
        self._token_outcomes = BoundedValues(limit=32)
        self._error_codes = BoundedValues(limit=64)
        reg = self.registry
        self._sse_active = Gauge(
            PREFIX + "sse_connections_active",
            "Open SSE connections.",
            ["transport"],
            registry=reg,
        )
        self._sse_duration = Histogram(
            PREFIX + "sse_connection_duration_seconds",
            "How long SSE connections stayed open.",
            ["transport"],
            buckets=CONNECTION_BUCKETS,
            registry=reg,
        )
        self._request_latency = Histogram(
            PREFIX + "http_request_duration_seconds",
            "Time from receiving a request to sending the response status and headers.",
            ["route", "method", "status", "rpc_method", "tool"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self._errors = Counter(
            PREFIX + "errors",
            "Errors by kind (http, jsonrpc, tool, internal) and code.",
            ["kind", "code"],
            registry=reg,
        )
        self._tool_calls = Counter(
            PREFIX + "tool_calls",
            "Finished tools/call requests by tool and outcome.",
            ["tool", "outcome"],
            registry=reg,
        )
        self._tool_duration = Histogram(
            PREFIX + "tool_call_duration_seconds",
            "How long tool handlers ran.",
            ["tool"],
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self._tools_running = Gauge(
            PREFIX + "tool_calls_in_progress",
            "Tool handlers running now.",
            ["tool"],
            registry=reg,
        )
        self._jamf_requests = Counter(
            PREFIX + "jamf_requests",
            "Attempts to call the Jamf Pro API, by status code or error kind.",
            ["method", "path", "status"],
            registry=reg,
        )
        self._jamf_latency = Histogram(
            PREFIX + "jamf_request_duration_seconds",
            "Latency of Jamf Pro API attempts.",
            ["method", "path"],
            buckets=JAMF_BUCKETS,
            registry=reg,
        )
        self._jamf_retries = Counter(
            PREFIX + "jamf_retries",
            "Jamf Pro API attempts that repeated an earlier attempt.",
            ["method", "path"],
            registry=reg,
        )
        self._token_checks = Counter(
            PREFIX + "token_validations",
            "Bearer token validations: valid, or the rejection reason.",
            ["outcome"],
            registry=reg,
        )
        self._rate_limited = Counter(
            PREFIX + "rate_limited_requests",
            "Requests refused by the rate limiter, by the limit that applied.",
            ["scope"],
            registry=reg,
        )
        self._latency_children: dict[tuple[str, str, int, str, str], Any] = {}
        self._children: dict[tuple[int, tuple[str, ...]], Any] = {}
        self._sessions_active = Gauge(
            PREFIX + "mcp_sessions_active",
            "MCP sessions open on this replica (initialize until DELETE or idle timeout).",
            registry=reg,
        )
        self._pending_confirmations = Gauge(
            PREFIX + "pending_confirmations",
            "Confirmation tokens issued and neither used nor expired.",
            registry=reg,
        )
        if version is not None:
            info = Gauge(PREFIX + "build_info", "The running version.", ["version"], registry=reg)
            info.labels(version=version).set(1)
        if process_metrics:
            ProcessCollector(registry=reg)
            PlatformCollector(registry=reg)
            GCCollector(registry=reg)

    def _child(self, metric: Any, *values: str) -> Any:
        """`metric.labels(*values)`, remembered (label values are bounded before they get here)."""
        key = (id(metric), values)
        child = self._children.get(key)
        if child is None:
            child = metric.labels(*values)
            if len(self._children) < _MAX_CACHED_CHILDREN:
                self._children[key] = child
        return child

    def render(self) -> bytes:
        """The registry in the Prometheus text format (media type `CONTENT_TYPE`)."""
        return generate_latest(self.registry)

    def label_tools(self, names: Iterable[str]) -> None:
        """Give these tool names a `tool` label of their own from now on (the catalogue's tools).

        The composition root calls this once the tool catalogue exists, before any call is
        served: the catalogue is built after the metrics it reports to.
        """
        self._tools = self._tools | frozenset(names)

    def tool_label(self, name: str) -> str:
        """The `tool` label for a tool name: itself when known, else `other`."""
        return name if name in self._tools else OTHER

    def route_label(self, route: str) -> str:
        """The `route` label for a route template (at most 100 distinct ones)."""
        return self._routes.admit(route)

    # --- HTTP (litestar_http.HttpObserver) -------------------------------------------------

    def observe_request(
        self,
        route: str,
        method: str,
        status: int,
        seconds: float,
        *,
        rpc_method: str = "",
        tool: str = "",
    ) -> None:
        """One response started after `seconds`; 4xx/5xx also count as `http` errors.

        Args:
            route: The route template (`/mcp`, `/oauth/authorize`), never the raw path.
            method: The HTTP method.
            status: The response status.
            seconds: Time to the response's status line and headers.
            rpc_method: For MCP POSTs, the JSON-RPC method (unknown ones become `other`).
            tool: For `tools/call`, the tool name (unknown ones become `other`).
        """
        key = (route, method, status, rpc_method, tool)
        child = self._latency_children.get(key)
        if child is None:  # labels are bounded, so the same raw values always get the same child
            child = self._request_latency.labels(
                route=self.route_label(route),
                method=labels.http_method(method),
                status=labels.http_status(status),
                rpc_method=labels.one_of(rpc_method, labels.RPC_METHODS) if rpc_method else "",
                tool=self.tool_label(tool) if tool else "",
            )
            if len(self._latency_children) < _MAX_CACHED_CHILDREN:
                self._latency_children[key] = child
        child.observe(seconds)
        if 400 <= status <= 599:
            self.count_error("http", f"{status // 100}xx")

    def sse_opened(self, transport: str) -> SseConnection:
        """An SSE stream opened (`streamable`, `get` or `legacy_sse`); call the result to close it."""
        transport = labels.one_of(transport, labels.SSE_TRANSPORTS)
        return SseConnection(
            self._sse_active.labels(transport=transport),
            self._sse_duration.labels(transport=transport),
        )

    def count_error(self, kind: str, code: str) -> None:
        """One error: `kind` is `http`, `jsonrpc`, `tool` or `internal`; `code` a short code."""
        kind = labels.one_of(kind, _ERROR_KINDS)
        self._child(self._errors, kind, self._error_codes.admit(labels.code_word(code))).inc()

    # --- MCP core (mcp.observers.CoreObserver) ---------------------------------------------

    def tool_started(self, name: str) -> None:
        """A tool handler started running."""
        self._child(self._tools_running, self.tool_label(name)).inc()

    def tool_finished(self, name: str, outcome: ToolOutcome, seconds: float) -> None:
        """A `tools/call` ended; refusals (`denied`, `invalid_arguments`) never started running."""
        tool = self.tool_label(name)
        result = outcome.value if outcome in _TOOL_OUTCOMES else OTHER
        self._child(self._tool_calls, tool, result).inc()
        if outcome not in _NEVER_RAN:
            self._child(self._tools_running, tool).dec()
            self._child(self._tool_duration, tool).observe(seconds)
        if outcome not in _NOT_ERRORS:
            self.count_error("tool", result)

    def jsonrpc_error(self, code: int) -> None:
        """A JSON-RPC error response went out."""
        self.count_error("jsonrpc", labels.jsonrpc_code(code))

    # --- Jamf (jamf_rest.JamfCallObserver) and tokens (oidc.TokenObserver) -----------------

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
        """One attempt to call Jamf Pro; `path` is templated (`{id}`) before it becomes a label."""
        method = labels.http_method(method)
        route = self._jamf_paths.admit(labels.jamf_path_template(path))
        result = labels.http_status(status) if status is not None else labels.code_word(error or "")
        self._jamf_requests.labels(method=method, path=route, status=result).inc()
        self._jamf_latency.labels(method=method, path=route).observe(seconds)
        if retry:
            self._jamf_retries.labels(method=method, path=route).inc()

    def token_checked(self, outcome: str) -> None:
        """A bearer token was validated: `valid`, or a rejection reason code."""
        self._child(self._token_checks, self._token_outcomes.admit(labels.code_word(outcome))).inc()

    # --- Rate limits and confirmations ------------------------------------------------------

    def rate_limited(self, scope: str) -> None:
        """A request was refused by the rate limiter: `scope` is `principal` or `ip`."""
        self._rate_limited.labels(scope=labels.one_of(scope, labels.RATE_LIMIT_SCOPES)).inc()

    def track_pending_confirmations(self, size: Callable[[], float]) -> None:
        """Read the pending-confirmations gauge from `size()` at every scrape (sync, cheap).

        A failing callback exports NaN instead of breaking the scrape.
        """

        def read() -> float:
            try:
                return float(size())
            except Exception:
                _log.warning("could not read the number of pending confirmations", exc_info=True)
                return math.nan

        self._pending_confirmations.set_function(read)

    def track_active_sessions(self, count: Callable[[], float]) -> None:
        """Read the open-sessions gauge from `count()` at every scrape (sync, cheap).

        A failing callback exports NaN instead of breaking the scrape.
        """

        def read() -> float:
            try:
                return float(count())
            except Exception:
                _log.warning("could not count the open MCP sessions", exc_info=True)
                return math.nan

        self._sessions_active.set_function(read)


if TYPE_CHECKING:
    from jamf_mcp.adapters.asgi_observability.config import HttpObserver
    from jamf_mcp.adapters.jamf_rest.transport import JamfCallObserver
    from jamf_mcp.adapters.litestar_http.metrics_routes import MetricsText
    from jamf_mcp.adapters.mcp.observers import CoreObserver
    from jamf_mcp.adapters.oidc.verifier import TokenObserver

    def _fits_every_observer(
        metrics: Metrics,
    ) -> tuple[JamfCallObserver, TokenObserver, CoreObserver, HttpObserver, MetricsText]:
        """Never called: makes mypy check that `Metrics` implements each observer Protocol."""
        return metrics, metrics, metrics, metrics, metrics
