"""The one place that turns domain errors (and unexpected failures) into what an MCP client sees.

Tool failures become tool results with `isError: true`, so the model can read the message and
recover; only protocol misuse becomes a JSON-RPC error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from jamf_mcp.adapters.mcp.tools import ToolResult
from jamf_mcp.domain.errors import AccessDenied, JamfMcpError


def domain_error_result(
    error: JamfMcpError, advice: Mapping[type[Exception], str] | None = None
) -> ToolResult:
    """A domain error's user-safe message as a tool execution error, followed by the tool's
    `advice` for errors of its type (the first that matches)."""
    message = error.message
    for kind, sentence in (advice or {}).items():
        if isinstance(error, kind):
            message = f"{message} {sentence}"
            break
    return ToolResult.error(message)


WWW_AUTHENTICATE_META = "mcp/www_authenticate"
"""The `_meta` key of a tool result that asks the client to sign in again, with the challenge
it would have got as `WWW-Authenticate` (OpenAI Apps SDK, "Triggering authentication UI";
openai/openai-apps-sdk-examples `authenticated_server_python/main.py` sends a list of one)."""


def access_denied_result(missing_scopes: Sequence[str], challenge: str | None = None) -> ToolResult:
    """The refusal for a principal lacking scopes the tool requires; with `challenge` (an RFC 6750
    `insufficient_scope` challenge naming every scope to ask for) in `_meta`, so a client such as
    ChatGPT offers the user to sign in again with them."""
    refusal = domain_error_result(AccessDenied(missing_scopes))
    if challenge is None:
        return refusal
    return attrs.evolve(refusal, meta={WWW_AUTHENTICATE_META: [challenge]})


def invalid_arguments_result(problems: Sequence[str]) -> ToolResult:
    """Arguments that do not match the tool's input schema (SEP-1303: a tool error)."""
    return ToolResult.error("\n".join(problems))


def internal_error_result(tool_name: str, request_id: str | int | None) -> ToolResult:
    """An unexpected failure: say nothing about its cause, point at the server log."""
    return ToolResult.error(
        f"Internal error while running {tool_name}; the incident was logged (request {request_id})"
    )
