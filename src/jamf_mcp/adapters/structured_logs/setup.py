"""Configure stdlib logging to render through structlog, with a redaction processor."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

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


def redact_secrets(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Blank values under sensitive keys and credentials embedded in message text."""
    for key, value in list(event_dict.items()):
        if _SENSITIVE_KEY.search(key):
            event_dict[key] = REDACTED
        elif isinstance(value, str):
            value = _BEARER.sub(r"\1 " + REDACTED, value)
            event_dict[key] = _QUERY_SECRET.sub(r"\1=" + REDACTED, value)
    return event_dict


def configure_logging(level: str = "INFO", fmt: str = "console") -> None:
    """Route every stdlib logger through structlog; `fmt` is `json` or `console`."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            redact_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
