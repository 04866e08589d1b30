"""Configure stdlib logging to render through structlog, with a redaction processor.

`fmt="json"` writes one JSON object per line with `timestamp`, `level`, `event`, `logger`, the
fields of the request being served (`request_id`, `trace_id`, `method`, `route`, `subject`, …)
and anything bound with `structlog.contextvars`; `fmt="console"` writes the same as readable
`key=value` lines. Redaction runs last before rendering, on every field, nested ones and
formatted tracebacks included.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any, TextIO

import structlog

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


def _redact_text(value: str) -> str:
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
            if isinstance(key, str) and _SENSITIVE_KEY.search(key)
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
    for key, value in list(event_dict.items()):
        if _SENSITIVE_KEY.search(key):
            event_dict[key] = REDACTED
        else:
            event_dict[key] = _redact_value(value, 0)
    return event_dict


_LEADING_KEYS = ("timestamp", "level", "logger", "event")


def _lead_with_standard_keys(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Put `timestamp`, `level`, `logger` and `event` first, so JSON lines read alike."""
    leading = {key: event_dict.pop(key) for key in _LEADING_KEYS if key in event_dict}
    return {**leading, **event_dict}


def _shared_processors() -> list[Any]:
    """Applied to structlog and stdlib records alike, before they reach the formatter."""
    return [
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
        else [structlog.dev.ConsoleRenderer(colors=False)]
    )
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
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
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
