"""The audit trail in a SQLite file (implements `AuditLog`): WAL, synchronous commits, append-only."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from jamf_mcp.adapters.local_files import private_file
from jamf_mcp.adapters.sqlite.audit_rows import (
    INTENT_COLUMNS,
    OUTCOME_COLUMNS,
    entry_from_row,
    intent_row,
    outcome_from_row,
    outcome_row,
)
from jamf_mcp.domain.audit import AuditEntry, AuditOutcome, AuditRecord
from jamf_mcp.domain.errors import AuditRecordUnknown

_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_intents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    client_id TEXT,
    display_name TEXT,
    action_kind TEXT NOT NULL,
    targets TEXT NOT NULL CHECK (json_valid(targets)),
    digest TEXT NOT NULL,
    summary TEXT NOT NULL,
    channel TEXT NOT NULL,
    confirmed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_outcomes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    record_id TEXT NOT NULL REFERENCES audit_intents (record_id),
    recorded_at TEXT NOT NULL,
    status TEXT NOT NULL,
    results TEXT NOT NULL CHECK (json_valid(results))
);
CREATE INDEX IF NOT EXISTS audit_outcomes_by_record ON audit_outcomes (record_id, seq);
CREATE TRIGGER IF NOT EXISTS audit_intents_no_update BEFORE UPDATE ON audit_intents
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_intents_no_delete BEFORE DELETE ON audit_intents
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_outcomes_no_update BEFORE UPDATE ON audit_outcomes
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_outcomes_no_delete BEFORE DELETE ON audit_outcomes
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SqliteAuditLog:
    """An `AuditLog` in one SQLite file.

    The database runs in WAL mode with `synchronous=FULL`, so a committed intent survives a crash of
    the process (and of the machine). Every call opens its own connection in a worker thread
    (`asyncio.to_thread`), so the event loop never waits on the disk. The schema is created on first
    use; triggers refuse any UPDATE or DELETE, and outcomes are separate rows. The file is created
    with mode 0600 in a 0700 directory (SQLite gives its WAL files the same mode).

    Args:
        path: the database file; its directory is created if missing.
        now: the clock stamping intent rows (UTC).
    """

    def __init__(self, path: Path | str, now: Callable[[], datetime] = _utc_now) -> None:
        self.path = Path(path)
        self._now = now
        self._ready = False
        self._ready_lock = threading.Lock()

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            with self._ready_lock:
                if not self._ready:
                    private_file(self.path)  # 0600 in a 0700 directory, before SQLite opens it
                    connection = sqlite3.connect(self.path, isolation_level=None)
                    try:
                        connection.execute("PRAGMA journal_mode=WAL")
                        connection.executescript(_SCHEMA)
                    finally:
                        connection.close()
                    self._ready = True
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        return connection

    def _write(self, sql: str, row: Sequence[str | None], check_id: str | None = None) -> None:
        connection = self._connect()
        try:
            connection.execute("BEGIN IMMEDIATE")
            try:
                if (
                    check_id is not None
                    and not connection.execute(
                        "SELECT 1 FROM audit_intents WHERE record_id = ?", (check_id,)
                    ).fetchone()
                ):
                    raise AuditRecordUnknown(check_id)
                connection.execute(sql, row)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        finally:
            connection.close()

    async def record_intent(self, entry: AuditEntry) -> str:
        """Commit the intent durably and return its new record id."""
        record_id = uuid.uuid4().hex
        row = intent_row(record_id, self._now(), entry)
        sql = (
            f"INSERT INTO audit_intents ({', '.join(INTENT_COLUMNS)}) "  # noqa: S608 - fixed names
            f"VALUES ({', '.join('?' for _ in INTENT_COLUMNS)})"
        )
        await asyncio.to_thread(self._write, sql, row)
        return record_id

    async def record_outcome(self, record_id: str, outcome: AuditOutcome) -> None:
        """Append an outcome row; raise `AuditRecordUnknown` if the intent does not exist."""
        sql = (
            f"INSERT INTO audit_outcomes ({', '.join(OUTCOME_COLUMNS)}) "  # noqa: S608 - fixed names
            f"VALUES ({', '.join('?' for _ in OUTCOME_COLUMNS)})"
        )
        await asyncio.to_thread(self._write, sql, outcome_row(record_id, outcome), record_id)

    async def tail(self, limit: int) -> Sequence[AuditRecord]:
        """The `limit` most recent records, oldest first, each with its outcomes in order."""
        return await asyncio.to_thread(self._tail, limit)

    def _tail(self, limit: int) -> list[AuditRecord]:
        if limit <= 0:
            return []
        connection = self._connect()
        try:
            connection.execute("BEGIN")
            intents = connection.execute(
                f"SELECT {', '.join(INTENT_COLUMNS)} FROM audit_intents "  # noqa: S608
                "ORDER BY seq DESC LIMIT ?",
                (limit,),
            ).fetchall()
            intents.reverse()
            ids = [row[0] for row in intents]
            outcomes: dict[str, list[AuditOutcome]] = {record_id: [] for record_id in ids}
            if ids:
                placeholders = ", ".join("?" for _ in ids)
                for row in connection.execute(
                    f"SELECT {', '.join(OUTCOME_COLUMNS)} FROM audit_outcomes "  # noqa: S608
                    f"WHERE record_id IN ({placeholders}) ORDER BY seq",
                    ids,
                ):
                    outcomes[row[0]].append(outcome_from_row(row))
            connection.execute("COMMIT")
        finally:
            connection.close()
        return [
            AuditRecord(
                record_id=row[0],
                recorded_at=datetime.fromisoformat(row[1]),
                entry=entry_from_row(row),
                outcomes=tuple(outcomes[row[0]]),
            )
            for row in intents
        ]
