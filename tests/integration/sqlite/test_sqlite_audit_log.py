"""The SQLite audit trail: durable, WAL, append-only, no secrets, and files of earlier releases
carried over. (What every store does is in tests/contract/test_audit_contract.py.)"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

from jamf_mcp.adapters.sqlite import SqliteAuditLog
from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.audit import AuditAction, AuditActor, ClientInfo, ConfirmationChannel
from jamf_mcp.domain.audit_records import AuditEvent, AuditEventKind, AuditQuery
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import AuditUnavailable
from jamf_mcp.domain.policies import PolicyRef
from jamf_mcp.domain.principal import Principal
from tests.builders import NOW

ALICE = Principal(
    "https://idp.example",
    "alice",
    scopes=frozenset({"write:jamf"}),
    display_name="Alice Example",
    email="alice@example.com",
    client_id="chatgpt",
)
KEY = DigestKey(b"k" * 32)
MAC_123 = ActionTarget(DeviceKind.COMPUTER, "123", "MAC-123", "C02XXXX", "mgmt-1", "John Smith")


def action(*targets: ActionTarget) -> AuditAction:
    gated = GatedAction(
        ActionKind.EXECUTE_POLICY, targets or (MAC_123,), policy=PolicyRef(45, "Software Update")
    )
    return AuditAction.of(gated, KEY)


def approved(record_id: str) -> AuditEvent:
    return AuditEvent(
        uuid.uuid4().hex, record_id, AuditEventKind.APPROVED, NOW,
        AuditActor.from_principal(ALICE), ConfirmationChannel.ELICITATION,
        ClientInfo("openai-mcp", "1.0"),
    )  # fmt: skip


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "audit.sqlite3"


@pytest.fixture
def log(path: Path) -> SqliteAuditLog:
    return SqliteAuditLog(path, now=lambda: NOW)


def test_an_approval_survives_the_process_dying_right_after_it_is_recorded(path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import asyncio, os
        from tests.integration.sqlite.test_sqlite_audit_log import action, approved
        from jamf_mcp.adapters.sqlite import SqliteAuditLog

        asyncio.run(SqliteAuditLog({str(path)!r}).record(action(), approved("r1")))
        os._exit(1)
        """
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    with sqlite3.connect(path) as reader:
        rows = reader.execute("SELECT record_id, kind FROM audit_events").fetchall()
    assert rows == [("r1", "approved")]


async def test_the_database_runs_in_wal_mode(log: SqliteAuditLog, path: Path) -> None:
    await log.record(action(), approved("r1"))
    with sqlite3.connect(path) as reader:
        assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_recorded_rows_cannot_be_updated_or_deleted(log: SqliteAuditLog, path: Path) -> None:
    await log.record(action(), approved("r1"))
    with sqlite3.connect(path) as writer:
        for table in ("audit_records", "audit_targets", "audit_events"):
            for statement in (f"UPDATE {table} SET record_id = 'x'", f"DELETE FROM {table}"):
                with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                    writer.execute(statement)


async def test_the_trail_holds_identifiers_but_no_email_or_scopes(
    log: SqliteAuditLog, path: Path
) -> None:
    await log.record(action(), approved("r1"))
    dumper = sqlite3.connect(path)
    try:
        dump = "\n".join(dumper.iterdump())
    finally:
        dumper.close()
    assert "alice@example.com" not in dump
    assert "write:jamf" not in dump
    assert "C02XXXX" in dump and "openai-mcp" in dump and "Alice Example" in dump


async def test_a_file_that_cannot_be_opened_makes_writes_unavailable(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    log = SqliteAuditLog(blocked / "audit.sqlite3")
    with pytest.raises(AuditUnavailable, match="SQLite audit file"):
        await log.record(action(), approved("r1"))


def _version_0_file(path: Path) -> None:
    """A trail written by the previous release (schema copied from it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as old:
        old.executescript(
            """
            CREATE TABLE audit_intents (seq INTEGER PRIMARY KEY AUTOINCREMENT,
              record_id TEXT NOT NULL UNIQUE, recorded_at TEXT NOT NULL, issuer TEXT NOT NULL,
              subject TEXT NOT NULL, client_id TEXT, display_name TEXT, action_kind TEXT NOT NULL,
              targets TEXT NOT NULL, digest TEXT NOT NULL, summary TEXT NOT NULL,
              channel TEXT NOT NULL, confirmed_at TEXT NOT NULL);
            CREATE TABLE audit_outcomes (seq INTEGER PRIMARY KEY AUTOINCREMENT,
              record_id TEXT NOT NULL, recorded_at TEXT NOT NULL, status TEXT NOT NULL,
              results TEXT NOT NULL);
            """
        )
        targets = [{"kind": "computer", "jamf_id": "123", "name": "MAC-123",
                    "serial_number": "C02XXXX", "management_id": "m", "user_name": "John"}]  # fmt: skip
        old.execute(
            "INSERT INTO audit_intents (record_id, recorded_at, issuer, subject, client_id, "
            "display_name, action_kind, targets, digest, summary, channel, confirmed_at) "
            "VALUES ('old1', '2026-11-24T12:00:00.250000+00:00', 'https://idp.example', 'alice', "
            "'chatgpt', 'Alice', 'execute_policy', ?, 'dd', 'Run policy …', 'token', "
            "'2026-11-24T12:00:00+00:00')",
            (json.dumps(targets),),
        )
        results = [{"target_id": "123", "kind": "computer", "status": "queued", "detail": "",
                    "reference": None}]  # fmt: skip
        old.execute(
            "INSERT INTO audit_outcomes (record_id, recorded_at, status, results) "
            "VALUES ('old1', '2026-11-24T12:01:00+00:00', 'queued', ?)",
            (json.dumps(results),),
        )


async def test_a_trail_of_the_previous_release_is_carried_over(path: Path) -> None:
    _version_0_file(path)
    logs = [SqliteAuditLog(path) for _ in range(3)]  # several processes opening it at once

    found = await asyncio.gather(*(log.search(AuditQuery(device="mac-123")) for log in logs))

    assert all(len(records) == 1 for records in found)
    [record] = found[0]
    assert record.record_id == "old1"
    assert [e.kind.value for e in record.events] == ["approved", "outcome"]
    assert record.approval is not None and record.approval.actor.display_name == "Alice"
    assert record.status is not None and record.status.value == "queued"
    assert record.action.targets[0].serial_number == "C02XXXX"
    with sqlite3.connect(path) as reader:
        assert reader.execute("PRAGMA user_version").fetchone() == (2,)
        assert reader.execute("SELECT count(*) FROM audit_intents").fetchone() == (1,)


async def test_the_audit_file_is_private_to_the_server_user(tmp_path: Path) -> None:
    import stat

    data = tmp_path / "fresh-data"
    log = SqliteAuditLog(data / "audit.sqlite3", now=lambda: NOW)
    await log.record(action(), approved("r1"))
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for created in data.iterdir():  # the database and SQLite's WAL companions
        assert stat.S_IMODE(created.stat().st_mode) == 0o600, created.name
