"""`PostgresAuditStoreCheck`: the PostgreSQL audit trail answers, for `jamf-mcp doctor`.

One short-lived connection (never the server's pool), read-only queries: the schema's version
against this release's, and how many records it holds. A doctor run changes nothing — it never
migrates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import psycopg

from jamf_mcp.adapters.postgres.audit_migrations import LATEST, current_version, quoted
from jamf_mcp.adapters.postgres.connection import safe_target
from jamf_mcp.domain.diagnostics import StoreProblem


class PostgresAuditStoreCheck:
    """Implements `StoreCheck` for the audit trail in PostgreSQL.

    Args:
        url: `JAMF_MCP_AUDIT_URL` (libpq; the password comes from `PGPASSWORD` or the URL).
        schema: the schema holding the tables.
        timeout_seconds: how long connecting may take.
    """

    name = "Audit store (PostgreSQL)"

    def __init__(self, url: str, schema: str, timeout_seconds: float = 5.0) -> None:
        self._url = url
        self._schema = schema
        self._timeout = max(1, int(timeout_seconds))

    async def check(self) -> str:
        """The database, its schema version and record count; a problem names what to do."""
        target = safe_target(self._url)
        try:
            async with await psycopg.AsyncConnection.connect(
                self._url, connect_timeout=self._timeout, autocommit=True
            ) as connection:
                version = await current_version(connection, self._schema)
                if version == 0:
                    return f"{target}: schema {self._schema} will be created at first start"
                cursor = await connection.execute(
                    f"SELECT count(*) FROM {quoted(self._schema)}.audit_records"  # noqa: S608
                )
                row = await cursor.fetchone()
        except psycopg.Error as error:
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise StoreProblem(f"{target} cannot be read: {first[:200]}") from None
        if version < LATEST:
            raise StoreProblem(
                f"{target}: schema {self._schema} is at version {version}, this release needs "
                f"{LATEST}: run `jamf-mcp audit migrate` with the migration role"
            )
        count = int(row[0]) if row else 0
        return f"{target}: schema {self._schema} v{version}, {count} recorded action(s)"


if TYPE_CHECKING:
    from jamf_mcp.application.ports.doctor import StoreCheck

    _implements: type[StoreCheck] = PostgresAuditStoreCheck
