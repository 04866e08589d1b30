"""The stdio transport: MCP as newline-delimited JSON-RPC on stdin/stdout (no web framework)."""

from jamf_mcp.adapters.stdio.framing import Frame, LineSplitter, OversizedLine, encode_line
from jamf_mcp.adapters.stdio.pipes import PipeReader, PipeWriter, claim_stdout
from jamf_mcp.adapters.stdio.stop_signals import run_until_signalled
from jamf_mcp.adapters.stdio.transport import DEFAULT_GRACE_SECONDS, StdioTransport

__all__ = [
    "DEFAULT_GRACE_SECONDS",
    "Frame",
    "LineSplitter",
    "OversizedLine",
    "PipeReader",
    "PipeWriter",
    "StdioTransport",
    "claim_stdout",
    "encode_line",
    "run_until_signalled",
]
