"""State kept in SQLite files: the durable audit trail."""

from jamf_mcp.adapters.sqlite.audit_format import format_record
from jamf_mcp.adapters.sqlite.audit_log import SqliteAuditLog

__all__ = ["SqliteAuditLog", "format_record"]
