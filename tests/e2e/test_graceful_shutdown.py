"""SIGTERM: idle streams get a `retry:` hint and close at once, calls in flight still finish."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import start_server, stop_server

pytestmark = pytest.mark.e2e

HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-06-18",
}
CALL = {
    "jsonrpc": "2.0",
    "id": 7,
    "method": "tools/call",
    "params": {"name": "getFleetSummary", "arguments": {}},
}


async def test_sigterm_ends_idle_streams_with_a_retry_hint_and_lets_calls_finish(
    tmp_path: Path,
) -> None:
    server = start_server(
        tmp_path,
        {"JAMF_MCP_SIMULATOR_LATENCY_MS": "400", "JAMF_MCP_KEEPALIVE_SECONDS": "30"},
    )
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
            async with http.stream(
                "GET", "/mcp", headers={"accept": "text/event-stream"}
            ) as stream:
                assert stream.status_code == 200
                call = asyncio.create_task(http.post("/mcp", json=CALL, headers=HEADERS))
                await asyncio.sleep(0.3)  # the call is now waiting on the slow Jamf
                server.process.send_signal(signal.SIGTERM)
                loop = asyncio.get_running_loop()
                started = loop.time()
                received = b"".join([chunk async for chunk in stream.aiter_bytes()])
                closed_after = loop.time() - started
            answer = await call
        code = await asyncio.to_thread(server.process.wait, 30)
    finally:
        stop_server(server)

    assert b"retry: 1000" in received
    assert closed_after < 5
    assert answer.status_code == 200
    assert answer.json()["result"]["structuredContent"]["total"] == 500
    # uvicorn re-raises the signal once shut down cleanly, so the exit reports SIGTERM.
    assert code in (0, -signal.SIGTERM)
    assert "Traceback" not in server.output()
