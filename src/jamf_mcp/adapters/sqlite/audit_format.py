"""One line of text per audit record, for `jamf-mcp audit tail`."""

from __future__ import annotations

from datetime import UTC

from jamf_mcp.domain.audit import AuditRecord

SHOWN_NAMES = 3


def format_record(record: AuditRecord) -> str:
    """`TIMESTAMP  USER  ACTION  N target(s): NAMES  STATUS`, tab-free and on one line."""
    entry = record.entry
    at = record.recorded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    names = [target.name for target in entry.targets[:SHOWN_NAMES]]
    rest = len(entry.targets) - SHOWN_NAMES
    shown = ", ".join(names) + (f" +{rest} more" if rest > 0 else "")
    count = f"{len(entry.targets)} target{'' if len(entry.targets) == 1 else 's'}"
    status = record.status.value if record.status else "no outcome yet"
    line = f"{at}  {entry.actor.label}  {entry.action_kind.value}  {count}: {shown}  {status}"
    return " ".join(line.splitlines())
