"""The SQLite audit trail's schema, versioned by `PRAGMA user_version`, and its migrations.

Version 2 keeps records, their targets and their events (see `adapters/sql`). A file written by
an earlier release (version 0 with `audit_intents` and `audit_outcomes`) is carried over: every
intent becomes a record with an `approved` event and every outcome an `outcome` event; the old
tables stay as they were (append-only, unread). Migrations run inside `BEGIN IMMEDIATE`, so of
several processes opening one file at once, one migrates and the others then find it done.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

SCHEMA_VERSION = 2
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
"""UTC, fixed width: text order is time order."""

_TABLES = ("audit_records", "audit_targets", "audit_events")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_records (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    action_kind TEXT NOT NULL,
    command TEXT,
    policy_id INTEGER,
    policy_name TEXT,
    digest TEXT NOT NULL,
    summary TEXT NOT NULL,
    target_count INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_records_by_action ON audit_records (action_kind, command);
CREATE TABLE IF NOT EXISTS audit_targets (
    record_id TEXT NOT NULL REFERENCES audit_records (record_id),
    position INTEGER NOT NULL,
    device_kind TEXT NOT NULL,
    jamf_id TEXT NOT NULL,
    name TEXT NOT NULL,
    serial_number TEXT,
    management_id TEXT,
    user_name TEXT,
    PRIMARY KEY (record_id, position)
);
CREATE INDEX IF NOT EXISTS audit_targets_by_jamf_id ON audit_targets (jamf_id);
CREATE INDEX IF NOT EXISTS audit_targets_by_name ON audit_targets (name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS audit_targets_by_serial
    ON audit_targets (serial_number COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    record_id TEXT NOT NULL REFERENCES audit_records (record_id),
    kind TEXT NOT NULL CHECK (kind IN ('requested', 'approved', 'declined', 'cancelled',
        'expired', 'refused', 'outcome')),
    at TEXT NOT NULL,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    oauth_client_id TEXT,
    display_name TEXT,
    channel TEXT,
    client_name TEXT,
    client_version TEXT,
    expires_at TEXT,
    reason TEXT,
    detail TEXT NOT NULL DEFAULT '',
    status TEXT,
    results TEXT CHECK (results IS NULL OR json_valid(results))
);
CREATE INDEX IF NOT EXISTS audit_events_by_record ON audit_events (record_id, seq);
CREATE INDEX IF NOT EXISTS audit_events_by_time ON audit_events (at);
CREATE INDEX IF NOT EXISTS audit_events_by_subject ON audit_events (subject COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS audit_events_by_name ON audit_events (display_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS audit_events_open_requests
    ON audit_events (expires_at) WHERE kind = 'requested';
"""


def _append_only(table: str) -> str:
    return "".join(
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;\n"
        for verb in ("update", "delete")
    )


def sqlite_time(value: datetime) -> str:
    """How a time is stored: UTC, fixed width."""
    return value.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(value: str) -> datetime:
    """A stored time back as an aware UTC datetime (earlier releases' ISO text too)."""
    if value.endswith("Z"):
        return datetime.strptime(value, TIME_FORMAT).replace(tzinfo=UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def migrate(connection: sqlite3.Connection) -> None:
    """Bring the file to `SCHEMA_VERSION` (in one immediate transaction; a no-op when current)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"the audit trail file is at schema version {version}, newer than this "
                f"release knows ({SCHEMA_VERSION}); upgrade jamf-mcp"
            )
        if version < SCHEMA_VERSION:
            for statement in _statements(_SCHEMA + "".join(_append_only(t) for t in _TABLES)):
                connection.execute(statement)
            _carry_over_version_0(connection)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _statements(script: str) -> list[str]:
    """Split a script of CREATE statements (triggers end with `END;`)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return [statement for statement in out if statement]


def _carry_over_version_0(connection: sqlite3.Connection) -> None:
    legacy = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_intents'"
    ).fetchone()
    if not legacy:
        return
    intents = connection.execute(
        "SELECT record_id, recorded_at, issuer, subject, client_id, display_name, action_kind, "
        "targets, digest, summary, channel, confirmed_at FROM audit_intents ORDER BY seq"
    ).fetchall()
    for (
        record_id,
        recorded_at,
        issuer,
        subject,
        client_id,
        display_name,
        kind,
        targets,
        digest,
        summary,
        channel,
        confirmed_at,
    ) in intents:
        devices = json.loads(targets)
        connection.execute(
            "INSERT OR IGNORE INTO audit_records (record_id, recorded_at, action_kind, digest, "
            "summary, target_count) VALUES (?, ?, ?, ?, ?, ?)",
            (record_id, sqlite_time(parse_time(recorded_at)), kind, digest, summary, len(devices)),
        )
        connection.executemany(
            "INSERT OR IGNORE INTO audit_targets VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    record_id,
                    n,
                    d["kind"],
                    d["jamf_id"],
                    d["name"],
                    d.get("serial_number"),
                    d.get("management_id"),
                    d.get("user_name"),
                )
                for n, d in enumerate(devices)
            ],
        )
        connection.execute(
            "INSERT OR IGNORE INTO audit_events (event_id, record_id, kind, at, issuer, subject, "
            "oauth_client_id, display_name, channel) VALUES (?, ?, 'approved', ?, ?, ?, ?, ?, ?)",
            (
                f"v0-approved:{record_id}",
                record_id,
                sqlite_time(parse_time(confirmed_at)),
                issuer,
                subject,
                client_id,
                display_name,
                channel,
            ),
        )
    outcomes = connection.execute(
        "SELECT o.seq, o.record_id, o.recorded_at, i.issuer, i.subject, i.client_id, "
        "i.display_name, o.status, o.results FROM audit_outcomes o "
        "JOIN audit_intents i ON i.record_id = o.record_id ORDER BY o.seq"
    ).fetchall()
    connection.executemany(
        "INSERT OR IGNORE INTO audit_events (event_id, record_id, kind, at, issuer, subject, "
        "oauth_client_id, display_name, status, results) "
        "VALUES (?, ?, 'outcome', ?, ?, ?, ?, ?, ?, ?)",
        [
            (f"v0-outcome:{seq}", record_id, sqlite_time(parse_time(at)), *rest)
            for seq, record_id, at, *rest in outcomes
        ],
    )
