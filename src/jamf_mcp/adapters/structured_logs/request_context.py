"""The context of the request being served, merged into every log line written while serving it.

The HTTP middleware opens a `RequestLogContext` per request; code further in adds what it learns
(`bind_subject` once the caller is authenticated, `bind_tool` when a tool runs). The context is
one mutable object held in a `ContextVar`: tasks started while serving the request (Litestar
resolves dependencies in task groups; streams run in their own tasks) inherit the reference, so
what they bind is seen by the middleware's access log line, which plain `contextvars` bindings
made in a child task would not be.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import Any

import attrs

_current: ContextVar[RequestLogContext | None] = ContextVar("jamf_mcp_request", default=None)


@attrs.define
class RequestLogContext:
    """What the log knows about the request being served.

    Attributes:
        request_id: The validated `X-Request-ID`, or one made up for this request.
        method: The HTTP method.
        path: The path, without its query string.
        trace_id: The W3C trace id from a valid `traceparent`, if any.
        route: The route template, once routing has chosen one.
        subject: The authenticated principal's subject, once known.
        tool: The tool being called, if any.
        tool_outcome: How the tool call ended, once it has.
    """

    request_id: str
    method: str
    path: str
    trace_id: str | None = None
    route: str | None = None
    subject: str | None = None
    tool: str | None = None
    tool_outcome: str | None = None

    def fields(self) -> dict[str, str]:
        """The fields every log line of this request carries (only those known)."""
        values = {
            "request_id": self.request_id,
            "trace_id": self.trace_id,
            "method": self.method,
            "route": self.route,
            "subject": self.subject,
            "tool": self.tool,
        }
        return {key: value for key, value in values.items() if value is not None}


@contextmanager
def request_log_context(context: RequestLogContext) -> Iterator[RequestLogContext]:
    """Make `context` the current request's while the block runs (in this task and its children)."""
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


def enter_request(context: RequestLogContext) -> Token[RequestLogContext | None]:
    """`request_log_context` without the context manager (for hot paths): pass the result to
    `leave_request` when the request is done."""
    return _current.set(context)


def leave_request(token: Token[RequestLogContext | None]) -> None:
    """End what `enter_request` began."""
    _current.reset(token)


def current_request() -> RequestLogContext | None:
    """The context of the request being served, or None outside one (stdio, background work)."""
    return _current.get()


def bind_subject(subject: str) -> None:
    """Record the authenticated principal's subject on the current request (no-op outside one)."""
    context = _current.get()
    if context is not None:
        context.subject = subject


def bind_tool(name: str, outcome: str | None = None) -> None:
    """Record the tool being called and, once known, how the call ended (no-op outside a request)."""
    context = _current.get()
    if context is not None:
        context.tool = name
        if outcome is not None:
            context.tool_outcome = outcome


def merge_request_context(
    _: Any, __: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """A structlog processor adding the current request's fields (explicit fields win)."""
    context = _current.get()
    if context is None:
        return event_dict
    for key, value in (
        ("request_id", context.request_id),
        ("trace_id", context.trace_id),
        ("method", context.method),
        ("route", context.route),
        ("subject", context.subject),
        ("tool", context.tool),
    ):
        if value is not None and key not in event_dict:
            event_dict[key] = value
    return event_dict
