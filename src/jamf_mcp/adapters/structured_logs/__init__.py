"""Structured logs with structlog: JSON or console lines, secrets redacted before they are written."""

from jamf_mcp.adapters.structured_logs.request_context import (
    RequestLogContext,
    bind_subject,
    bind_tool,
    current_request,
    enter_request,
    leave_request,
    merge_request_context,
    request_log_context,
)
from jamf_mcp.adapters.structured_logs.setup import (
    REDACTED,
    LineLogger,
    configure_logging,
    line_logger,
    redact_secrets,
)

__all__ = [
    "REDACTED",
    "LineLogger",
    "RequestLogContext",
    "bind_subject",
    "bind_tool",
    "configure_logging",
    "current_request",
    "enter_request",
    "leave_request",
    "line_logger",
    "merge_request_context",
    "redact_secrets",
    "request_log_context",
]
