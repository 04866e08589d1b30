"""The whole application: the MCP endpoints first, Litestar for every other path (ADR 0012)."""

from __future__ import annotations

from typing import Any, Protocol

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer, HttpExchange, Receive, Scope, Send
from jamf_mcp.adapters.asgi_mcp.mcp_http import McpHttpApp
from jamf_mcp.adapters.asgi_mcp.request_checks import HostAllowList
from jamf_mcp.adapters.mcp import ErrorCode, RpcError

_HOST_REFUSED = Answer(
    403, RpcError(ErrorCode.INVALID_REQUEST, "Forbidden: this Host is not allowed").encode()
)


def _host_header(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            return bytes(value).decode("latin-1")
    return None


class RestApp(Protocol):
    """The ASGI application that serves every other path (Litestar), with its state."""

    state: Any

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one ASGI connection."""
        ...


class McpFirst:
    """The whole application: the MCP endpoints, and `rest` (Litestar) for everything else.

    Lifespan events and every other path go to `rest`; `state` is its state. With `hosts`, a
    request whose `Host` it does not allow is refused 403 on every route (DNS rebinding).
    """

    def __init__(self, mcp: McpHttpApp, rest: RestApp, hosts: HostAllowList | None = None) -> None:
        self.mcp = mcp
        self.rest = rest
        self.state = rest.state
        self.hosts = hosts
        self._rest: Any = rest  # called with plain ASGI mappings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Dispatch one ASGI connection."""
        if scope["type"] == "http":
            if self.hosts is not None and not self.hosts.allows(_host_header(scope)):
                await HttpExchange(scope, receive, send).answer(_HOST_REFUSED)
                return
            if self.mcp.serves(scope["path"]):
                await self.mcp(scope, receive, send)
                return
        await self._rest(scope, receive, send)
