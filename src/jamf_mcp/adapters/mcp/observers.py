"""`CoreObserver`: what the MCP core reports about tool calls and JSON-RPC errors, and a no-op.

The core calls an observer and knows nothing of what it does with the news (metrics, log
context); implementations live in other adapters, so the core never imports a metrics library.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class ToolOutcome(StrEnum):
    """How a `tools/call` ended; a small, fixed vocabulary (observers use it as a label)."""

    OK = "ok"
    ERROR_RESULT = "error_result"
    """The handler returned a result with `isError: true`."""
    DOMAIN_ERROR = "domain_error"
    """The handler raised a `JamfMcpError` (answered as an `isError` result)."""
    INTERNAL_ERROR = "internal_error"
    """The handler failed unexpectedly."""
    DENIED = "denied"
    """The principal lacks the tool's scopes; the handler never ran."""
    INVALID_ARGUMENTS = "invalid_arguments"
    """The arguments failed the input schema; the handler never ran."""
    CANCELLED = "cancelled"
    """The client cancelled the call (or dropped its stream) before it finished."""


class CoreObserver(Protocol):
    """Receives the MCP core's events. Implementations must be cheap and must never raise."""

    def tool_started(self, name: str) -> None:
        """A tool handler is about to run (after the scope and argument checks passed)."""
        ...

    def tool_finished(self, name: str, outcome: ToolOutcome, seconds: float) -> None:
        """A `tools/call` ended; `seconds` is 0.0 when it was refused before running."""
        ...

    def jsonrpc_error(self, code: int) -> None:
        """A JSON-RPC error response with this `error.code` is about to be sent."""
        ...


class NoCoreObserver:
    """Ignores every event (implements `CoreObserver`): the default when nothing observes."""

    def tool_started(self, name: str) -> None:
        """Do nothing."""

    def tool_finished(self, name: str, outcome: ToolOutcome, seconds: float) -> None:
        """Do nothing."""

    def jsonrpc_error(self, code: int) -> None:
        """Do nothing."""


NO_CORE_OBSERVER: CoreObserver = NoCoreObserver()
"""The shared no-op observer."""
