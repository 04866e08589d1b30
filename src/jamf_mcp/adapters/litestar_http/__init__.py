"""The HTTP adapter: the MCP endpoints (raw ASGI, ahead of Litestar), sign-in (front door,
metadata) and health on Litestar."""

from jamf_mcp.adapters.litestar_http.asgi_exchange import Answer, HttpExchange
from jamf_mcp.adapters.litestar_http.bearer_auth import (
    AuthenticationFailed,
    BearerAuthenticator,
    ScopeRequired,
)
from jamf_mcp.adapters.litestar_http.config import HttpTransportConfig
from jamf_mcp.adapters.litestar_http.draining import Draining
from jamf_mcp.adapters.litestar_http.endpoint import McpEndpoint
from jamf_mcp.adapters.litestar_http.health_routes import health_route_handlers
from jamf_mcp.adapters.litestar_http.mcp_http import McpFirst, McpHttpApp
from jamf_mcp.adapters.litestar_http.metadata_routes import metadata_route_handlers
from jamf_mcp.adapters.litestar_http.oauth_routes import oauth_route_handlers
from jamf_mcp.adapters.litestar_http.rate_limits import (
    ClientIpRateLimit,
    PrincipalRateLimit,
    RateLimited,
    too_many_requests,
)
from jamf_mcp.adapters.litestar_http.refusals import (
    ANSWERED_ERRORS,
    error_answers,
    unexpected_failure,
)

__all__ = [
    "ANSWERED_ERRORS",
    "Answer",
    "AuthenticationFailed",
    "BearerAuthenticator",
    "ClientIpRateLimit",
    "Draining",
    "HttpExchange",
    "HttpTransportConfig",
    "McpEndpoint",
    "McpFirst",
    "McpHttpApp",
    "PrincipalRateLimit",
    "RateLimited",
    "ScopeRequired",
    "error_answers",
    "health_route_handlers",
    "metadata_route_handlers",
    "oauth_route_handlers",
    "too_many_requests",
    "unexpected_failure",
]
