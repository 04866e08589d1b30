"""With Redis configured but unreachable: liveness holds, readiness fails, state requests get 503."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import free_port, start_server, stop_server

pytestmark = pytest.mark.e2e

HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def test_a_replica_without_its_redis_is_alive_not_ready_and_answers_503(tmp_path: Path) -> None:
    closed = free_port()  # nothing listens there
    server = start_server(
        tmp_path,
        {"REDIS_URL": f"redis://127.0.0.1:{closed}/0", "JAMF_MCP_READINESS_CACHE_SECONDS": "0"},
    )
    try:
        alive = httpx.get(f"{server.base_url}/health", timeout=10)
        ready = httpx.get(f"{server.base_url}/health/ready", timeout=10)
        call = httpx.post(
            server.mcp_url,
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
            headers=HEADERS,
            timeout=10,
        )
    finally:
        stop_server(server)

    assert alive.status_code == 200
    assert ready.status_code == 503
    assert ready.json()["components"]["redis"]["status"] != "ok"
    assert str(closed) not in ready.text  # no internal addresses
    assert call.status_code == 503
    assert call.json()["error"] == "Service unavailable"
    assert "shared state" in call.json()["message"]
    assert call.headers["retry-after"]
