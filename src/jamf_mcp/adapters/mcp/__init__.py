"""The MCP protocol core: JSON-RPC, lifecycle, sessions and the tool catalogue (no web framework)."""

from jamf_mcp.adapters.mcp.catalogue import InvalidCatalogue, ToolCatalogue
from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, RpcError
from jamf_mcp.adapters.mcp.replies import Notify, Reply, RequestContext
from jamf_mcp.adapters.mcp.revisions import LATEST_VERSION, SUPPORTED_VERSIONS
from jamf_mcp.adapters.mcp.server import McpServer, ServerInfo
from jamf_mcp.adapters.mcp.sessions import InMemorySessionStore, Session, SessionStore
from jamf_mcp.adapters.mcp.tools import (
    ClientChannel,
    ProgressReporter,
    ToolAnnotations,
    ToolContext,
    ToolDefinition,
    ToolHandler,
    ToolResult,
)

__all__ = [
    "LATEST_VERSION",
    "SUPPORTED_VERSIONS",
    "ClientChannel",
    "ErrorCode",
    "InMemorySessionStore",
    "InvalidCatalogue",
    "McpServer",
    "Notify",
    "ProgressReporter",
    "Reply",
    "RequestContext",
    "RpcError",
    "ServerInfo",
    "Session",
    "SessionStore",
    "ToolAnnotations",
    "ToolCatalogue",
    "ToolContext",
    "ToolDefinition",
    "ToolHandler",
    "ToolResult",
]
