"""The one place that turns domain errors (and unexpected failures) into what an MCP client sees.

Tool failures become tool results with `isError: true`, so the model can read the message and
recover; only protocol misuse becomes a JSON-RPC error.
"""

from __future__ import annotations

from collections.abc import Sequence

from jamf_mcp.adapters.mcp.tools import ToolResult
from jamf_mcp.domain.errors import AccessDenied, JamfMcpError


def domain_error_result(error: JamfMcpError) -> ToolResult:
    """A domain error's user-safe message as a tool execution error."""
    return ToolResult.error(error.message)


def access_denied_result(missing_scopes: Sequence[str]) -> ToolResult:
    """The refusal for a principal lacking scopes the tool requires."""
    return domain_error_result(AccessDenied(missing_scopes))


def invalid_arguments_result(problems: Sequence[str]) -> ToolResult:
    """Arguments that do not match the tool's input schema (SEP-1303: a tool error)."""
    return ToolResult.error("\n".join(problems))


def internal_error_result(tool_name: str, request_id: str | int | None) -> ToolResult:
    """An unexpected failure: say nothing about its cause, point at the server log."""
    return ToolResult.error(
        f"Internal error while running {tool_name}; the incident was logged (request {request_id})"
    )
