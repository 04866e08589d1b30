"""`RequestCoreObserver`: the MCP core's events, to metrics and to the request's log context."""

from __future__ import annotations

from jamf_mcp.adapters.mcp.observers import NO_CORE_OBSERVER, CoreObserver, ToolOutcome
from jamf_mcp.adapters.structured_logs import bind_tool


class RequestCoreObserver:
    """Forwards core events to `metrics` and names the tool on the request's log lines.

    Implements `CoreObserver`; give it to `McpServer(observer=...)` on the HTTP transport so the
    access log line of a `tools/call` carries `tool` and `tool_outcome`.

    Args:
        metrics: Another observer to forward every event to (e.g. the Prometheus `Metrics`).
    """

    def __init__(self, metrics: CoreObserver | None = None) -> None:
        self._metrics = metrics or NO_CORE_OBSERVER

    def tool_started(self, name: str) -> None:
        """Name the tool on the request's log context, then forward."""
        bind_tool(name)
        self._metrics.tool_started(name)

    def tool_finished(self, name: str, outcome: ToolOutcome, seconds: float) -> None:
        """Record the outcome on the request's log context, then forward."""
        bind_tool(name, outcome.value)
        self._metrics.tool_finished(name, outcome, seconds)

    def jsonrpc_error(self, code: int) -> None:
        """Forward."""
        self._metrics.jsonrpc_error(code)
