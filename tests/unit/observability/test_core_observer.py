"""`CoreObserver`: the no-op default, and the HTTP observer that names the tool on the log line."""

from __future__ import annotations

from jamf_mcp.adapters.asgi_observability.core import RequestCoreObserver
from jamf_mcp.adapters.mcp.observers import NO_CORE_OBSERVER, ToolOutcome
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.adapters.structured_logs import (
    RequestLogContext,
    current_request,
    request_log_context,
)
from tests.unit.observability.scrape import value


def test_the_no_op_observer_accepts_every_event() -> None:
    NO_CORE_OBSERVER.tool_started("add")
    NO_CORE_OBSERVER.tool_finished("add", ToolOutcome.OK, 0.1)
    NO_CORE_OBSERVER.jsonrpc_error(-32601)


def test_the_request_observer_names_the_tool_and_forwards_to_metrics() -> None:
    metrics = Metrics(known_tools=["add"], process_metrics=False)
    observer = RequestCoreObserver(metrics)
    context = RequestLogContext(request_id="r", method="POST", path="/mcp")
    with request_log_context(context):
        observer.tool_started("add")
        assert current_request() is context
        assert context.tool == "add"
        observer.tool_finished("add", ToolOutcome.ERROR_RESULT, 0.2)
        observer.jsonrpc_error(-32602)
    assert context.tool_outcome == "error_result"
    assert value(metrics, "jamf_mcp_tool_calls_total", tool="add", outcome="error_result") == 1
    assert value(metrics, "jamf_mcp_errors_total", kind="jsonrpc", code="-32602") == 1


def test_outside_a_request_the_observer_only_forwards() -> None:
    observer = RequestCoreObserver()
    observer.tool_started("add")
    observer.tool_finished("add", ToolOutcome.OK, 0.0)
    assert current_request() is None
