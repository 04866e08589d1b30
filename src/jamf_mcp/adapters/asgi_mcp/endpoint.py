"""What the MCP endpoints need from the composition root: the server, sign-in, and error answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import attrs

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer, HttpExchange
from jamf_mcp.adapters.mcp import McpServer
from jamf_mcp.domain.principal import Principal


def _no_answer(_error: Exception) -> Answer | None:
    return None


@attrs.frozen
class McpEndpoint:
    """The MCP server (available once the application started) and how callers are identified.

    Attributes:
        server: returns the running `McpServer`.
        authenticate: the principal of a request; raises `AuthenticationFailed` (401),
            `RateLimited` (429) or `StateUnavailable` (503).
        answer_error: the answer for an error raised while serving (None: a 500).
    """

    server: Callable[[], McpServer]
    authenticate: Callable[[HttpExchange], Awaitable[Principal]]
    answer_error: Callable[[Exception], Answer | None] = _no_answer
