"""The JSON of the report resources: the compliance report and the recent audit trail."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from jamf_mcp.adapters.mcp_jamf.jamf_tools_present import (
    compliance_summary,
    noncompliant_device,
    timestamp,
)
from jamf_mcp.application.use_cases import AuditRecordsPage, CompliancePage
from jamf_mcp.domain.action_digests import shown
from jamf_mcp.domain.audit_records import AuditRecord

MAX_REPORT_DEVICES = 500
"""The most rows the compliance resource shows (the largest page checkDeviceCompliance gives)."""
MAX_TARGET_NAMES = 20


def compliance_report(report: CompliancePage, now: datetime, days: int) -> dict[str, Any]:
    """The report's counts and the first page of its worst non-compliant computers."""
    rows = report.devices.items
    note = None
    if report.devices.next_offset is not None:
        note = (
            f"Showing the {len(rows)} worst of {report.summary.noncompliant} non-compliant "
            "computers; call checkDeviceCompliance with a cursor to page through all of them."
        )
    return {
        "rule": f"A computer not seen by Jamf Pro for more than {days} days is non-compliant.",
        "summary": compliance_summary(report.summary),
        "devices": [noncompliant_device(item, now) for item in rows],
        "returned": len(rows),
        "note": note,
    }


def audit_record(record: AuditRecord) -> dict[str, Any]:
    """Who asked for what on which devices, how it was answered and how it went (no secrets).

    `state` is the latest outcome's status, else how the confirmation ended (approved, declined,
    cancelled, expired, refused) or `requested`. Per-device counts come from the latest outcome;
    `targets` names at most 20 devices; the digest is its short reference prefix only
    (`action_digests.shown`).
    """
    action = record.action
    latest = record.outcomes[-1] if record.outcomes else None
    per_device = Counter(result.status.value for result in latest.results) if latest else {}
    answered = record.resolution or (record.events[-1] if record.events else None)
    return {
        "recordId": record.record_id,
        "time": timestamp(record.recorded_at),
        "who": record.requester.label,
        "client": record.events[0].client.label if record.events else None,
        "action": action.kind.value,
        "command": action.command,
        "targets": [target.name for target in action.targets[:MAX_TARGET_NAMES]],
        "targetCount": len(action.targets),
        "digest": shown(action.digest),
        "channel": answered.channel.value if answered and answered.channel else None,
        "state": record.state,
        "status": record.status.value if record.status is not None else None,
        "events": [event.kind.value for event in record.events],
        "deviceStatus": dict(sorted(per_device.items())),
        "updatedAt": timestamp(record.events[-1].at) if record.events else None,
    }


def audit_trail(page: AuditRecordsPage, limit: int) -> dict[str, Any]:
    """The recent records, newest first."""
    return {
        "records": [audit_record(record) for record in page.records],
        "returned": len(page.records),
        "limit": limit,
        "order": "newest first",
    }
