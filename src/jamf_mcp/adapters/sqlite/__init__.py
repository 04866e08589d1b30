"""State kept in SQLite files: the durable audit trail (the embedded default)."""

from jamf_mcp.adapters.sqlite.audit_log import SqliteAuditLog

__all__ = ["SqliteAuditLog"]
