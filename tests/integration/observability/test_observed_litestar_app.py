"""A Litestar app with the observability middleware, `/metrics`, `/health/ready` and MCP routes."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.params import FromPath
from litestar.response import Stream
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.asgi_mcp import HttpTransportConfig, McpEndpoint, McpFirst, McpHttpApp
from jamf_mcp.adapters.asgi_observability.middleware import RequestObservability
from jamf_mcp.adapters.asgi_observability.readiness import ProbeResult, Readiness
from jamf_mcp.adapters.litestar_http import health_route_handlers
from jamf_mcp.adapters.litestar_http.metrics_routes import metrics_route_handlers
from jamf_mcp.adapters.litestar_http.readiness_routes import readiness_route_handlers
from jamf_mcp.adapters.mcp import InMemorySessionStore, McpServer, ServerInfo
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.adapters.structured_logs import bind_subject
from jamf_mcp.domain.principal import Principal
from tests.integration.mcp.mcp_http_support import USER, fake_catalogue
from tests.unit.observability.log_capture import CapturedLogs
from tests.unit.observability.scrape import value

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
ACCEPT = {"Accept": "application/json, text/event-stream"}
LATENCY = "jamf_mcp_http_request_duration_seconds_count"


class OkProbe:
    name = "jamf"

    async def check(self) -> ProbeResult:
        return ProbeResult(True)


def build(
    metrics: Metrics, seen_during_stream: list[float | None], *, middleware: bool = True
) -> Any:
    """The app as the composition root would wire it, plus one finite SSE route."""
    server = McpServer(fake_catalogue(), ServerInfo("test", "0.0.1"), InMemorySessionStore())

    async def principal(_request: object = None) -> Principal:
        bind_subject(USER.subject)
        return USER

    @get("/events", include_in_schema=False)
    async def events() -> Stream:
        async def frames() -> AsyncGenerator[bytes, None]:
            for number in range(3):
                seen_during_stream.append(
                    value(metrics, "jamf_mcp_sse_connections_active", transport="get")
                )
                yield f"id: {number}\ndata: {{}}\n\n".encode()

        return Stream(frames(), media_type="text/event-stream")

    @get("/things/{thing_id:int}", include_in_schema=False, sync_to_thread=False)
    def thing(thing_id: FromPath[int]) -> dict[str, int]:
        logging.getLogger("jamf_mcp.tests.things").info("looked up a thing")
        return {"id": thing_id}

    endpoint = McpEndpoint(server=lambda: server, authenticate=principal)
    app = McpFirst(
        McpHttpApp(HttpTransportConfig(), endpoint),
        Litestar(
            route_handlers=[
                *health_route_handlers(),
                *metrics_route_handlers(metrics),
                *readiness_route_handlers(Readiness([OkProbe()])),
                events,
                thing,
            ],
            logging_config=None,  # as in main.py: logging is configured by configure_logging
        ),
    )
    return RequestObservability(metrics)(app) if middleware else app


@pytest.fixture
def metrics() -> Metrics:
    return Metrics(known_tools=["add", "countdown"], process_metrics=False)


async def test_a_route_is_observed_by_its_template_with_correlation_headers(
    metrics: Metrics, json_logs: CapturedLogs
) -> None:
    headers = {"X-Request-ID": "it-1", "traceparent": TRACEPARENT}
    async with AsyncTestClient(build(metrics, [])) as client:
        response = await client.get("/things/42", headers=headers)
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "it-1"
    assert response.headers["traceparent"] == TRACEPARENT
    labels = {"route": "/things/{thing_id}", "method": "GET", "status": "200"}
    assert value(metrics, LATENCY, **labels, rpc_method="", tool="") == 1
    (app_line,) = json_logs.events("looked up a thing")
    assert app_line["request_id"] == "it-1"
    assert app_line["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    (access,) = json_logs.events("request finished")
    assert access["route"] == "/things/{thing_id}"
    assert access["status"] == 200


async def test_an_mcp_tool_call_is_labelled_and_its_access_line_names_subject_and_tool(
    metrics: Metrics, json_logs: CapturedLogs
) -> None:
    call = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "add", "arguments": {"a": 2, "b": 3}},
    }
    async with AsyncTestClient(build(metrics, [])) as client:
        response = await client.post("/mcp", json=call, headers=ACCEPT)
    assert response.status_code == 200
    assert response.json()["result"]["isError"] is False
    labels = {"route": "/mcp", "method": "POST", "status": "200"}
    assert value(metrics, LATENCY, **labels, rpc_method="tools/call", tool="add") == 1
    (access,) = json_logs.events("request finished")
    assert access["subject"] == USER.subject
    assert access["rpc_method"] == "tools/call"
    assert access["tool"] == "add"


async def test_an_sse_stream_raises_the_active_gauge_while_open_and_observes_its_duration_once(
    metrics: Metrics, json_logs: CapturedLogs
) -> None:
    seen: list[float | None] = []
    async with AsyncTestClient(build(metrics, seen)) as client:
        response = await client.get("/events", headers={"Accept": "text/event-stream"})
    assert response.status_code == 200
    assert response.text.count("data: {}") == 3
    assert seen == [1.0, 1.0, 1.0]
    assert value(metrics, "jamf_mcp_sse_connections_active", transport="get") == 0
    assert value(metrics, "jamf_mcp_sse_connection_duration_seconds_count", transport="get") == 1
    (access,) = json_logs.events("request finished")
    assert access["stream"] == "get"


async def test_metrics_and_readiness_are_served_and_scrapes_see_the_traffic(
    metrics: Metrics,
) -> None:
    async with AsyncTestClient(build(metrics, [])) as client:
        await client.get("/things/1")
        ready = await client.get("/health/ready")
        scrape = await client.get("/metrics")
    assert ready.json() == {"status": "ready", "components": {"jamf": {"status": "ok"}}}
    assert scrape.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert 'route="/things/{thing_id}"' in scrape.text
    assert 'route="/health/ready"' in scrape.text


async def test_wrapped_around_the_whole_app_it_also_sees_unrouted_requests(
    metrics: Metrics, json_logs: CapturedLogs
) -> None:
    app = build(metrics, [], middleware=False)
    wrapped = RequestObservability(metrics)(app)
    async with AsyncTestClient(wrapped) as client:  # type: ignore[arg-type]
        missing = await client.get("/wp-login.php?user=admin&password=hunter2")
        found = await client.get("/things/7")
    assert missing.status_code == 404
    assert len(missing.headers["x-request-id"]) == 32
    assert found.status_code == 200
    unmatched = {"route": "unmatched", "method": "GET", "status": "404"}
    assert value(metrics, LATENCY, **unmatched, rpc_method="", tool="") == 1
    templated = {"route": "/things/{thing_id}", "method": "GET", "status": "200"}
    assert value(metrics, LATENCY, **templated, rpc_method="", tool="") == 1
    assert "hunter2" not in json_logs.text
    lines = [json.dumps(line) for line in json_logs.events("request finished")]
    assert len(lines) == 2
