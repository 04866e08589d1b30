"""The PostgreSQL connection pool of the audit store, and what its failures mean to us.

`JAMF_MCP_AUDIT_URL` is a libpq URL, so everything libpq reads applies: `sslmode=verify-full`
with `sslrootcert`, `PGPASSWORD`/`PGPASSFILE` for the password, `connect_timeout`. The password
never appears in a log line or an error message.
"""

from __future__ import annotations

import logging
from typing import Any

import attrs
import psycopg
from psycopg import AsyncConnection
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import AsyncConnectionPool, PoolClosed, PoolTimeout

from jamf_mcp.domain.errors import AuditUnavailable

_log = logging.getLogger(__name__)

FAILURES = (psycopg.OperationalError, psycopg.InterfaceError, PoolTimeout, PoolClosed)
"""What an unreachable or restarting database raises."""


@attrs.frozen
class PoolSettings:
    """How the audit store connects.

    Attributes:
        url: a `postgresql://` URL (libpq syntax; keep the password out of it in production).
        min_size, max_size: connections kept open / at most.
        timeout_seconds: how long a write or read waits for a connection (and to connect).
        statement_timeout_seconds: the longest one statement may run.
    """

    url: str = attrs.field(repr=False)
    min_size: int = 1
    max_size: int = 5
    timeout_seconds: float = 5.0
    statement_timeout_seconds: float = 15.0


def safe_target(url: str) -> str:
    """`host:port/dbname` of a URL, for logs (never the user's password)."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "an unparsable PostgreSQL URL"
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


def unavailable(error: BaseException) -> AuditUnavailable:
    """The domain error for a database failure. Users see only that the trail is unavailable;
    the database's own message (which names hosts and ports) goes to the server log."""
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    _log.warning("Audit store unavailable: %s: %s", type(error).__name__, reason[:300])
    return AuditUnavailable("the audit database cannot be reached or refused the write")


async def _configure(connection: AsyncConnection[Any]) -> None:
    """Commits are durable: synchronous_commit is raised to `on` if the server lowered it."""
    cursor = await connection.execute("SHOW synchronous_commit")
    row = await cursor.fetchone()
    if row and row[0] in ("off", "local"):
        await connection.execute("SET synchronous_commit = on")
    await connection.commit()


def open_pool(settings: PoolSettings) -> AsyncConnectionPool[AsyncConnection[Any]]:
    """A pool that is not opened yet (`await pool.open(wait=False)`: the server starts even when
    the database is down; calls fail with `AuditUnavailable` until it is back)."""
    timeout_ms = int(settings.statement_timeout_seconds * 1000)
    return AsyncConnectionPool(
        settings.url,
        kwargs={
            "connect_timeout": max(1, int(settings.timeout_seconds)),
            "application_name": "jamf-mcp",
            "options": f"-c statement_timeout={timeout_ms}",
        },
        min_size=settings.min_size,
        max_size=settings.max_size,
        open=False,
        timeout=settings.timeout_seconds,
        configure=_configure,
        check=AsyncConnectionPool.check_connection,
        name="jamf-mcp-audit",
    )
