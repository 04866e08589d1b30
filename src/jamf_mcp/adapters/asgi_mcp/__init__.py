"""The MCP endpoints as raw ASGI (ADR 0012, ADR 0039): Streamable HTTP on `/mcp`, the legacy
HTTP+SSE pair, sign-in of each request, stream limits and the HTTP framing of what the MCP core
answers. No web framework: Litestar serves every other path, behind `McpFirst`."""

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer, HttpExchange
from jamf_mcp.adapters.asgi_mcp.bearer_auth import (
    AuthenticationFailed,
    BearerAuthenticator,
    ScopeRequired,
    SignIn,
)
from jamf_mcp.adapters.asgi_mcp.config import HttpTransportConfig
from jamf_mcp.adapters.asgi_mcp.draining import Draining
from jamf_mcp.adapters.asgi_mcp.endpoint import McpEndpoint
from jamf_mcp.adapters.asgi_mcp.mcp_first import McpFirst
from jamf_mcp.adapters.asgi_mcp.mcp_http import McpHttpApp
from jamf_mcp.adapters.asgi_mcp.rate_limits import (
    PrincipalRateLimit,
    RateLimited,
    too_many_requests,
)
from jamf_mcp.adapters.asgi_mcp.refusals import (
    ANSWERED_ERRORS,
    error_answers,
    unexpected_failure,
)

__all__ = [
    "ANSWERED_ERRORS",
    "Answer",
    "AuthenticationFailed",
    "BearerAuthenticator",
    "Draining",
    "HttpExchange",
    "HttpTransportConfig",
    "McpEndpoint",
    "McpFirst",
    "McpHttpApp",
    "PrincipalRateLimit",
    "RateLimited",
    "ScopeRequired",
    "SignIn",
    "error_answers",
    "too_many_requests",
    "unexpected_failure",
]
