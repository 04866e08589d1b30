"""The audit trail in PostgreSQL (psycopg 3 and psycopg_pool; ADR 0023)."""

from jamf_mcp.adapters.postgres.audit_log import PostgresAuditLog
from jamf_mcp.adapters.postgres.audit_migrations import LATEST, current_version, migrate
from jamf_mcp.adapters.postgres.connection import PoolSettings, open_pool, safe_target

__all__ = [
    "LATEST",
    "PoolSettings",
    "PostgresAuditLog",
    "current_version",
    "migrate",
    "open_pool",
    "safe_target",
]
