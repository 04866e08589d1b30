"""The audit trail in PostgreSQL (implements `AuditLog` and `AuditTrail`), shared by every
replica: a connection pool, versioned migrations and an append-only schema."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import psycopg
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from jamf_mcp.adapters.postgres.audit_migrations import (
    LATEST,
    SchemaOutOfDate,
    current_version,
    migrate,
    quoted,
)
from jamf_mcp.adapters.postgres.connection import FAILURES, unavailable
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
from jamf_mcp.domain.audit import AuditAction
from jamf_mcp.domain.audit_records import AuditEvent, AuditQuery, AuditRecord
from jamf_mcp.domain.errors import AuditUnavailable

if TYPE_CHECKING:
    from jamf_mcp.application.ports.audit import AuditLog, AuditTrail

T = TypeVar("T")
Pool = AsyncConnectionPool[AsyncConnection[Any]]
EXPIRY_LOOKBACK = timedelta(days=7)


def _same_time(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _dialect(schema: str) -> Dialect:
    return Dialect(
        param="%s",
        prefix=f"{quoted(schema)}.",
        time=_same_time,
        folded=lambda column: f"lower({column})",
        fold_value=lambda value: f"lower({value})",
        many=lambda column, values: (f"{column} = ANY(%s)", [list(values)]),
    )


class PostgresAuditLog:
    """The audit trail in one PostgreSQL schema.

    Each event is one transaction (record on first sight, its targets, the event), committed
    with `synchronous_commit = on` before the call returns. Writes are idempotent on the event
    id (`ON CONFLICT DO NOTHING`), so a write whose connection broke is retried once. The schema
    is migrated on first use when `auto_migrate` (under an advisory lock: safe with many replicas
    starting at once); otherwise a schema behind this release makes every call fail until an
    operator runs `jamf-mcp audit migrate`. Any database failure raises `AuditUnavailable`.

    Args:
        pool: the connection pool (opened by the caller).
        schema: the schema holding the tables.
        auto_migrate: bring the schema up to date on first use.
    """

    def __init__(self, pool: Pool, schema: str = "jamf_mcp_audit", *, auto_migrate: bool = True):
        self._pool = pool
        self._schema = schema
        self._dialect = _dialect(schema)
        self._auto_migrate = auto_migrate
        self._ready = False
        self._ready_lock = asyncio.Lock()
        table = self._dialect.table
        self._record_insert = (
            f"INSERT INTO {table('audit_records')} ({columns(RECORD_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join('%s' for _ in RECORD_COLUMNS)}) "
            "ON CONFLICT (record_id) DO NOTHING RETURNING seq"
        )
        self._target_insert = (
            f"INSERT INTO {table('audit_targets')} ({columns(TARGET_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join('%s' for _ in TARGET_COLUMNS)})"
        )
        self._event_insert = (
            f"INSERT INTO {table('audit_events')} ({columns(EVENT_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join('%s' for _ in EVENT_COLUMNS)}) "
            "ON CONFLICT (event_id) DO NOTHING"
        )

    async def _ensure_schema(self, connection: AsyncConnection[Any]) -> None:
        if self._ready:
            return
        async with self._ready_lock:
            version = await current_version(connection, self._schema)
            await connection.commit()
            if version < LATEST:
                if not self._auto_migrate:
                    raise SchemaOutOfDate(
                        f"the audit schema {self._schema} is at version {version}, this release "
                        f"needs {LATEST}: run `jamf-mcp audit migrate` with the migration role"
                    )
                try:
                    await migrate(connection, self._schema)
                except psycopg.errors.InsufficientPrivilege as error:
                    raise SchemaOutOfDate(
                        f"the audit schema {self._schema} is at version {version} and this "
                        f"role may not migrate it ({error}): run `jamf-mcp audit migrate` with "
                        "the migration role"
                    ) from error
            self._ready = True

    async def _with_connection(
        self, work: Callable[[AsyncConnection[Any]], Awaitable[T]], *, retry: bool
    ) -> T:
        attempts, attempt = (2 if retry else 1), 0
        while True:
            attempt += 1
            try:
                async with self._pool.connection() as connection:
                    await self._ensure_schema(connection)
                    return await work(connection)
            except SchemaOutOfDate as error:
                raise AuditUnavailable(str(error)) from error
            except FAILURES as error:
                if attempt < attempts and isinstance(error, psycopg.OperationalError):
                    continue  # the connection broke; the write is idempotent, try a fresh one
                raise unavailable(error) from error
            except psycopg.Error as error:
                raise unavailable(error) from error

    async def ping(self) -> bool:
        """True when the database answers and the schema is current (for readiness)."""

        async def select_one(connection: AsyncConnection[Any]) -> bool:
            await connection.execute("SELECT 1")
            return True

        return await self._with_connection(select_one, retry=False)

    async def record(self, action: AuditAction, event: AuditEvent) -> None:
        """Commit `event` (and its record on first sight) durably; a repeated event is a no-op."""
        record = record_values(event.record_id, action)
        targets = target_rows(event.record_id, action)
        values = event_values(event)

        async def write(connection: AsyncConnection[Any]) -> None:
            async with connection.transaction():
                cursor = await connection.execute(self._record_insert, record)
                if await cursor.fetchone() is not None:
                    async with connection.cursor() as copy:
                        await copy.executemany(self._target_insert, targets)
                await connection.execute(self._event_insert, values)

        await self._with_connection(write, retry=True)

    async def expire_overdue(self, now: datetime, grace: timedelta) -> int:
        """Append `expired` to open records past their deadline (see `AuditLog`)."""
        sql, params = expiry_sql(now - grace, now - EXPIRY_LOOKBACK, self._dialect)

        async def sweep(connection: AsyncConnection[Any]) -> int:
            async with connection.transaction():
                cursor = await connection.execute(sql, params)
                return max(cursor.rowcount, 0)

        return await self._with_connection(sweep, retry=True)

    async def get(self, record_id: str) -> AuditRecord | None:
        """The record with this id and all its events, or None."""
        found = await self._read(
            f"SELECT seq, recorded_at, {columns(RECORD_COLUMNS)} "  # noqa: S608
            f"FROM {self._dialect.table('audit_records')} WHERE record_id = %s",
            [record_id],
        )
        return found[0] if found else None

    async def search(self, query: AuditQuery) -> Sequence[AuditRecord]:
        """Matching records with their events, in the query's order (see `AuditTrail`)."""
        sql, params = search_sql(query, self._dialect)
        return await self._read(sql, params)

    async def _read(self, sql: str, params: list[Any]) -> list[AuditRecord]:
        async def read(connection: AsyncConnection[Any]) -> list[AuditRecord]:
            async with connection.transaction():
                await connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                records = await (await connection.execute(sql, params)).fetchall()
                ids = [row[2] for row in records]
                if not ids:
                    return []
                (t_sql, t_params), (e_sql, e_params) = details_sql(ids, self._dialect)
                targets = await (await connection.execute(t_sql, t_params)).fetchall()
                events = await (await connection.execute(e_sql, e_params)).fetchall()
            return assemble_records(records, targets, events, _same_time)

        return await self._with_connection(read, retry=True)


if TYPE_CHECKING:  # mypy proves the ports are implemented; nothing happens at runtime
    _implements_audit_log: type[AuditLog] = PostgresAuditLog
    _implements_audit_trail: type[AuditTrail] = PostgresAuditLog
