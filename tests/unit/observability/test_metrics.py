"""The `Metrics` class: names, labels and values as a Prometheus scrape shows them."""

from __future__ import annotations

import math

import pytest
from prometheus_client import REGISTRY, generate_latest

from jamf_mcp.adapters.mcp.observers import ToolOutcome
from jamf_mcp.adapters.prometheus import CONTENT_TYPE, Metrics, jamf_path_template
from tests.unit.observability.scrape import names, scrape, value

LATENCY = "jamf_mcp_http_request_duration_seconds_count"


def fresh(version: str | None = None) -> Metrics:
    return Metrics(
        known_tools=["searchDevices", "lockDevice"], process_metrics=False, version=version
    )


def test_the_exposition_is_the_0_0_4_text_format() -> None:
    assert CONTENT_TYPE.startswith("text/plain; version=0.0.4")
    assert b"# TYPE jamf_mcp_errors_total counter" in fresh().render()


def test_each_instance_has_its_own_registry_and_the_global_one_stays_clean() -> None:
    first, second = fresh(), fresh()
    first.rate_limited("ip")
    assert value(first, "jamf_mcp_rate_limited_requests_total", scope="ip") == 1
    assert value(second, "jamf_mcp_rate_limited_requests_total", scope="ip") is None
    assert b"jamf_mcp_" not in generate_latest(REGISTRY)


def test_process_and_platform_collectors_are_on_the_own_registry() -> None:
    exported = names(Metrics())
    assert "python_info" in exported
    assert any(name.startswith("python_gc_") for name in exported)


def test_request_latency_is_labelled_by_route_method_status_and_rpc() -> None:
    metrics = fresh()
    metrics.observe_request(
        "/mcp", "post", 200, 0.02, rpc_method="tools/call", tool="searchDevices"
    )
    metrics.observe_request("/health", "GET", 200, 0.001)
    labels = {"route": "/mcp", "method": "POST", "status": "200"}
    assert value(metrics, LATENCY, **labels, rpc_method="tools/call", tool="searchDevices") == 1
    no_rpc = {"rpc_method": "", "tool": ""}  # empty: the label does not apply
    assert value(metrics, LATENCY, route="/health", method="GET", status="200", **no_rpc) == 1
    bucket = value(
        metrics,
        "jamf_mcp_http_request_duration_seconds_bucket",
        **labels,
        rpc_method="tools/call",
        tool="searchDevices",
        le="0.025",
    )
    assert bucket == 1


def test_unknown_tools_and_methods_collapse_into_other() -> None:
    metrics = fresh()
    for index in range(50):
        metrics.observe_request(
            "/mcp", "POST", 200, 0.01, rpc_method=f"x/{index}", tool=f"evil{index}"
        )
    metrics.observe_request("/mcp", "BREW", 200, 0.01, rpc_method="tools/call", tool="nope")
    samples = scrape(metrics)
    assert (
        value(
            metrics,
            LATENCY,
            route="/mcp",
            method="POST",
            status="200",
            rpc_method="other",
            tool="other",
        )
        == 50
    )
    assert (
        value(
            metrics,
            LATENCY,
            route="/mcp",
            method="other",
            status="200",
            rpc_method="tools/call",
            tool="other",
        )
        == 1
    )
    assert not any("evil" in str(labels) for _, labels in samples)


def test_error_statuses_count_as_http_errors_by_class() -> None:
    metrics = fresh()
    metrics.observe_request("/mcp", "POST", 401, 0.01)
    metrics.observe_request("/mcp", "POST", 404, 0.01)
    metrics.observe_request("/mcp", "POST", 503, 0.01)
    metrics.observe_request("/mcp", "POST", 302, 0.01)
    assert value(metrics, "jamf_mcp_errors_total", kind="http", code="4xx") == 2
    assert value(metrics, "jamf_mcp_errors_total", kind="http", code="5xx") == 1


def test_an_sse_connection_is_counted_while_open_and_observed_once() -> None:
    metrics = fresh()
    close = metrics.sse_opened("legacy_sse")
    assert value(metrics, "jamf_mcp_sse_connections_active", transport="legacy_sse") == 1
    close()
    close()
    assert value(metrics, "jamf_mcp_sse_connections_active", transport="legacy_sse") == 0
    duration = "jamf_mcp_sse_connection_duration_seconds_count"
    assert value(metrics, duration, transport="legacy_sse") == 1
    metrics.sse_opened("websocket?")
    assert value(metrics, "jamf_mcp_sse_connections_active", transport="other") == 1


def test_tool_calls_are_counted_by_outcome_with_errors_and_running_calls() -> None:
    metrics = fresh()
    metrics.tool_started("lockDevice")
    assert value(metrics, "jamf_mcp_tool_calls_in_progress", tool="lockDevice") == 1
    metrics.tool_finished("lockDevice", ToolOutcome.DOMAIN_ERROR, 0.3)
    metrics.tool_finished("lockDevice", ToolOutcome.DENIED, 0.0)
    metrics.tool_started("mystery")
    metrics.tool_finished("mystery", ToolOutcome.OK, 0.1)
    calls = "jamf_mcp_tool_calls_total"
    assert value(metrics, calls, tool="lockDevice", outcome="domain_error") == 1
    assert value(metrics, calls, tool="lockDevice", outcome="denied") == 1
    assert value(metrics, calls, tool="other", outcome="ok") == 1
    assert value(metrics, "jamf_mcp_tool_calls_in_progress", tool="lockDevice") == 0
    assert value(metrics, "jamf_mcp_tool_call_duration_seconds_count", tool="lockDevice") == 1
    assert value(metrics, "jamf_mcp_errors_total", kind="tool", code="domain_error") == 1
    assert value(metrics, "jamf_mcp_errors_total", kind="tool", code="denied") == 1
    assert value(metrics, "jamf_mcp_errors_total", kind="tool", code="ok") is None


