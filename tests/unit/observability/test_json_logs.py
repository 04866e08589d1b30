"""`JAMF_MCP_LOG_FORMAT=json`: one object per line, standard keys, bound context, redaction everywhere."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from jamf_mcp.adapters.structured_logs import (
    REDACTED,
    RequestLogContext,
    redact_secrets,
    request_log_context,
)
from tests.unit.observability.log_capture import CapturedLogs, captured_logs


def test_stdlib_and_structlog_lines_are_single_json_objects_with_the_standard_keys(
    json_logs: CapturedLogs,
) -> None:
    logging.getLogger("jamf_mcp.tests").warning("disk at %d%%", 91)
    structlog.stdlib.get_logger("jamf_mcp.tests.native").info("native event", answer=42)
    stdlib_line, native_line = json_logs.lines()[-2:]
    assert list(stdlib_line)[:4] == ["timestamp", "level", "logger", "event"]
    assert stdlib_line["event"] == "disk at 91%"
    assert stdlib_line["level"] == "warning"
    assert stdlib_line["logger"] == "jamf_mcp.tests"
    assert stdlib_line["timestamp"].endswith("Z")
    assert native_line["logger"] == "jamf_mcp.tests.native"
    assert native_line["answer"] == 42
    assert len(json_logs.text.strip().splitlines()) == len(json_logs.lines())


def test_request_context_and_contextvars_are_on_every_line(json_logs: CapturedLogs) -> None:
    context = RequestLogContext(request_id="req-1", method="POST", path="/mcp", route="/mcp")
    structlog.contextvars.bind_contextvars(replica="a")
    try:
        with request_log_context(context):
            context.subject = "erin"
            logging.getLogger("jamf_mcp.tests").info("inside")
        logging.getLogger("jamf_mcp.tests").info("outside")
    finally:
        structlog.contextvars.unbind_contextvars("replica")
    inside, outside = json_logs.lines()[-2:]
    assert inside["request_id"] == "req-1"
    assert inside["subject"] == "erin"
    assert inside["route"] == "/mcp"
    assert inside["replica"] == "a"
    assert "request_id" not in outside


def test_redaction_reaches_nested_fields_and_tracebacks(json_logs: CapturedLogs) -> None:
    log = structlog.stdlib.get_logger("jamf_mcp.tests")
    log.info(
        "nested",
        request={"headers": {"Authorization": "Bearer abc.def"}, "url": "/cb?code=xyz123"},
        items=["Bearer qwerty.uiop"],
    )
    try:
        raise ValueError("upstream said: Bearer leaked.token.value")
    except ValueError:
        logging.getLogger("jamf_mcp.tests").exception("failed")
    text = json_logs.text
    for secret in ("abc.def", "xyz123", "qwerty.uiop", "leaked.token.value"):
        assert secret not in text
    nested = json_logs.events("nested")[0]
    assert nested["request"]["headers"]["Authorization"] == REDACTED
    assert json_logs.events("failed")[0]["exception"].count(REDACTED) >= 1


def test_sensitive_keys_and_query_secrets_are_redacted_in_flat_events() -> None:
    event = {"event": "GET /auth/callback?code=abc&state=s1", "cookie": "c=1", "path": "/mcp"}
    redacted = redact_secrets(None, "info", event)
    assert "abc" not in redacted["event"]
    assert redacted["cookie"] == REDACTED
    assert redacted["path"] == "/mcp"


@pytest.fixture
def console_logs() -> Iterator[CapturedLogs]:
    with captured_logs("console", "INFO") as captured:
        yield captured


def test_console_format_still_writes_readable_lines(console_logs: CapturedLogs) -> None:
    context = RequestLogContext(request_id="req-9", method="GET", path="/health")
    with request_log_context(context):
        logging.getLogger("jamf_mcp.tests").info("plain line token=%s", "hunter2")
    line = console_logs.text
    assert "plain line" in line
    assert "request_id=req-9" in line
    assert "hunter2" not in line
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)
