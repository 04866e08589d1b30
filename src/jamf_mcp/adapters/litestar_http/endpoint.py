"""What the MCP route handlers need from the composition root: the server and the sign-in check.

Passed to the route factories directly rather than resolved as Litestar dependencies on every
request: dependency resolution spawns a task group per request, which cost more than the whole of
the MCP core on the hot path (`docs/performance.md`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import attrs
from litestar import Request

from jamf_mcp.adapters.mcp import McpServer
from jamf_mcp.domain.principal import Principal


@attrs.frozen
class McpEndpoint:
    """The MCP server (available once the application started) and how callers are identified.

    Attributes:
        server: returns the running `McpServer`.
        authenticate: the principal of a request; raises `AuthenticationFailed` (401),
            `RateLimited` (429) or `StateUnavailable` (503).
    """

    server: Callable[[], McpServer]
    authenticate: Callable[[Request[Any, Any, Any]], Awaitable[Principal]]
