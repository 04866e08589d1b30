"""SQL shared by the audit stores (SQLite and PostgreSQL): columns, row mapping and searches.

The two stores keep the same tables (records, their targets, their events) and differ only in
types, placeholders and case-insensitive comparison, which `Dialect` captures.
"""

from jamf_mcp.adapters.sql.audit_columns import (
    EVENT_COLUMNS,
    RECORD_COLUMNS,
    TARGET_COLUMNS,
    event_values,
    record_values,
    target_rows,
)
from jamf_mcp.adapters.sql.audit_mapping import assemble_records, event_from_row
from jamf_mcp.adapters.sql.audit_query import Dialect, details_sql, expiry_sql, search_sql

__all__ = [
    "EVENT_COLUMNS",
    "RECORD_COLUMNS",
    "TARGET_COLUMNS",
    "Dialect",
    "assemble_records",
    "details_sql",
    "event_from_row",
    "event_values",
    "expiry_sql",
    "record_values",
    "search_sql",
    "target_rows",
]
