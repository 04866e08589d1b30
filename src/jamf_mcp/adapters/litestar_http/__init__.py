"""The Litestar HTTP adapter: the Streamable HTTP MCP endpoint and the health check."""

from jamf_mcp.adapters.litestar_http.config import HttpTransportConfig
from jamf_mcp.adapters.litestar_http.health_routes import health_route_handlers
from jamf_mcp.adapters.litestar_http.mcp_routes import mcp_route_handlers

__all__ = ["HttpTransportConfig", "health_route_handlers", "mcp_route_handlers"]
