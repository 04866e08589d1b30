"""JSON log lines captured through the real logging pipeline, with the previous setup restored."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import structlog

from jamf_mcp.adapters.structured_logs import configure_logging


class CapturedLogs:
    """The JSON lines written while a test ran."""

    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        for handler in logging.getLogger().handlers:
            handler.flush()  # access lines written inside an event loop go out once per iteration
        return self.stream.getvalue()

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]

    def events(self, event: str) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line.get("event") == event]


@contextmanager
def captured_logs(fmt: str = "json", level: str = "DEBUG") -> Iterator[CapturedLogs]:
    """Configure logging into a buffer; restore the root logger and structlog afterwards."""
    root = logging.getLogger()
    handlers, previous_level = root.handlers[:], root.level
    captured = CapturedLogs()
    configure_logging(level, fmt, stream=captured.stream)
    try:
        yield captured
    finally:
        root.handlers[:] = handlers
        root.setLevel(previous_level)
        structlog.reset_defaults()
