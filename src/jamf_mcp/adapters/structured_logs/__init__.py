"""Structured logs with structlog: JSON or console lines, secrets redacted before they are written."""

from jamf_mcp.adapters.structured_logs.setup import REDACTED, configure_logging, redact_secrets

__all__ = ["REDACTED", "configure_logging", "redact_secrets"]
