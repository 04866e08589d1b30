"""The audit intent is on disk before Jamf is called: it survives the server dying mid-action."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx2
import mcp.types as types
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from jamf_mcp.adapters.sqlite import SqliteAuditLog
from jamf_mcp.domain.audit_records import AuditQuery
from tests.e2e.conftest import start_server, stop_server

pytestmark = pytest.mark.e2e


def _cli(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "jamf_mcp", *args],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_"))},
    )
    return completed.stdout


async def test_the_intent_is_recorded_even_when_the_server_is_killed_before_answering(
    tmp_path: Path,
) -> None:
    server = start_server(
        tmp_path, {"JAMF_MCP_AUTH": "dev", "JAMF_MCP_SIMULATOR_LATENCY_MS": "700"}
    )
    data_dir = str(server.data_dir)
    try:
        token = _cli("dev-token", "--data-dir", data_dir, "--server", server.base_url).strip()
        http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=120)

        async def accept(context: object, params: object) -> types.ElicitResult:
            return types.ElicitResult(action="accept", content={"confirm": True})

        async def run_policy() -> None:
            transport = streamable_http_client(server.mcp_url, http_client=http)
            async with Client(transport, mode="legacy", elicitation_callback=accept) as client:
                await client.call_tool(
                    "executePolicy",
                    {"policyName": "Inventory on Request", "deviceIdentifier": "123"},
                )

        call = asyncio.create_task(run_policy())
        log = SqliteAuditLog(server.data_dir / "audit.sqlite3")

        async def approved() -> bool:
            if not (server.data_dir / "audit.sqlite3").exists():
                return False
            records = await log.search(AuditQuery(limit=1))
            return bool(records) and records[0].approval is not None

        async with asyncio.timeout(60):
            while not await approved():
                assert not call.done(), "the call finished before the intent could be seen"
                await asyncio.sleep(0.05)
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
        call.cancel()
        await asyncio.gather(call, return_exceptions=True)
    finally:
        stop_server(server)

    [record] = await log.search(AuditQuery(limit=5))
    assert record.outcomes == ()
    assert [e.kind.value for e in record.events] == ["requested", "approved"]
    assert record.approval is not None and record.approval.actor.subject == "alice"
    lines = _cli("audit", "tail", "--data-dir", data_dir).strip().splitlines()
    assert len(lines) == 1
    assert "alice" in lines[0]
    assert "execute_policy" in lines[0]
    assert "  approved  " in lines[0]  # approved, and no outcome was ever recorded
