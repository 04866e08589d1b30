"""The Litestar HTTP adapter: the MCP endpoint, sign-in (front door, metadata), health."""

from jamf_mcp.adapters.litestar_http.bearer_auth import (
    AuthenticationFailed,
    BearerAuthenticator,
    ScopeRequired,
)
from jamf_mcp.adapters.litestar_http.config import HttpTransportConfig
from jamf_mcp.adapters.litestar_http.draining import Draining
from jamf_mcp.adapters.litestar_http.endpoint import McpEndpoint
from jamf_mcp.adapters.litestar_http.health_routes import health_route_handlers
from jamf_mcp.adapters.litestar_http.legacy_sse_routes import legacy_sse_route_handlers
from jamf_mcp.adapters.litestar_http.mcp_routes import mcp_route_handlers
from jamf_mcp.adapters.litestar_http.metadata_routes import metadata_route_handlers
from jamf_mcp.adapters.litestar_http.oauth_routes import oauth_route_handlers
from jamf_mcp.adapters.litestar_http.rate_limits import (
    ClientIpRateLimit,
    PrincipalRateLimit,
    RateLimited,
    too_many_requests,
)

__all__ = [
    "AuthenticationFailed",
    "BearerAuthenticator",
    "ClientIpRateLimit",
    "Draining",
    "HttpTransportConfig",
    "McpEndpoint",
    "PrincipalRateLimit",
    "RateLimited",
    "ScopeRequired",
    "health_route_handlers",
    "legacy_sse_route_handlers",
    "mcp_route_handlers",
    "metadata_route_handlers",
    "oauth_route_handlers",
    "too_many_requests",
]
