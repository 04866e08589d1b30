"""Configure stdlib logging to render through structlog, with a redaction processor.

`fmt="json"` writes one JSON object per line with `timestamp`, `level`, `event`, `logger`, the
fields of the request being served (`request_id`, `trace_id`, `method`, `route`, `subject`, …)
and anything bound with `structlog.contextvars`; `fmt="console"` writes the same as readable
`key=value` lines. Redaction runs last before rendering, on every field, nested ones and
formatted tracebacks included.

`line_logger` gives the per-request access log a shorter way to the same lines: the same fields
(request context, contextvars, level, logger, timestamp), the same redaction and rendering, but
without building a stdlib `LogRecord` and running the formatter chain, which cost more than
serving a `ping` (`docs/performance.md`).

Client-supplied text never forges a line. Code logs it as a field — stdlib loggers with
`extra={"fields": {...}}`, structlog and `line_logger` as keyword arguments — never spliced into
the message; and the console format escapes every control character (CR, LF, ESC, NEL, U+2028 …)
in the message and in every value, and indents each line of a traceback, so only the first line
of a record starts at the margin. JSON lines are escaped by JSON itself.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import sys
import time
from collections.abc import Mapping, MutableMapping
from datetime import UTC, datetime
from typing import Any, TextIO

import msgspec
import structlog

from jamf_mcp.adapters.structured_logs.console import console_processor, render_console
from jamf_mcp.adapters.structured_logs.request_context import merge_request_context

REDACTED = "[redacted]"
_SENSITIVE_KEY = re.compile(
    r"authorization|token|secret|password|passwd|cookie|code_verifier|^code$|client_assertion",
    re.IGNORECASE,
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")
# Query parameters that carry credentials (access logs print request targets).
_QUERY_SECRET = re.compile(
    r"(?i)\b(access_token|id_token|refresh_token|token|code|code_verifier|client_secret|password"
    r"|state|nonce|csrf_token)=[^&\s\"']+"
)
_MAX_DEPTH = 6
_PLAIN = (int, float, type(None))


def _may_hold_secret(value: str) -> bool:
    """False when neither pattern above can match (each needs `=`, `bearer` or `basic`)."""
    if "=" in value:
        return True
    lowered = value.lower()
    return "bearer" in lowered or "basic" in lowered


@functools.lru_cache(maxsize=1024)
def _sensitive_key(key: str) -> bool:
    return _SENSITIVE_KEY.search(key) is not None


def _redact_text(value: str) -> str:
    if not _may_hold_secret(value):
        return value
    value = _BEARER.sub(r"\1 " + REDACTED, value)
    return _QUERY_SECRET.sub(r"\1=" + REDACTED, value)


def _redact_value(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return _redact_text(value)
    if depth >= _MAX_DEPTH:
        return value
    if isinstance(value, Mapping):
        return {
            key: REDACTED
            if isinstance(key, str) and _sensitive_key(key)
            else _redact_value(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact_value(item, depth + 1) for item in value]
    return value


def redact_secrets(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Blank values under sensitive keys and credentials embedded in text, at any depth."""
    texts: list[str] = []
    for key, value in event_dict.items():  # replacing values while iterating keeps the keys
        if _sensitive_key(key):
            event_dict[key] = REDACTED
        elif type(value) is str:
            texts.append(value)
        elif not isinstance(value, _PLAIN):
            event_dict[key] = _redact_value(value, 0)
    if texts and _may_hold_secret("\n".join(texts)):
        for key, value in event_dict.items():  # rarely: something to look at closely
            if type(value) is str and value is not REDACTED:
                event_dict[key] = _redact_text(value)
    return event_dict


_LEADING_KEYS = ("timestamp", "level", "logger", "event")


def _lead_with_standard_keys(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Put `timestamp`, `level`, `logger` and `event` first, so JSON lines read alike."""
    leading = {key: event_dict.pop(key) for key in _LEADING_KEYS if key in event_dict}
    return {**leading, **event_dict}


def add_record_fields(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Merge a stdlib record's `extra={"fields": {...}}` into the event (explicit keys win)."""
    record = event_dict.get("_record")
    fields = getattr(record, "fields", None)
    if isinstance(fields, Mapping):
        for key, value in fields.items():
            event_dict.setdefault(str(key), value)
    return event_dict


def _shared_processors() -> list[Any]:
    """Applied to structlog and stdlib records alike, before they reach the formatter."""
    return [
        add_record_fields,
        structlog.contextvars.merge_contextvars,
        merge_request_context,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
    ]


def configure_logging(
    level: str = "INFO", fmt: str = "console", *, stream: TextIO | None = None
) -> None:
    """Route every stdlib logger through structlog.

    Args:
        level: The root log level (`DEBUG`, `INFO`, …).
        fmt: `json` (one object per line) or `console`.
        stream: Where lines go (standard error by default).
    """
    renderers: list[Any] = (
        [_lead_with_standard_keys, structlog.processors.JSONRenderer()]
        if fmt == "json"
        else [console_processor]
    )
    renderer = _render_json if fmt == "json" else render_console
    shared = _shared_processors()
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            redact_secrets,  # after formatting exceptions: a traceback can quote a credential
            *renderers,
        ],
    )
    handler = _StructuredHandler(stream or sys.stderr, renderer)
    handler.setFormatter(_StructuredFormatter(formatter, renderer))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *shared,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


