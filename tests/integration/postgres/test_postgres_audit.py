"""The PostgreSQL audit store: migrations under concurrent start-up, append-only for everyone,
the runtime role's GRANTs, durable commits, and a clear refusal when the database is away.
(What every store does is in tests/contract/test_audit_contract.py.)"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import psycopg
import pytest

from jamf_mcp.adapters.postgres import LATEST, PoolSettings, PostgresAuditLog, open_pool
from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.audit import AuditAction, AuditActor
from jamf_mcp.domain.audit_records import AuditEvent, AuditEventKind
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import AuditUnavailable
from tests.builders import NOW
from tests.support.postgres import fresh_database

ACTION = AuditAction(
    ActionKind.MDM_COMMAND, (ActionTarget(DeviceKind.COMPUTER, "45", "MAC-045"),), "e" * 64,
    "Erase", command="ERASE_DEVICE",
)  # fmt: skip
ALICE = AuditActor("https://idp.example", "alice")


def approved() -> AuditEvent:
    return AuditEvent(uuid.uuid4().hex, uuid.uuid4().hex, AuditEventKind.APPROVED, NOW, ALICE)


@pytest.fixture
def database() -> Iterator[str]:
    with fresh_database() as url:
        yield url


async def _store(url: str, schema: str = "jamf_mcp_audit", **kwargs: object) -> PostgresAuditLog:
    pool = open_pool(PoolSettings(url, max_size=2, timeout_seconds=3))
    await pool.open(wait=False)
    return PostgresAuditLog(pool, schema, **kwargs)  # type: ignore[arg-type]


async def test_replicas_starting_at_once_migrate_the_schema_exactly_once(database: str) -> None:
    stores = [await _store(database) for _ in range(6)]
    try:
        await asyncio.gather(*(store.record(ACTION, approved()) for store in stores))
    finally:
        for store in stores:
            await store._pool.close()
    with psycopg.connect(database) as connection:
        versions = connection.execute(
            "SELECT version, applied_by FROM jamf_mcp_audit.schema_migrations"
        ).fetchall()
        events = connection.execute("SELECT count(*) FROM jamf_mcp_audit.audit_events").fetchone()
    assert versions == [(LATEST, "postgres")]
    assert events == (6,)


async def test_no_one_can_change_or_remove_a_row_not_even_the_owner(database: str) -> None:
    store = await _store(database)
    await store.record(ACTION, approved())
    await store._pool.close()
    with psycopg.connect(database, autocommit=True) as owner:
        for table in ("audit_records", "audit_targets", "audit_events"):
            for statement in (
                f"UPDATE jamf_mcp_audit.{table} SET record_id = 'x'",
                f"DELETE FROM jamf_mcp_audit.{table}",
                f"TRUNCATE jamf_mcp_audit.{table} CASCADE",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
                    owner.execute(statement)  # type: ignore[arg-type]


async def test_the_runtime_role_with_the_documented_grants_can_write_but_not_alter(
    database: str,
) -> None:
    migration = await _store(database)
    await migration.ping()  # the migration role (here: postgres) creates the schema
    await migration._pool.close()
    role = f"jamf_mcp_app_{uuid.uuid4().hex[:8]}"
    grants = [  # as docs/deploy/aws.md tells an operator
        f"CREATE ROLE {role} LOGIN",
        f"GRANT CONNECT ON DATABASE {database.rsplit('/', 1)[1]} TO {role}",
        f"GRANT USAGE ON SCHEMA jamf_mcp_audit TO {role}",
        f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA jamf_mcp_audit TO {role}",
    ]
    with psycopg.connect(database, autocommit=True) as admin:
        for grant in grants:
            admin.execute(grant)  # type: ignore[arg-type]
    runtime_url = database.replace("postgres@", f"{role}@")
    try:
        runtime = await _store(runtime_url, auto_migrate=False)
        event = approved()
        await runtime.record(ACTION, event)
        assert (await runtime.get(event.record_id)) is not None
        await runtime._pool.close()
        with psycopg.connect(runtime_url, autocommit=True) as app:
            for statement in (
                "UPDATE jamf_mcp_audit.audit_events SET detail = 'x'",
                "DELETE FROM jamf_mcp_audit.audit_events",
                "DROP TABLE jamf_mcp_audit.audit_events",
                "ALTER TABLE jamf_mcp_audit.audit_events DISABLE TRIGGER ALL",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    app.execute(statement)  # type: ignore[arg-type]
        behind = await _store(runtime_url, "not_migrated_yet", auto_migrate=True)
        with pytest.raises(AuditUnavailable, match="jamf-mcp audit migrate"):
            await behind.record(ACTION, approved())
        await behind._pool.close()
    finally:
        with psycopg.connect(database, autocommit=True) as admin:
            admin.execute(f"DROP OWNED BY {role}")  # type: ignore[arg-type]
            admin.execute(f"DROP ROLE {role}")  # type: ignore[arg-type]


async def test_commits_are_synchronous_even_where_the_database_default_is_off(
    database: str,
) -> None:
    name = database.rsplit("/", 1)[1]
    with psycopg.connect(database, autocommit=True) as admin:
        admin.execute(f"ALTER DATABASE {name} SET synchronous_commit = off")  # type: ignore[arg-type]
    store = await _store(database)
    try:
        async with store._pool.connection() as connection:
            cursor = await connection.execute("SHOW synchronous_commit")
            assert await cursor.fetchone() == ("on",)
    finally:
        await store._pool.close()


async def test_an_unreachable_database_refuses_the_write_clearly_and_quickly() -> None:
    store = await _store("postgresql://postgres@127.0.0.1:9/nowhere")
    try:
        async with asyncio.timeout(15):
            with pytest.raises(AuditUnavailable, match="nothing was sent to Jamf Pro") as refused:
                await store.record(ACTION, approved())
            assert "127.0.0.1" not in refused.value.message  # no internal address for users
            with pytest.raises(AuditUnavailable):
                await store.get("any")
    finally:
        await store._pool.close()
