"""The audit stores' searches and expiry sweep as SQL text, for either dialect.

Every value is a bound parameter; table names carry only the dialect's fixed, validated prefix.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import attrs

from jamf_mcp.adapters.sql.audit_columns import EVENT_COLUMNS, RECORD_COLUMNS, columns
from jamf_mcp.domain.audit_records import AuditQuery

Statement = tuple[str, list[Any]]

_RESOLUTIONS = "('approved', 'declined', 'cancelled', 'expired')"
EXPIRED_DETAIL = "no answer before the deadline"


@attrs.frozen
class Dialect:
    """What differs between the stores' SQL.

    Attributes:
        param: the placeholder (`?` or `%s`).
        prefix: put before every table name (`"schema".` for PostgreSQL, empty for SQLite).
        time: converts a `datetime` parameter to what the store compares.
        folded: a column compared without regard to case (`lower(c)`, `c COLLATE NOCASE`).
        fold_value: the matching form of a parameter.
        many: `column IN (…)` for a list of values, as SQL and its parameters.
    """

    param: str
    prefix: str
    time: Callable[[datetime], Any]
    folded: Callable[[str], str]
    fold_value: Callable[[str], str]
    many: Callable[[str, Sequence[str]], Statement]

    def table(self, name: str) -> str:
        """A table's qualified name."""
        return f"{self.prefix}{name}"


def search_sql(query: AuditQuery, d: Dialect) -> Statement:
    """The records (`seq, recorded_at, *RECORD_COLUMNS`) that answer `query`, in its order."""
    p = d.param
    where: list[str] = []
    params: list[Any] = []
    if query.cursor is not None:
        where.append(f"r.seq {'<' if query.newest_first else '>'} {p}")
        params.append(query.cursor)
    if query.action_kind is not None:
        where.append(f"r.action_kind = {p}")
        params.append(query.action_kind.value)
    if query.command is not None:
        where.append(f"upper(r.command) = {p}")
        params.append(query.command)
    if query.device:
        where.append(
            f"r.record_id IN (SELECT t.record_id FROM {d.table('audit_targets')} t "  # noqa: S608 - fixed table names
            f"WHERE t.jamf_id = {p} OR {d.folded('t.name')} = {d.fold_value(p)} "
            f"OR {d.folded('t.serial_number')} = {d.fold_value(p)})"
        )
        params += [query.device] * 3
    if query.user:
        where.append(
            f"r.record_id IN (SELECT e.record_id FROM {d.table('audit_events')} e "  # noqa: S608 - fixed table names
            f"WHERE (e.issuer || '#' || e.subject) = {p} "
            f"OR {d.folded('e.subject')} = {d.fold_value(p)} "
            f"OR {d.folded('e.display_name')} = {d.fold_value(p)})"
        )
        params += [query.user] * 3
    if query.since is not None or query.until is not None:
        window = []
        if query.since is not None:
            window.append(f"w.at >= {p}")
            params.append(d.time(query.since))
        if query.until is not None:
            window.append(f"w.at < {p}")
            params.append(d.time(query.until))
        where.append(
            f"r.record_id IN (SELECT w.record_id FROM {d.table('audit_events')} w "  # noqa: S608 - fixed table names
            f"WHERE {' AND '.join(window)})"
        )
    sql = (
        f"SELECT r.seq, r.recorded_at, {columns(RECORD_COLUMNS, 'r.')} "  # noqa: S608
        f"FROM {d.table('audit_records')} r"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" ORDER BY r.seq {'DESC' if query.newest_first else 'ASC'} LIMIT {p}"
    )
    params.append(query.limit)
    return sql, params


def details_sql(record_ids: Sequence[str], d: Dialect) -> tuple[Statement, Statement]:
    """The targets (in position order) and the events (in order) of these records."""
    t_in, t_params = d.many("record_id", record_ids)
    e_in, e_params = d.many("record_id", record_ids)
    targets = (
        f"SELECT record_id, position, device_kind, jamf_id, name, serial_number, "  # noqa: S608
        f"management_id, user_name FROM {d.table('audit_targets')} WHERE {t_in} "
        "ORDER BY record_id, position"
    )
    events = (
        f"SELECT {columns(EVENT_COLUMNS)} FROM {d.table('audit_events')} "  # noqa: S608
        f"WHERE {e_in} ORDER BY seq"
    )
    return (targets, t_params), (events, e_params)


def expiry_sql(cutoff: datetime, oldest: datetime, d: Dialect) -> Statement:
    """Append `expired` to every open record whose last request's deadline is in
    [`oldest`, `cutoff`); the event id is fixed per record, so a record expires once."""
    p, events = d.param, d.table("audit_events")
    sql = (
        f"INSERT INTO {events} ({columns(EVENT_COLUMNS)}) "  # noqa: S608
        "SELECT 'expired:' || q.record_id, q.record_id, 'expired', q.expires_at, q.issuer, "
        "q.subject, q.oauth_client_id, q.display_name, q.channel, q.client_name, "
        f"q.client_version, NULL, NULL, {p}, NULL, NULL FROM {events} q "
        f"WHERE q.kind = 'requested' AND q.expires_at < {p} AND q.expires_at >= {p} "
        f"AND NOT EXISTS (SELECT 1 FROM {events} later WHERE later.record_id = q.record_id "
        f"AND (later.kind IN {_RESOLUTIONS} OR (later.kind = 'requested' AND later.seq > q.seq))) "
        "ON CONFLICT (event_id) DO NOTHING"
    )
    return sql, [EXPIRED_DETAIL, d.time(cutoff), d.time(oldest)]
