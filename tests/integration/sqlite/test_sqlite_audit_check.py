"""The doctor's audit-store check on SQLite: never creates the file, counts what is recorded,
and names a file it cannot read."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamf_mcp.adapters.sqlite import SqliteAuditLog
from jamf_mcp.adapters.sqlite.audit_check import SqliteAuditStoreCheck
from jamf_mcp.domain.audit_records import AuditQuery
from jamf_mcp.domain.diagnostics import StoreProblem


async def test_a_missing_trail_is_reported_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    answer = await SqliteAuditStoreCheck(path).check()
    assert answer == f"{path} will be created at first start"
    assert not path.exists()


async def test_an_existing_trail_is_opened_read_only_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    await SqliteAuditLog(path).search(AuditQuery(limit=1))  # the real adapter creates its schema
    assert await SqliteAuditStoreCheck(path).check() == f"{path}: 0 recorded action(s)"


async def test_a_file_that_is_not_the_trail_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite3"
    path.write_text("not a database")
    with pytest.raises(StoreProblem) as problem:
        await SqliteAuditStoreCheck(path).check()
    assert str(path) in str(problem.value)
