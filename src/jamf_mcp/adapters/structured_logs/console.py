"""The console log format: `TIMESTAMP [LEVEL] EVENT [LOGGER] key=value …`, one line per record.

What `structlog.dev.ConsoleRenderer(colors=False)` writes, except that nothing a client sent can
start a line of its own: the event and every value have their control characters escaped (CR, LF,
ESC, NEL, U+2028 …), and each line of a traceback is indented below its record.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

_CONSOLE_QUOTED = frozenset(" \t=\r\n\"'")
_LEVEL_WIDTH = 9  # structlog pads level names to its longest, "exception"
_EVENT_WIDTH = 30
_TRACE_INDENT = "    "


def escape_controls(text: str) -> str:
    """`text` with every non-printable character written as a Python escape (`\\n`, `\\x1b` …)."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _console_value(value: Any) -> str:
    if isinstance(value, str):
        if _CONSOLE_QUOTED.intersection(value) or not value.isprintable():
            return repr(value)  # quoted, with every control character escaped
        return value
    return escape_controls(repr(value))


def render_console(event_dict: Mapping[str, Any]) -> str:
    """`TIMESTAMP [LEVEL] EVENT [LOGGER] key=value …` on one line, tracebacks indented below.

    The format `ConsoleRenderer(colors=False)` writes, except that nothing a client sent can
    start a line of its own: the event and every value have their control characters escaped.
    """
    fields = dict(event_dict)
    trace = [str(fields.pop(key)) for key in ("stack", "exception") if fields.get(key)]
    parts = [
        str(fields.pop("timestamp", "")),
        f"[{str(fields.pop('level', '')).ljust(_LEVEL_WIDTH)}]",
        escape_controls(str(fields.pop("event", ""))).ljust(_EVENT_WIDTH),
    ]
    logger_name = fields.pop("logger", None)
    if logger_name is not None:
        parts.append(f"[{escape_controls(str(logger_name))}]")
    parts.extend(
        f"{escape_controls(str(key))}={_console_value(fields[key])}" for key in sorted(fields)
    )
    line = " ".join(part for part in parts if part).rstrip(" ")
    for text in trace:
        line += "".join(
            f"\n{_TRACE_INDENT}{escape_controls(row)}" for row in text.rstrip("\n").split("\n")
        )
    return line


def console_processor(_: Any, __: str, event_dict: MutableMapping[str, Any]) -> str:
    """The last processor of the console format (records with tracebacks, structlog loggers)."""
    return render_console(event_dict)
