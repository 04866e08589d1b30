"""The SQLite audit trail: durable intents, appended outcomes, order, WAL and no secrets."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from jamf_mcp.adapters.sqlite import SqliteAuditLog, format_record
from jamf_mcp.application.ports import AuditLog
from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.audit import (
    AuditActor,
    AuditEntry,
    AuditOutcome,
    ConfirmationChannel,
    DeviceResult,
    OutcomeStatus,
)
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import AuditRecordUnknown
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


def entry(*targets: ActionTarget, principal: Principal = ALICE) -> AuditEntry:
    action = GatedAction(
        ActionKind.EXECUTE_POLICY, targets or (MAC_123,), policy=PolicyRef(45, "Software Update")
    )
    actor = AuditActor.from_principal(principal)
    return AuditEntry.for_action(actor, action, KEY, ConfirmationChannel.ELICITATION, NOW)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "audit.sqlite3"


@pytest.fixture
def log(path: Path) -> AuditLog:
    return SqliteAuditLog(path, now=lambda: NOW)


async def test_an_intent_is_readable_by_another_connection_as_soon_as_it_is_recorded(
    log: AuditLog, path: Path
) -> None:
    record_id = await log.record_intent(entry())
    with sqlite3.connect(path) as other:
        rows = other.execute(
            "SELECT issuer, subject, action_kind FROM audit_intents WHERE record_id = ?",
            (record_id,),
        ).fetchall()
    assert rows == [("https://idp.example", "alice", "execute_policy")]


def test_an_intent_survives_the_process_dying_before_any_outcome(path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import asyncio, os, sys
        from tests.integration.sqlite.test_sqlite_audit_log import entry
        from jamf_mcp.adapters.sqlite import SqliteAuditLog

        record_id = asyncio.run(SqliteAuditLog({str(path)!r}).record_intent(entry()))
        sys.stdout.write(record_id)
        sys.stdout.flush()
        os._exit(1)
        """
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    with sqlite3.connect(path) as reader:
        ids = [row[0] for row in reader.execute("SELECT record_id FROM audit_intents")]
        outcomes = reader.execute("SELECT count(*) FROM audit_outcomes").fetchone()
    assert ids == [done.stdout]
    assert outcomes == (0,)


async def test_outcomes_are_appended_in_order_and_the_latest_gives_the_status(
    log: AuditLog,
) -> None:
    record_id = await log.record_intent(entry())
    queued = AuditOutcome(
        OutcomeStatus.QUEUED, NOW, (DeviceResult("123", OutcomeStatus.QUEUED, "blank push sent"),)
    )
    completed = AuditOutcome(
        OutcomeStatus.COMPLETED,
        NOW + timedelta(minutes=10),
        (DeviceResult("123", OutcomeStatus.COMPLETED, "policy log: Completed"),),
    )
    await log.record_outcome(record_id, queued)
    await log.record_outcome(record_id, completed)
    [record] = await log.tail(10)
    assert record.outcomes == (queued, completed)
    assert record.status is OutcomeStatus.COMPLETED
    assert record.entry == entry()
    assert record.recorded_at == NOW


async def test_an_outcome_for_an_unknown_record_is_refused(log: AuditLog) -> None:
    with pytest.raises(AuditRecordUnknown):
        await log.record_outcome("nope", AuditOutcome(OutcomeStatus.FAILED, NOW))


async def test_tail_returns_the_most_recent_records_oldest_first(log: AuditLog) -> None:
    targets = [ActionTarget(DeviceKind.COMPUTER, str(n), f"MAC-{n}") for n in range(1, 6)]
    ids = [await log.record_intent(entry(target)) for target in targets]
    tail = await log.tail(3)
    assert [record.record_id for record in tail] == ids[-3:]
    assert [record.entry.targets[0].name for record in tail] == ["MAC-3", "MAC-4", "MAC-5"]
    assert await log.tail(0) == []


async def test_the_database_runs_in_wal_mode(log: AuditLog, path: Path) -> None:
    await log.record_intent(entry())
    with sqlite3.connect(path) as reader:
        assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)


async def test_recorded_rows_cannot_be_updated_or_deleted(log: AuditLog, path: Path) -> None:
    record_id = await log.record_intent(entry())
    await log.record_outcome(record_id, AuditOutcome(OutcomeStatus.QUEUED, NOW))
    with sqlite3.connect(path) as writer:
        for statement in (
            "UPDATE audit_intents SET subject = 'mallory'",
            "DELETE FROM audit_intents",
            "UPDATE audit_outcomes SET status = 'completed'",
            "DELETE FROM audit_outcomes",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                writer.execute(statement)


async def test_the_trail_holds_identifiers_but_no_email_scopes_or_tokens(
    log: AuditLog, path: Path
) -> None:
    record_id = await log.record_intent(entry())
    with sqlite3.connect(path) as reader:
        reader.row_factory = sqlite3.Row
        row = reader.execute("SELECT * FROM audit_intents").fetchone()
    assert set(row.keys()) == {
        "seq", "record_id", "recorded_at", "issuer", "subject", "client_id", "display_name",
        "action_kind", "targets", "digest", "summary", "channel", "confirmed_at",
    }  # fmt: skip
    assert (row["client_id"], row["display_name"], row["channel"]) == (
        "chatgpt",
        "Alice Example",
        "elicitation",
    )
    assert json.loads(row["targets"])[0]["serial_number"] == "C02XXXX"
    dumper = sqlite3.connect(path)
    try:
        dump = "\n".join(dumper.iterdump())
    finally:
        dumper.close()
    assert "alice@example.com" not in dump
    assert "write:jamf" not in dump
    assert record_id in dump


async def test_a_record_renders_as_one_line_with_time_user_action_targets_and_status(
    log: AuditLog,
) -> None:
    many = [ActionTarget(DeviceKind.COMPUTER, str(n), f"MAC-{n}") for n in range(1, 6)]
    record_id = await log.record_intent(entry(*many))
    await log.record_outcome(record_id, AuditOutcome(OutcomeStatus.PARTIALLY_COMPLETED, NOW))
    [record] = await log.tail(1)
    assert format_record(record) == (
        "2026-11-24T12:00:00Z  Alice Example  execute_policy  "
        "5 targets: MAC-1, MAC-2, MAC-3 +2 more  partially_completed"
    )


async def test_audit_tail_prints_one_line_per_record_with_user_and_action(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from jamf_mcp.cli import main
    from jamf_mcp.settings import Settings

    target = Settings(data_dir=path.parent).audit_path
    await SqliteAuditLog(target, now=lambda: NOW).record_intent(entry())
    await SqliteAuditLog(target, now=lambda: NOW).record_intent(entry())
    assert await asyncio.to_thread(main, ["audit", "tail", "--data-dir", str(path.parent)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert all("Alice Example" in line or "alice" in line for line in lines)
    assert all("execute_policy" in line or "Software Update" in line for line in lines)


async def test_the_audit_file_is_private_to_the_server_user(tmp_path: Path) -> None:
    import stat

    data = tmp_path / "fresh-data"
    log = SqliteAuditLog(data / "audit.sqlite3", now=lambda: NOW)
    await log.record_intent(entry())
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for created in data.iterdir():  # the database and SQLite's WAL companions
        assert stat.S_IMODE(created.stat().st_mode) == 0o600, created.name
