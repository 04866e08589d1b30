"""The audit trail as CSV rows: one per event and device, flat for a SIEM or a spreadsheet.

Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or
carriage return) get a leading apostrophe (OWASP, "CSV Injection").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from jamf_mcp.adapters.export.audit_jsonl import event_documents
from jamf_mcp.domain.audit_records import AuditRecord

CSV_COLUMNS = (
    "at", "record_id", "event_id", "event", "user", "user_issuer", "user_subject",
    "oauth_client", "mcp_client", "channel", "action", "command", "policy", "summary",
    "reason", "detail", "status", "device_kind", "device_id", "device_name", "serial_number",
    "device_status", "device_detail", "reference",
)  # fmt: skip

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA) else text


def csv_rows(
    record: AuditRecord, since: datetime | None = None, until: datetime | None = None
) -> Iterator[list[str]]:
    """Rows in `CSV_COLUMNS` order for the record's events (within [since, until) if given)."""
    for doc in event_documents(record, since, until):
        user, client, action = doc["user"], doc["client"], doc["action"]
        policy = action["policyName"] and f"{action['policyName']} ({action['policyId']})"
        mcp_client = " ".join(part for part in (client["name"], client["version"]) if part)
        head = [
            doc["at"], doc["recordId"], doc["eventId"], doc["event"],
            user["name"] or user["subject"], user["issuer"], user["subject"],
            user["oauthClient"], mcp_client, doc["channel"], action["kind"], action["command"],
            policy, action["summary"], doc.get("reason"), doc.get("detail"), doc.get("status"),
        ]  # fmt: skip
        for device in doc["devices"]:
            tail = [
                device.get("kind"), device.get("id"), device.get("name"),
                device.get("serialNumber"), device.get("status"), device.get("detail"),
                device.get("reference"),
            ]  # fmt: skip
            yield [_cell(value) for value in (*head, *tail)]
