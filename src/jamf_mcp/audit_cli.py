"""`jamf-mcp audit …`: read the configured audit trail (SQLite or PostgreSQL), export it for a
SIEM, and migrate the PostgreSQL schema with a privileged role."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import re
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from jamf_mcp.adapters.export import CSV_COLUMNS, csv_rows, event_documents, format_record
from jamf_mcp.audit_wiring import AuditStore, open_audit_store
from jamf_mcp.domain.audit_records import AuditQuery, AuditRecord
from jamf_mcp.domain.errors import AuditUnavailable
from jamf_mcp.settings import Settings, SettingsError

PAGE = 500
_RELATIVE = re.compile(r"(\d+)([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_when(value: str, now: datetime | None = None) -> datetime:
    """An ISO 8601 date or time (UTC unless it says otherwise), or `30m`, `12h`, `7d`, `2w` ago."""
    text = value.strip()
    relative = _RELATIVE.fullmatch(text)
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        return (now or datetime.now(UTC)) - timedelta(**{_UNITS[unit]: amount})
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is neither an ISO date/time (2026-12-01, 2026-12-01T09:00Z) "
            "nor an age (30m, 12h, 7d, 2w)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def add_audit_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `audit tail|search|export|migrate`."""
    audit = commands.add_parser(
        "audit",
        help="read the audit trail (JAMF_MCP_AUDIT_URL, else the data directory's SQLite file)",
    )
    sub = audit.add_subparsers(dest="audit_command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text)
        parser.add_argument("--data-dir", type=Path, help="the server's data directory")
        return parser

    tail = command("tail", "print the most recent records, oldest first, one line each")
    tail.add_argument("--limit", type=int, default=50, help="how many records (default 50)")
    search = command("search", "print matching records, newest first, one line each")
    export = command("export", "write matching events as JSON Lines or CSV (for a SIEM)")
    for parser in (search, export):
        parser.add_argument("--user", help="issuer#subject, subject or display name")
        parser.add_argument("--device", help="Jamf id, device name or serial number")
        parser.add_argument("--action", help="execute_policy, update_inventory, mdm_command, "
                            "or an MDM command such as ERASE_DEVICE")  # fmt: skip
        parser.add_argument("--since", type=parse_when, help="ISO date/time, or an age: 7d")
        parser.add_argument("--until", type=parse_when, help="ISO date/time, or an age: 1d")
    search.add_argument("--limit", type=int, default=50, help="how many records (default 50)")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--output", type=Path, help="write here instead of standard output")
    migrate = command("migrate", "create or upgrade the PostgreSQL audit schema")
    migrate.add_argument(
        "--url",
        help="the migration role's postgresql:// URL (default: JAMF_MCP_AUDIT_MIGRATION_URL, "
        "else JAMF_MCP_AUDIT_URL)",
    )


def run_audit(args: argparse.Namespace) -> int:
    """Run an `audit` subcommand; 0 on success, 1 when the store is unavailable, 2 on bad input."""
    try:
        settings = Settings.from_env(data_dir=args.data_dir)
    except SettingsError as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    if args.audit_command == "migrate":
        return asyncio.run(_migrate(settings, args.url))
    if settings.audit.url is None and not settings.audit_path.exists():
        print(f"jamf-mcp: no audit trail at {settings.audit_path} yet", file=sys.stderr)
        return 0
    try:
        return asyncio.run(_read(settings, args))
    except AuditUnavailable as error:
        print(f"jamf-mcp: {error.message}", file=sys.stderr)
        return 1


async def _read(settings: Settings, args: argparse.Namespace) -> int:
    async with open_audit_store(settings) as store:
        if args.audit_command == "tail":
            records = await store.search(AuditQuery(limit=max(1, min(args.limit, 10_000))))
            for record in reversed(records):
                print(format_record(record))
            return 0
        query = AuditQuery(
            user=args.user,
            device=args.device,
            action=args.action,
            since=args.since,
            until=args.until,
            limit=max(1, min(getattr(args, "limit", PAGE), 10_000)),
        )
        if args.audit_command == "search":
            for record in await store.search(query):
                print(format_record(record))
            return 0
        if args.output is None:
            await _export(store, query, args.format, sys.stdout)
        else:
            with args.output.open("w", encoding="utf-8", newline="") as sink:
                await _export(store, query, args.format, sink)
        return 0


async def _all(store: AuditStore, query: AuditQuery) -> AsyncIterator[AuditRecord]:
    """Every matching record, oldest first, page by page (memory stays bounded)."""
    cursor = None
    while True:
        page = await store.search(
            AuditQuery(
                user=query.user, device=query.device, action=query.action, since=query.since,
                until=query.until, limit=PAGE, newest_first=False, cursor=cursor,
            )
        )  # fmt: skip
        for record in page:
            yield record
        if len(page) < PAGE:
            return
        cursor = page[-1].position


async def _export(store: AuditStore, query: AuditQuery, fmt: str, sink: TextIO) -> None:
    writer = csv.writer(sink) if fmt == "csv" else None
    if writer is not None:
        writer.writerow(CSV_COLUMNS)
    async for record in _all(store, query):
        if writer is not None:
            writer.writerows(csv_rows(record, query.since, query.until))
            continue
        for document in event_documents(record, query.since, query.until):
            sink.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")


async def _migrate(settings: Settings, url: str | None) -> int:
    from jamf_mcp.adapters.postgres import LATEST, PoolSettings, migrate, open_pool, safe_target

    target = url or settings.audit.migration_url or settings.audit.url
    if target is None:
        async with open_audit_store(settings) as store:
            await store.ping()  # opening the SQLite file brings it up to date
        print(f"jamf-mcp: the SQLite audit trail at {settings.audit_path} is up to date")
        return 0
    pool = open_pool(PoolSettings(url=target, max_size=1, timeout_seconds=30))
    await pool.open(wait=False)
    try:
        async with pool.connection() as connection:
            applied = await migrate(connection, settings.audit.schema)
    except Exception as error:
        print(f"jamf-mcp: could not migrate the audit schema: {error}", file=sys.stderr)
        return 1
    finally:
        await pool.close()
    done = ", ".join(str(v) for v in applied) if applied else "none (already current)"
    print(
        f"jamf-mcp: audit schema {settings.audit.schema} at {safe_target(target)} is at "
        f"version {LATEST}; applied now: {done}"
    )
    return 0


__all__ = ["add_audit_commands", "parse_when", "run_audit"]
