"""The audit trail as text for people and files for a SIEM: one line per record, JSON Lines and
CSV per event."""

from jamf_mcp.adapters.export.audit_csv import CSV_COLUMNS, csv_rows
from jamf_mcp.adapters.export.audit_jsonl import event_documents
from jamf_mcp.adapters.export.audit_lines import format_record

__all__ = ["CSV_COLUMNS", "csv_rows", "event_documents", "format_record"]