_second: list[Any] = [None, ""]  # the last whole second formatted, and its text


def _timestamp() -> str:
    """As `TimeStamper(fmt="iso", utc=True)` writes it (the date and time formatted once a second)."""
    now = time.time()
    second = int(now)
    micros = int((now - second) * 1_000_000)
    if _second[0] != second:
        text = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
        _second[:] = [second, text]
    return f"{_second[1]}.{micros:06d}Z" if micros else f"{_second[1]}Z"


def _fallback(value: Any) -> Any:
    return repr(value)


_JSON = msgspec.json.Encoder(enc_hook=_fallback)


_UNICODE_LINE_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _render_json(event_dict: Mapping[str, Any]) -> str:
    text = _JSON.encode(event_dict).decode()
    # Valid JSON may hold these raw, but some line readers split on them: escape them too.
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(_UNICODE_LINE_BREAKS)
    return text


class _StructuredFormatter(logging.Formatter):
    """Formats stdlib records exactly as `fallback` (the `ProcessorFormatter`) would.

    Plain records — not from structlog, no traceback or stack — take a shorter way: the same
    processors, run in place on one dictionary, without copying the record. The others are
    handed to `fallback`.
    """

    def __init__(self, fallback: logging.Formatter, render: Any) -> None:
        super().__init__()
        self._fallback = fallback
        self._render = render

    def format(self, record: logging.LogRecord) -> str:
        """One rendered line."""
        if record.exc_info or record.stack_info or hasattr(record, "_logger"):
            return self._fallback.format(record)
        level = record.levelname.lower()
        event_dict: dict[str, Any] = {
            "timestamp": _timestamp(),
            "level": level,
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, Mapping):
            for key, value in fields.items():
                event_dict.setdefault(str(key), value)
        structlog.contextvars.merge_contextvars(None, level, event_dict)
        merge_request_context(None, level, event_dict)
        redact_secrets(None, level, event_dict)
        return str(self._render(event_dict))


class _StructuredHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The handler `configure_logging` installs; it also writes `line_logger` lines directly.

    Inside an event loop, `line_logger` lines are gathered and written once per loop iteration
    (one write instead of one per request); any other record, `flush` and interpreter exit
    write what is gathered first, so lines keep their order.
    """

    def __init__(self, stream: TextIO, render: Any) -> None:
        super().__init__(stream)
        self.render = render
        self._pending: list[str] = []
        self._scheduled_on: asyncio.AbstractEventLoop | None = None

    def write_line(self, line: str) -> None:
        """Write one rendered line, as `emit` would (soon, when called inside an event loop)."""
        loop = asyncio.events._get_running_loop()
        with self.lock:  # type: ignore[union-attr]
            self._pending.append(line)
            if loop is not None:
                if self._scheduled_on is loop:
                    return  # this loop writes them all
                self._scheduled_on = loop
        if loop is None:
            self._write_pending()
        else:
            loop.call_soon(self._write_pending)

    def _write_pending(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            lines, self._pending = self._pending, []
            self._scheduled_on = None
            if not lines:
                return
            try:
                self.stream.write(self.terminator.join(lines) + self.terminator)
                super().flush()
            except Exception:  # as `emit`: a broken stream must not break the request
                self.handleError(logging.makeLogRecord({"msg": lines[-1]}))

    def emit(self, record: logging.LogRecord) -> None:
        """Write gathered lines, then the record."""
        if self._pending:
            self._write_pending()
        super().emit(record)

    def flush(self) -> None:
        """Write gathered lines and flush the stream."""
        if self._pending:
            self._write_pending()
        super().flush()


_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}


class LineLogger:
    """A logger with structlog's `debug`/`info`/`warning(event, **fields)` for hot paths.

    Writes through the handler `configure_logging` installed; when logging was configured some
    other way, it falls back to structlog (same call, ordinary path).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._stdlib = logging.getLogger(name)
        self._structlog = structlog.stdlib.get_logger(name)

    def is_enabled_for(self, level: str) -> bool:
        """Whether a line at `level` (`debug`, `info`, `warning`) would be written."""
        return self._stdlib.isEnabledFor(_LEVELS[level])

    def debug(self, event: str, **fields: Any) -> None:
        """Log at DEBUG."""
        self._log("debug", event, fields)

    def info(self, event: str, **fields: Any) -> None:
        """Log at INFO."""
        self._log("info", event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        """Log at WARNING."""
        self._log("warning", event, fields)

    def _log(self, level: str, event: str, fields: dict[str, Any]) -> None:
        if not self._stdlib.isEnabledFor(_LEVELS[level]):
            return
        handlers = logging.root.handlers
        handler = handlers[0] if len(handlers) == 1 else None
        if not isinstance(handler, _StructuredHandler) or not self._stdlib.propagate:
            getattr(self._structlog, level)(event, **fields)
            return
        event_dict: dict[str, Any] = {
            "timestamp": _timestamp(),
            "level": level,
            "logger": self.name,
            "event": event,
            **fields,
        }
        structlog.contextvars.merge_contextvars(None, level, event_dict)
        merge_request_context(None, level, event_dict)
        redact_secrets(None, level, event_dict)
        handler.write_line(handler.render(event_dict))


def line_logger(name: str) -> LineLogger:
    """A `LineLogger` named `name`."""
    return LineLogger(name)
