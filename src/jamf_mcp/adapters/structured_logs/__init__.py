"""Structured logs with structlog: JSON or console lines, secrets redacted before they are written."""

from jamf_mcp.adapters.structured_logs.request_context import (
    RequestLogContext,
    bind_subject,
    bind_tool,
    current_request,
    merge_request_context,
    request_log_context,
)
from jamf_mcp.adapters.structured_logs.setup import REDACTED, configure_logging, redact_secrets

__all__ = [
    "REDACTED",
    "RequestLogContext",
    "bind_subject",
    "bind_tool",
    "configure_logging",
    "current_request",
    "merge_request_context",
    "redact_secrets",
    "request_log_context",
]