def test_jsonrpc_error_codes_are_kept_within_the_reserved_range() -> None:
    metrics = fresh()
    metrics.jsonrpc_error(-32602)
    metrics.jsonrpc_error(12345)
    assert value(metrics, "jamf_mcp_errors_total", kind="jsonrpc", code="-32602") == 1
    assert value(metrics, "jamf_mcp_errors_total", kind="jsonrpc", code="other") == 1


def test_jamf_attempts_are_counted_by_templated_path_status_and_retry() -> None:
    metrics = fresh()
    path = "/api/v1/computers-inventory-detail/1234"
    metrics.jamf_attempt(method="GET", path=path, status=503, error=None, seconds=0.2, retry=False)
    metrics.jamf_attempt(method="GET", path=path, status=200, error=None, seconds=0.1, retry=True)
    metrics.jamf_attempt(
        method="post",
        path="/api/v2/mdm/commands",
        status=None,
        error="timeout",
        seconds=5,
        retry=False,
    )
    template = "/api/v1/computers-inventory-detail/{id}"
    requests = "jamf_mcp_jamf_requests_total"
    assert value(metrics, requests, method="GET", path=template, status="503") == 1
    assert value(metrics, requests, method="GET", path=template, status="200") == 1
    assert (
        value(metrics, requests, method="POST", path="/api/v2/mdm/commands", status="timeout") == 1
    )
    assert value(metrics, "jamf_mcp_jamf_retries_total", method="GET", path=template) == 1
    latency = "jamf_mcp_jamf_request_duration_seconds_count"
    assert value(metrics, latency, method="GET", path=template) == 2
    assert "1234" not in metrics.render().decode()


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/api/v1/jamf-pro-version", "/api/v1/jamf-pro-version"),
        ("/api/v2/mobile-devices/17/detail", "/api/v2/mobile-devices/{id}/detail"),
        (
            "/JSSResource/computers/serialnumber/C02XK1ABCDEF",
            "/JSSResource/computers/serialnumber/{id}",
        ),
        ("/JSSResource/policies/name/Install Office", "/JSSResource/policies/name/{id}"),
        (
            "/JSSResource/computerhistory/id/5/subset/PolicyLogs",
            "/JSSResource/computerhistory/id/{id}/subset/PolicyLogs",
        ),
        (
            "/JSSResource/mobiledevicecommands/command/UpdateInventory/id/1,2,3",
            "/JSSResource/mobiledevicecommands/command/UpdateInventory/id/{id}",
        ),
        ("/api/v1/things/3f2c9a1e-7b4d-4c1a-9e2f-0a1b2c3d4e5f", "/api/v1/things/{id}"),
        ("/api/v1/departments?page=2&filter=name==x", "/api/v1/departments"),
    ],
)
def test_jamf_paths_lose_their_ids(path: str, template: str) -> None:
    assert jamf_path_template(path) == template


def test_token_validations_are_counted_by_outcome() -> None:
    metrics = fresh()
    metrics.token_checked("valid")
    metrics.token_checked("expired")
    metrics.token_checked("Not A Code!")
    checks = "jamf_mcp_token_validations_total"
    assert value(metrics, checks, outcome="valid") == 1
    assert value(metrics, checks, outcome="expired") == 1
    assert value(metrics, checks, outcome="other") == 1


def test_rate_limited_requests_are_counted_by_scope() -> None:
    metrics = fresh()
    metrics.rate_limited("principal")
    metrics.rate_limited("principal")
    metrics.rate_limited("country")
    assert value(metrics, "jamf_mcp_rate_limited_requests_total", scope="principal") == 2
    assert value(metrics, "jamf_mcp_rate_limited_requests_total", scope="other") == 1


def test_pending_confirmations_are_read_from_a_callback_at_scrape_time() -> None:
    metrics = fresh()
    pending = [3]
    metrics.track_pending_confirmations(lambda: pending[0])
    assert value(metrics, "jamf_mcp_pending_confirmations") == 3
    pending[0] = 7
    assert value(metrics, "jamf_mcp_pending_confirmations") == 7


def test_a_failing_confirmation_callback_exports_nan_instead_of_breaking_the_scrape() -> None:
    metrics = fresh()

    def broken() -> int:
        raise RuntimeError("store closed")

    metrics.track_pending_confirmations(broken)
    reading = value(metrics, "jamf_mcp_pending_confirmations")
    assert reading is not None
    assert math.isnan(reading)


def test_the_build_version_is_exported_when_given() -> None:
    assert value(fresh(version="1.2.3"), "jamf_mcp_build_info", version="1.2.3") == 1
