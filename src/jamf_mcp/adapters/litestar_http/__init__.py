"""The Litestar application: sign-in (front door, metadata), the approval pages, health,
readiness, metrics and the home page. The MCP endpoints are raw ASGI ahead of it
(`adapters.asgi_mcp`)."""

from jamf_mcp.adapters.litestar_http.answers import litestar_response
from jamf_mcp.adapters.litestar_http.health_routes import health_route_handlers
from jamf_mcp.adapters.litestar_http.ip_rate_limits import ClientIpRateLimit
from jamf_mcp.adapters.litestar_http.metadata_routes import metadata_route_handlers
from jamf_mcp.adapters.litestar_http.oauth_routes import oauth_route_handlers

__all__ = [
    "ClientIpRateLimit",
    "health_route_handlers",
    "litestar_response",
    "metadata_route_handlers",
    "oauth_route_handlers",
]
