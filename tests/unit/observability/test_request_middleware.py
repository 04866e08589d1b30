"""The request observability middleware: correlation headers, access log line, metrics, SSE."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import pytest

from jamf_mcp.adapters.asgi_observability.config import ObservabilityConfig
from jamf_mcp.adapters.asgi_observability.middleware import RequestObservability
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.adapters.structured_logs import bind_subject, bind_tool
from tests.unit.observability.asgi_support import drive, http_scope, responding
from tests.unit.observability.log_capture import CapturedLogs
from tests.unit.observability.scrape import value

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
LATENCY = "jamf_mcp_http_request_duration_seconds_count"


class RecordingLogger:
    """Keeps every access log call."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, dict[str, Any]]] = []

    def _record(self, level: str, event: str, **fields: Any) -> None:
        self.lines.append((level, event, fields))

    def debug(self, event: str, **fields: Any) -> None:
        self._record("debug", event, **fields)

    def info(self, event: str, **fields: Any) -> None:
        self._record("info", event, **fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._record("warning", event, **fields)

    @property
    def only(self) -> tuple[str, str, dict[str, Any]]:
        assert len(self.lines) == 1, self.lines
        return self.lines[0]


def observed(app: Any, metrics: Metrics | None = None, logger: Any = None) -> Any:
    return RequestObservability(metrics, ObservabilityConfig(), logger=logger)(app)


def metrics() -> Metrics:
    return Metrics(known_tools=["add"], process_metrics=False)


async def test_accepts_and_echoes_a_valid_request_id() -> None:
    log = RecordingLogger()
    scope = http_scope(headers=[("X-Request-ID", "req-42")])
    exchange = await drive(observed(responding(), logger=log), scope)
    assert exchange.header("x-request-id") == ["req-42"]
    assert log.only[2]["request_id"] == "req-42"


@pytest.mark.parametrize("bad", ["x" * 129, "two words", "ünïcode"])
async def test_replaces_an_unacceptable_request_id_and_echoes_the_replacement(bad: str) -> None:
    log = RecordingLogger()
    scope = http_scope()
    scope["headers"].append((b"x-request-id", bad.encode()))
    exchange = await drive(observed(responding(), logger=log), scope)
    (echoed,) = exchange.header("x-request-id")
    assert echoed != bad
    assert len(echoed) == 32
    assert log.only[2]["request_id"] == echoed


async def test_creates_a_request_id_when_none_is_sent_and_replaces_the_apps_own() -> None:
    app = responding(headers=[(b"content-type", b"text/plain"), (b"X-Request-ID", b"app")])
    exchange = await drive(observed(app), http_scope())
    (echoed,) = exchange.header("x-request-id")
    assert echoed != "app"
    assert len(echoed) == 32


async def test_echoes_a_valid_traceparent_unchanged_and_logs_its_trace_id() -> None:
    log = RecordingLogger()
    scope = http_scope(headers=[("traceparent", TRACEPARENT)])
    exchange = await drive(observed(responding(), logger=log), scope)
    assert exchange.header("traceparent") == [TRACEPARENT]
    assert log.only[2]["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"


async def test_drops_an_invalid_traceparent() -> None:
    log = RecordingLogger()
    scope = http_scope(headers=[("traceparent", "00-zz-00f067aa0ba902b7-01")])
    exchange = await drive(observed(responding(), logger=log), scope)
    assert exchange.header("traceparent") == []
    assert "trace_id" not in log.only[2]


async def test_writes_one_access_line_with_route_status_duration_subject_and_tool() -> None:
    log = RecordingLogger()

    async def authenticate_and_call() -> None:
        bind_subject("carol")
        bind_tool("add", "ok")

    app = responding(201, before=authenticate_and_call)
    scope = http_scope("POST", "/items/7", path_template="/items/{item_id:int}")
    await drive(observed(app, logger=log), scope)
    level, event, fields = log.only
    assert (level, event) == ("info", "request finished")
    assert fields["route"] == "/items/{item_id:int}"
    assert fields["path"] == "/items/7"
    assert fields["method"] == "POST"
    assert fields["status"] == 201
    assert fields["subject"] == "carol"
    assert (fields["tool"], fields["tool_outcome"]) == ("add", "ok")
    assert isinstance(fields["duration_ms"], float)


async def test_health_checks_and_scrapes_are_logged_at_debug() -> None:
    log = RecordingLogger()
    await drive(observed(responding(), logger=log), http_scope(path="/health"))
    assert log.only[0] == "debug"


async def test_every_log_line_of_the_request_carries_its_context_even_from_child_tasks(
    json_logs: CapturedLogs,
) -> None:
    app_log = logging.getLogger("jamf_mcp.tests.app")

    async def work() -> None:
        bind_subject("dave")

        async def in_a_child_task() -> None:
            app_log.info("working in a child task")

        await asyncio.create_task(in_a_child_task())

    scope = http_scope(headers=[("X-Request-ID", "req-ctx"), ("traceparent", TRACEPARENT)])
    await drive(observed(responding(before=work)), scope)
    (line,) = json_logs.events("working in a child task")
    assert line["request_id"] == "req-ctx"
    assert line["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert line["subject"] == "dave"
    assert line["method"] == "GET"
    (access,) = json_logs.events("request finished")
    assert access["logger"] == "jamf_mcp.access"
    assert access["subject"] == "dave"
    assert {"timestamp", "level", "status", "duration_ms", "route"} <= access.keys()


async def test_no_credential_reaches_the_log_whatever_the_request_carries(
    json_logs: CapturedLogs,
) -> None:
    secrets = [
        "eyJhbGciOiJSUzI1NiJ9.payload-secret.signature-secret",
        "session-cookie-secret",
        "authorization-code-secret",
        "state-secret",
        "client-secret-value",
        "refresh-token-secret",
        "api-key-secret",
    ]
    body = json.dumps({"client_secret": secrets[4], "refresh_token": secrets[5]}).encode()

    async def app_that_logs() -> None:
        logging.getLogger("jamf_mcp.tests.app").info("handling the callback")

    scope = http_scope(
        "POST",
        "/auth/upstream/callback",
        query=f"code={secrets[2]}&state={secrets[3]}&access_token={secrets[0]}",
        headers=[
            ("Authorization", f"Bearer {secrets[0]}"),
            ("Cookie", f"session={secrets[1]}"),
            ("X-Api-Key", secrets[6]),
        ],
    )
    app = responding(302, before=app_that_logs)
    await drive(observed(app, metrics()), scope, body=body)
    output = json_logs.text
    assert "request finished" in output
    assert "handling the callback" in output
    for secret in secrets:
        assert secret not in output
    assert "code=" not in output
    assert "Cookie" not in output
    assert "Bearer" not in output


async def test_observes_latency_with_the_json_rpc_method_and_tool_of_an_mcp_post() -> None:
    recorded = metrics()
    call = b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{}}}'
    scope = http_scope("POST", "/mcp", path_template="/mcp")
    await drive(observed(responding(), recorded), scope, body=call)
    labels = {"route": "/mcp", "method": "POST", "status": "200"}
    assert value(recorded, LATENCY, **labels, rpc_method="tools/call", tool="add") == 1


async def test_does_not_read_the_body_of_a_request_the_app_refused_unread() -> None:
    recorded = metrics()
    scope = http_scope("POST", "/mcp", path_template="/mcp")
    app = responding(401, read_body=False)
    await drive(observed(app, recorded), scope, body=b'{"method":"tools/call"}')
    labels = {"route": "/mcp", "method": "POST", "status": "401"}
    assert value(recorded, LATENCY, **labels, rpc_method="", tool="") == 1
    assert value(recorded, "jamf_mcp_errors_total", kind="http", code="4xx") == 1


async def test_an_unrouted_request_is_labelled_unmatched() -> None:
    recorded = metrics()
    await drive(observed(responding(404), recorded), http_scope(path="/wp-admin.php"))
    labels = {"route": "unmatched", "method": "GET", "status": "404", "rpc_method": "", "tool": ""}
    assert value(recorded, LATENCY, **labels) == 1


async def test_an_app_failure_is_counted_as_internal_logged_with_its_traceback_and_answered_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    recorded = metrics()
    log = RecordingLogger()

    async def failing(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR):
        sent = await drive(observed(failing, recorded, log), http_scope(path_template="/things"))
    assert sent.status == 500
    assert b"boom" not in sent.messages[-1]["body"]
    assert sent.header("x-request-id")
    [failure] = caplog.records
    assert failure.exc_info is not None
    assert value(recorded, "jamf_mcp_errors_total", kind="internal", code="exception") == 1
    assert value(recorded, "jamf_mcp_errors_total", kind="http", code="5xx") == 1
    level, _, fields = log.only
    assert (level, fields["status"]) == ("warning", 500)


async def test_an_sse_stream_is_an_open_connection_until_the_client_disconnects() -> None:
    recorded = metrics()
    log = RecordingLogger()
    streaming = asyncio.Event()
    gone = asyncio.Event()

    async def stream(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        headers = [(b"content-type", b"text/event-stream")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b": ping\n\n", "more_body": True})
        streaming.set()
        assert (await receive())["type"] == "http.disconnect"

    scope = http_scope("GET", "/mcp", path_template="/mcp")
    client = asyncio.create_task(drive(observed(stream, recorded, log), scope, disconnect=gone))
    await streaming.wait()
    active = "jamf_mcp_sse_connections_active"
    assert value(recorded, active, transport="get") == 1
    gone.set()
    await client
    assert value(recorded, active, transport="get") == 0
    assert value(recorded, "jamf_mcp_sse_connection_duration_seconds_count", transport="get") == 1
    fields = log.only[2]
    assert fields["stream"] == "get"
    assert fields["client_disconnected"] is True
    assert "ttfb_ms" in fields


@pytest.mark.parametrize(
    ("method", "path", "transport"),
    [("POST", "/mcp", "streamable"), ("GET", "/sse", "legacy_sse")],
)
async def test_a_completed_sse_response_closes_its_connection(
    method: str, path: str, transport: str
) -> None:
    recorded = metrics()
    app = responding(body=b"data: {}\n\n", headers=[(b"content-type", b"text/event-stream")])
    await drive(observed(app, recorded), http_scope(method, path, path_template=path))
    assert value(recorded, "jamf_mcp_sse_connections_active", transport=transport) == 0
    count = "jamf_mcp_sse_connection_duration_seconds_count"
    assert value(recorded, count, transport=transport) == 1


async def test_other_scopes_pass_through_untouched() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["type"])

    await observed(app)({"type": "lifespan"}, None, None)
    assert seen == ["lifespan"]
