"""One line of text per audit record, for `jamf-mcp audit tail` and `search`."""

from __future__ import annotations

from datetime import UTC, datetime

from jamf_mcp.domain.audit_records import AuditRecord

SHOWN_NAMES = 3


def stamp(value: datetime) -> str:
    """`YYYY-MM-DDTHH:MM:SSZ` in UTC."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _what(record: AuditRecord) -> str:
    action = record.action
    if action.command:
        return f"{action.kind.value} {action.command}"
    if action.policy_name:
        return f"{action.kind.value} '{action.policy_name}'"
    return action.kind.value


def format_record(record: AuditRecord) -> str:
    """`TIME  USER  ACTION  N target(s): NAMES  STATE  via CHANNEL (CLIENT)  [RECORD]`, one line."""
    targets = record.action.targets
    names = [target.name for target in targets[:SHOWN_NAMES]]
    rest = len(targets) - SHOWN_NAMES
    shown = ", ".join(names) + (f" +{rest} more" if rest > 0 else "")
    count = f"{len(targets)} target{'' if len(targets) == 1 else 's'}"
    answered = record.resolution or (record.events[-1] if record.events else None)
    via = ""
    if answered is not None and answered.channel is not None:
        via = f"  via {answered.channel.value} ({answered.client.label})"
    line = (
        f"{stamp(record.recorded_at)}  {record.requester.label}  {_what(record)}  "
        f"{count}: {shown}  {record.state}{via}  [{record.record_id}]"
    )
    return " ".join(line.splitlines())
