"""`jamf-mcp audit` on the embedded trail: search, JSON Lines and CSV export; audit settings."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jamf_mcp.adapters.sqlite import SqliteAuditLog
from jamf_mcp.audit_cli import parse_when
from jamf_mcp.cli import main
from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.audit import (
    AuditAction,
    AuditActor,
    AuditOutcome,
    DeviceResult,
    OutcomeStatus,
)
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.settings import Settings, SettingsError
from tests.builders import NOW, record_approved

NASTY = ActionTarget(DeviceKind.COMPUTER, "9", '=HYPERLINK("http://x")', "SER9")
MAC_045 = ActionTarget(DeviceKind.COMPUTER, "45", "MAC-045", "C02ABC045")


async def _trail(data_dir: Path) -> str:
    log = SqliteAuditLog(data_dir / "audit.sqlite3")
    erase = AuditAction(
        ActionKind.MDM_COMMAND, (MAC_045, NASTY), "e" * 64, "Erase …", command="ERASE_DEVICE"
    )
    results = (
        DeviceResult("45", OutcomeStatus.QUEUED, "queued", "uuid-45"),
        DeviceResult("9", OutcomeStatus.FAILED, "refused"),
    )
    outcome = AuditOutcome(OutcomeStatus.PARTIALLY_COMPLETED, NOW, results)
    alice = AuditActor("https://idp.example", "alice", "chatgpt", "Alice Example")
    await record_approved(log, erase, alice, outcome=outcome)
    policy = AuditAction(ActionKind.EXECUTE_POLICY, (MAC_045,), "p" * 64, "Run …", policy_id=1,
                         policy_name="Software Update")  # fmt: skip
    return await record_approved(log, policy, AuditActor("https://idp.example", "bob"))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["audit", *args]) == 0
    return capsys.readouterr().out


async def test_search_finds_who_erased_a_device_one_line_per_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _trail(tmp_path)
    out = await asyncio.to_thread(
        _run, capsys, "search", "--data-dir", str(tmp_path), "--device", "mac-045",
        "--action", "erase_device",
    )  # fmt: skip
    [line] = out.splitlines()
    assert "Alice Example  mdm_command ERASE_DEVICE  2 targets:" in line
    assert "partially_completed  via elicitation (pytest-client 1.0)" in line


async def test_export_writes_one_json_object_per_event_with_device_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _trail(tmp_path)
    out = await asyncio.to_thread(_run, capsys, "export", "--data-dir", str(tmp_path))
    documents = [json.loads(line) for line in out.splitlines()]
    assert [d["event"] for d in documents] == ["approved", "outcome", "approved"]
    outcome = documents[1]
    assert outcome["user"]["name"] == "Alice Example"
    assert outcome["action"]["command"] == "ERASE_DEVICE"
    assert [(d["name"], d["status"]) for d in outcome["devices"]] == [
        ("MAC-045", "queued"),
        ('=HYPERLINK("http://x")', "failed"),
    ]


async def test_csv_export_has_a_row_per_event_and_device_and_defuses_formulas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await _trail(tmp_path)
    out = await asyncio.to_thread(
        _run, capsys, "export", "--data-dir", str(tmp_path), "--format", "csv", "--user", "alice"
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["event"], r["device_name"]) for r in rows] == [
        ("approved", "MAC-045"),
        ("approved", '\'=HYPERLINK("http://x")'),
        ("outcome", "MAC-045"),
        ("outcome", '\'=HYPERLINK("http://x")'),
    ]
    assert rows[2]["device_status"] == "queued" and rows[2]["reference"] == "uuid-45"


def test_times_are_iso_dates_or_ages() -> None:
    now = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert parse_when("7d", now) == now - timedelta(days=7)
    assert parse_when("30m", now) == now - timedelta(minutes=30)
    assert parse_when("2026-12-01") == datetime(2026, 12, 1, tzinfo=UTC)
    assert parse_when("2026-12-01T09:00Z") == datetime(2026, 12, 1, 9, tzinfo=UTC)
    with pytest.raises(Exception, match="neither an ISO"):
        parse_when("last tuesday")


def test_the_audit_store_settings_are_checked() -> None:
    defaults = Settings.from_env({}).audit
    assert (defaults.url, defaults.schema, defaults.migrate) == (None, "jamf_mcp_audit", "auto")
    url = "postgresql://app@db.example:5432/jamf?sslmode=verify-full"
    assert Settings.from_env({"JAMF_MCP_AUDIT_URL": url}).audit.url == url
    assert url not in repr(Settings.from_env({"JAMF_MCP_AUDIT_URL": url}))
    for env, message in [
        ({"JAMF_MCP_AUDIT_URL": "mysql://x"}, "postgresql://"),
        ({"JAMF_MCP_AUDIT_SCHEMA": "Audit; DROP"}, "JAMF_MCP_AUDIT_SCHEMA"),
        ({"JAMF_MCP_AUDIT_MIGRATE": "sometimes"}, "auto or off"),
        ({"JAMF_MCP_AUDIT_TIMEOUT_SECONDS": "0"}, "greater than 0"),
    ]:
        with pytest.raises(SettingsError, match=message):
            Settings.from_env(env)
