"""The MCP protocol core: JSON-RPC, lifecycle, sessions and the tool catalogue (no web framework).

One message flows `McpServer.parse` → `authorize` → `dispatch`; see `server.py`.
"""

from jamf_mcp.adapters.mcp.authorization import Authorized, Forbidden
from jamf_mcp.adapters.mcp.catalogue import InvalidCatalogue, ToolCatalogue
from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, Request, RpcError
from jamf_mcp.adapters.mcp.lifecycle import ServerInfo
from jamf_mcp.adapters.mcp.methods import (
    NO_CACHE,
    CacheHint,
    MethodHandler,
    MethodProvider,
    complete_result,
    result_reply,
)
from jamf_mcp.adapters.mcp.replies import (
    Incoming,
    Outcome,
    RequestContext,
    RequestScope,
    RequestSink,
    Result,
    Stream,
)
from jamf_mcp.adapters.mcp.revisions import (
    HANDSHAKE_VERSIONS,
    LATEST_VERSION,
    SUPPORTED_VERSIONS,
)
from jamf_mcp.adapters.mcp.server import McpServer
from jamf_mcp.adapters.mcp.sessions import InMemorySessionStore, Session, SessionStore
from jamf_mcp.adapters.mcp.signals import InMemorySignalRouter, SignalRouter
from jamf_mcp.adapters.mcp.streams import EventStore, InMemoryEventStore, StreamEvent
from jamf_mcp.adapters.mcp.tools import (
    CancelSignal,
    ClientChannel,
    ClientRequestFailed,
    NoBackChannel,
    ProgressReporter,
    ToolAnnotations,
    ToolContext,
    ToolDefinition,
    ToolHandler,
    ToolResult,
)

__all__ = [
    "HANDSHAKE_VERSIONS",
    "LATEST_VERSION",
    "NO_CACHE",
    "SUPPORTED_VERSIONS",
    "Authorized",
    "CacheHint",
    "CancelSignal",
    "ClientChannel",
    "ClientRequestFailed",
    "ErrorCode",
    "EventStore",
    "Forbidden",
    "InMemoryEventStore",
    "InMemorySessionStore",
    "InMemorySignalRouter",
    "Incoming",
    "InvalidCatalogue",
    "McpServer",
    "MethodHandler",
    "MethodProvider",
    "NoBackChannel",
    "Outcome",
    "ProgressReporter",
    "Request",
    "RequestContext",
    "RequestScope",
    "RequestSink",
    "Result",
    "RpcError",
    "ServerInfo",
    "Session",
    "SessionStore",
    "SignalRouter",
    "Stream",
    "StreamEvent",
    "ToolAnnotations",
    "ToolCatalogue",
    "ToolContext",
    "ToolDefinition",
    "ToolHandler",
    "ToolResult",
    "complete_result",
    "result_reply",
]
