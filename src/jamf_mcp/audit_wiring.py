"""Composition of the audit trail: the configured store, opened and closed with the server,
and the sweep that records unanswered confirmations as expired.

`JAMF_MCP_AUDIT_URL` set: PostgreSQL (one trail for every replica); unset: `audit.sqlite3` in the
data directory (one process). Nothing falls back from one to the other.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from jamf_mcp.adapters.postgres import PoolSettings, PostgresAuditLog, open_pool, safe_target
from jamf_mcp.adapters.sqlite import SqliteAuditLog
from jamf_mcp.application.confirmation_expiry import ExpireConfirmations
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.settings import Settings

_log = logging.getLogger(__name__)

AuditStore = SqliteAuditLog | PostgresAuditLog


@contextlib.asynccontextmanager
async def open_audit_store(settings: Settings) -> AsyncIterator[AuditStore]:
    """The configured store; a PostgreSQL pool is opened without waiting for the database (the
    server starts and serves reads while it is down) and closed on exit."""
    audit = settings.audit
    if audit.url is None:
        yield SqliteAuditLog(settings.audit_path)
        return
    pool = open_pool(
        PoolSettings(
            url=audit.url,
            max_size=audit.pool_size,
            timeout_seconds=audit.timeout_seconds,
        )
    )
    await pool.open(wait=False)
    _log.info("Audit trail in PostgreSQL at %s (schema %s)", safe_target(audit.url), audit.schema)
    try:
        yield PostgresAuditLog(pool, audit.schema, auto_migrate=audit.migrate == "auto")
    finally:
        await pool.close()


async def audit_store_resource(settings: Settings) -> AsyncIterator[AuditStore]:
    """`open_audit_store` as a container Resource."""
    async with open_audit_store(settings) as store:
        yield store


async def expiry_sweeper(
    store: AuditStore, clock: Clock, settings: Settings
) -> AsyncIterator[ExpireConfirmations]:
    """Sweeps every `expiry_sweep_seconds` while the server runs (a failed sweep is retried at
    the next interval; every replica sweeps, and each question expires once)."""
    grace = timedelta(seconds=settings.audit.expiry_grace_seconds)
    sweep = ExpireConfirmations(store, clock, grace)
    interval = settings.audit.expiry_sweep_seconds
    if interval <= 0:
        yield sweep
        return

    async def sweep_forever() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                expired = await sweep.execute()
            except Exception as error:  # the store is down: try again next time
                _log.warning("Audit expiry sweep failed: %s", error)
                continue
            if expired:
                _log.info("Recorded %d unanswered confirmation(s) as expired", expired)

    task = asyncio.create_task(sweep_forever())
    try:
        yield sweep
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
