"""The access log's short way to a line writes exactly what the ordinary structlog path writes."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import string
from typing import Any

import pytest
import structlog
from hypothesis import given, settings
from hypothesis import strategies as st

from jamf_mcp.adapters.structured_logs import (
    REDACTED,
    RequestLogContext,
    configure_logging,
    line_logger,
    request_log_context,
)
from tests.unit.observability.log_capture import captured_logs

_RESERVED = {"timestamp", "level", "logger", "event", "exception", "exc_info", "stack"}
keys = st.text(string.ascii_lowercase + "_", min_size=1, max_size=12).filter(
    lambda key: key not in _RESERVED and not key.startswith("_")
)
values = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
)
fields = st.dictionaries(keys, values, max_size=8)
events = st.text(string.ascii_letters + " ", min_size=1, max_size=40).map(str.strip).filter(bool)
_TIMESTAMP = re.compile(r"^\S+")


def _both(fmt: str, event: str, extra: dict[str, Any]) -> tuple[str, str]:
    with captured_logs(fmt, "INFO") as captured:
        structlog.stdlib.get_logger("jamf_mcp.access").info(event, **extra)
        line_logger("jamf_mcp.access").info(event, **extra)
    ordinary, short = captured.text.rstrip("\n").split("\n")
    return ordinary, short


@settings(max_examples=60, deadline=None)
@given(event=events, extra=fields)
def test_json_lines_hold_the_same_fields_either_way(event: str, extra: dict[str, Any]) -> None:
    ordinary, short = (json.loads(line) for line in _both("json", event, extra))
    assert list(short)[:4] == ["timestamp", "level", "logger", "event"]
    assert short["timestamp"].endswith("Z")
    assert {**short, "timestamp": None} == {**ordinary, "timestamp": None}


@settings(max_examples=60, deadline=None)
@given(event=events, extra=fields)
def test_console_lines_read_the_same_either_way(event: str, extra: dict[str, Any]) -> None:
    ordinary, short = (_TIMESTAMP.sub("T", line) for line in _both("console", event, extra))
    assert short == ordinary


def test_lines_carry_the_request_context_and_are_redacted() -> None:
    context = RequestLogContext(request_id="req-7", method="POST", path="/mcp", subject="erin")
    with captured_logs("json", "INFO") as captured, request_log_context(context):
        line_logger("jamf_mcp.access").info(
            "request finished", path="/mcp?code=secret-code", note="Bearer eyJ.secret.sig"
        )
    (line,) = captured.lines()
    assert (line["request_id"], line["subject"], line["method"]) == ("req-7", "erin", "POST")
    assert "secret" not in captured.text
    assert line["note"] == f"Bearer {REDACTED}"


def test_levels_below_the_configured_one_are_not_written() -> None:
    with captured_logs("json", "INFO") as captured:
        line_logger("jamf_mcp.access").debug("health check", status=200)
        line_logger("jamf_mcp.access").warning("request finished", status=503)
    assert [(line["level"], line["event"]) for line in captured.lines()] == [
        ("warning", "request finished")
    ]


def test_with_other_handlers_attached_every_handler_still_gets_the_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with captured_logs("json", "INFO") as captured:
        logging.getLogger().addHandler(caplog.handler)
        line_logger("jamf_mcp.access").info("request finished", status=200)
    assert [line["status"] for line in captured.events("request finished")] == [200]
    assert [record.getMessage() for record in caplog.records] != []


class CountingStream(io.StringIO):
    """Counts the writes that reach it."""

    writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


async def test_inside_an_event_loop_lines_go_out_together_and_in_order() -> None:
    stream = CountingStream()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("INFO", "json", stream=stream)
    try:
        access = line_logger("jamf_mcp.access")
        for number in range(5):
            access.info("request finished", number=number)
        assert stream.writes == 0  # not yet: once this loop iteration ends
        await asyncio.sleep(0)
        assert stream.writes == 1
        access.info("request finished", number=5)
        logging.getLogger("jamf_mcp.tests").warning("an ordinary record")
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        structlog.reset_defaults()
    assert [line.get("number") for line in lines] == [0, 1, 2, 3, 4, 5, None]
    assert lines[-1]["event"] == "an ordinary record"


@settings(max_examples=60, deadline=None)
@given(
    message=st.text(max_size=40).map(lambda text: text.replace("%", "%%")),
    args=st.lists(st.one_of(st.text(max_size=10), st.integers()), max_size=3),
    level=st.sampled_from([logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL]),
    fmt=st.sampled_from(["json", "console"]),
    bound=fields,
)
def test_plain_stdlib_records_are_formatted_as_structlog_formats_them(
    message: str, args: list[Any], level: int, fmt: str, bound: dict[str, Any]
) -> None:
    template = message + " %s" * len(args)
    with captured_logs(fmt, "INFO"):
        handler = logging.getLogger().handlers[0]
        record = logging.LogRecord(
            "jamf_mcp.tests", level, __file__, 1, template, tuple(args), None
        )
        structlog.contextvars.bind_contextvars(**bound)
        try:
            short = handler.format(record)
            ordinary = handler.formatter._fallback.format(record)  # type: ignore[union-attr]
        finally:
            structlog.contextvars.clear_contextvars()
    if fmt == "json":
        assert {**json.loads(short), "timestamp": None} == {
            **json.loads(ordinary),
            "timestamp": None,
        }
    else:
        assert _TIMESTAMP.sub("T", short) == _TIMESTAMP.sub("T", ordinary)
