"""The audit trail in a SQLite file (implements `AuditLog` and `AuditTrail`): WAL, synchronous
commits, append-only. The embedded default for a single process."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jamf_mcp.adapters.local_files import private_file
from jamf_mcp.adapters.sql import (
    EVENT_COLUMNS,
    RECORD_COLUMNS,
    TARGET_COLUMNS,
    Dialect,
    assemble_records,
    details_sql,
    event_values,
    expiry_sql,
    record_values,
    search_sql,
    target_rows,
)
from jamf_mcp.adapters.sql.audit_columns import columns
from jamf_mcp.adapters.sqlite.audit_schema import migrate, parse_time, sqlite_time
from jamf_mcp.domain.audit import AuditAction
from jamf_mcp.domain.audit_records import AuditEvent, AuditQuery, AuditRecord
from jamf_mcp.domain.errors import AuditUnavailable

if TYPE_CHECKING:
    from jamf_mcp.application.ports.audit import AuditLog, AuditTrail

EXPIRY_LOOKBACK = timedelta(days=7)
_WAL_ATTEMPTS = 50
_log = logging.getLogger(__name__)


def _many(column: str, values: Sequence[str]) -> tuple[str, list[Any]]:
    return f"{column} IN ({', '.join('?' for _ in values)})", list(values)


SQLITE = Dialect(
    param="?",
    prefix="",
    time=sqlite_time,
    folded=lambda column: f"{column} COLLATE NOCASE",
    fold_value=lambda value: value,
    many=_many,
)


def _use_wal(connection: sqlite3.Connection) -> None:
    """Switch the file to WAL mode, waiting out other processes doing the same.

    Changing the journal mode needs the file to itself, and SQLite answers "database is locked"
    at once (its busy handler is not used for this) while another connection opens or migrates
    it, so processes starting together retry briefly.
    """
    for attempt in range(_WAL_ATTEMPTS):
        try:
            if connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == _WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.01 * (attempt + 1))


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stored(value: object) -> object:
    return sqlite_time(value) if isinstance(value, datetime) else value


def _insert(table: str, names: Sequence[str], conflict: str = "") -> str:
    return (
        f"INSERT INTO {table} ({columns(names)}) "  # noqa: S608 - fixed names
        f"VALUES ({', '.join('?' for _ in names)}) {conflict}"
    )


_RECORD_INSERT = _insert(
    "audit_records", ("recorded_at", *RECORD_COLUMNS), "ON CONFLICT (record_id) DO NOTHING"
)
_TARGET_INSERT = _insert("audit_targets", TARGET_COLUMNS)
_EVENT_INSERT = _insert("audit_events", EVENT_COLUMNS, "ON CONFLICT (event_id) DO NOTHING")


class SqliteAuditLog:
    """The audit trail in one SQLite file.

    The database runs in WAL mode with `synchronous=FULL`, so a committed event survives a crash
    of the process (and of the machine). Every call opens its own connection in a worker thread
    (`asyncio.to_thread`), so the event loop never waits on the disk. The schema is created (or
    carried over from an earlier release) on first use; triggers refuse any UPDATE or DELETE.
    A file the process cannot write (full disk, lost volume) raises `AuditUnavailable`.
    The file is created with mode 0600 in a 0700 directory (SQLite gives its WAL files the same
    mode).

    Args:
        path: the database file; its directory is created if missing.
        now: the clock stamping new records (UTC).
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
                    connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
                    try:
                        _use_wal(connection)
                        migrate(connection)
                    finally:
                        connection.close()
                    self._ready = True
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        connection.execute("PRAGMA synchronous=FULL")
        connection.execute("PRAGMA foreign_keys=ON")
        return connection

    async def _run(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        def in_thread() -> Any:
            try:
                connection = self._connect()
            except (sqlite3.Error, OSError) as error:
                _log.warning("Audit file %s cannot be opened: %s", self.path, error)
                raise AuditUnavailable("the SQLite audit file cannot be opened") from error
            try:
                return work(connection)
            except sqlite3.OperationalError as error:
                _log.warning("Audit file %s cannot be written: %s", self.path, error)
                raise AuditUnavailable("the SQLite audit file cannot be written") from error
            finally:
                connection.close()

        return await asyncio.to_thread(in_thread)

    @staticmethod
    def _transaction(connection: sqlite3.Connection, work: Callable[[], Any]) -> Any:
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = work()
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return result

    async def ping(self) -> bool:
        """True when the file opens with a current schema (for readiness)."""

        def select_one(connection: sqlite3.Connection) -> bool:
            connection.execute("SELECT 1").fetchone()
            return True

        return bool(await self._run(select_one))

    async def record(self, action: AuditAction, event: AuditEvent) -> None:
        """Commit `event` (and its record on first sight) durably; a repeated event is a no-op."""
        record = (sqlite_time(self._now()), *record_values(event.record_id, action))
        targets = target_rows(event.record_id, action)
        values = tuple(_stored(value) for value in event_values(event))

        def write(connection: sqlite3.Connection) -> None:
            def steps() -> None:
                if connection.execute(_RECORD_INSERT, record).rowcount:
                    connection.executemany(_TARGET_INSERT, targets)
                connection.execute(_EVENT_INSERT, values)

            self._transaction(connection, steps)

        await self._run(write)

    async def expire_overdue(self, now: datetime, grace: timedelta) -> int:
        """Append `expired` to open records past their deadline (see `AuditLog`)."""
        sql, params = expiry_sql(now - grace, now - EXPIRY_LOOKBACK, SQLITE)

        def sweep(connection: sqlite3.Connection) -> int:
            return int(
                self._transaction(connection, lambda: connection.execute(sql, params).rowcount)
            )

        return int(await self._run(sweep))

    async def get(self, record_id: str) -> AuditRecord | None:
        """The record with this id and all its events, or None."""
        found = await self._read(
            f"SELECT seq, recorded_at, {columns(RECORD_COLUMNS)} "  # noqa: S608
            "FROM audit_records WHERE record_id = ?",
            [record_id],
        )
        return found[0] if found else None

    async def search(self, query: AuditQuery) -> Sequence[AuditRecord]:
        """Matching records with their events, in the query's order (see `AuditTrail`)."""
        sql, params = search_sql(query, SQLITE)
        return await self._read(sql, params)

    async def _read(self, sql: str, params: list[Any]) -> list[AuditRecord]:
        def read(connection: sqlite3.Connection) -> list[AuditRecord]:
            connection.execute("BEGIN")
            try:
                records = connection.execute(sql, params).fetchall()
                ids = [row[2] for row in records]
                if not ids:
                    return []
                (targets_sql, t_params), (events_sql, e_params) = details_sql(ids, SQLITE)
                targets = connection.execute(targets_sql, t_params).fetchall()
                events = connection.execute(events_sql, e_params).fetchall()
            finally:
                connection.execute("COMMIT")
            return assemble_records(records, targets, events, parse_time)

        result: list[AuditRecord] = await self._run(read)
        return result


if TYPE_CHECKING:  # mypy proves the ports are implemented; nothing happens at runtime
    _implements_audit_log: type[AuditLog] = SqliteAuditLog
    _implements_audit_trail: type[AuditTrail] = SqliteAuditLog
