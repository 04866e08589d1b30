"""The doctor's audit-store check on PostgreSQL: counts what is recorded, says when the schema
is missing or behind, and names an unreachable database without its password."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from jamf_mcp.adapters.postgres import PoolSettings, PostgresAuditLog, audit_check, open_pool
from jamf_mcp.adapters.postgres.audit_check import PostgresAuditStoreCheck
from jamf_mcp.domain.audit_records import AuditQuery
from jamf_mcp.domain.diagnostics import StoreProblem
from tests.support.postgres import fresh_database


@pytest.fixture
def database() -> Iterator[str]:
    with fresh_database() as url:
        yield url


async def test_a_database_without_the_schema_is_told_it_will_be_created(database: str) -> None:
    answer = await PostgresAuditStoreCheck(database, "jamf_mcp_audit").check()
    assert answer.endswith("schema jamf_mcp_audit will be created at first start")


async def test_a_migrated_trail_is_counted(database: str) -> None:
    pool = open_pool(PoolSettings(database))
    await pool.open()
    try:
        await PostgresAuditLog(pool, "jamf_mcp_audit").search(AuditQuery(limit=1))
    finally:
        await pool.close()
    answer = await PostgresAuditStoreCheck(database, "jamf_mcp_audit").check()
    assert answer.endswith("schema jamf_mcp_audit v1, 0 recorded action(s)")


async def test_a_schema_behind_this_release_asks_for_the_migration(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = open_pool(PoolSettings(database))
    await pool.open()
    try:
        await PostgresAuditLog(pool, "jamf_mcp_audit").search(AuditQuery(limit=1))
    finally:
        await pool.close()
    # A later release whose schema has one more migration than this database holds.
    monkeypatch.setattr(audit_check, "LATEST", audit_check.LATEST + 1)
    with pytest.raises(StoreProblem, match="run `jamf-mcp audit migrate`"):
        await PostgresAuditStoreCheck(database, "jamf_mcp_audit").check()


async def test_an_unreachable_database_is_a_problem_that_names_no_password() -> None:
    secret = uuid.uuid4().hex
    url = f"postgresql://someone:{secret}@127.0.0.1:1/nowhere"
    with pytest.raises(StoreProblem) as problem:
        await PostgresAuditStoreCheck(url, "jamf_mcp_audit", timeout_seconds=1).check()
    assert "127.0.0.1:1/nowhere" in str(problem.value)
    assert secret not in str(problem.value)
