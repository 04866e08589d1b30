"""`jamf-mcp serve` pointed at a Jamf Pro URL (the standalone simulator) over real HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp import Client

from jamf_mcp.simulator import DEMO_PASSWORD, DEMO_USERNAME
from tests.e2e.conftest import RunningServer, free_port, start_server, stop_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def simulator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = Path(tmp_path_factory.mktemp("sim")) / "simulator.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jamf_mcp",
                "simulator",
                "--port",
                str(port),
                "--computers",
                "600",
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthCheck.html", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError(log.read_text())
    yield url
    process.terminate()
    process.wait(timeout=15)


@pytest.fixture(scope="module")
def server_on_jamf_url(
    simulator_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningServer]:
    server = start_server(
        Path(tmp_path_factory.mktemp("real")),
        {"JAMF_URL": simulator_url, "JAMF_USERNAME": DEMO_USERNAME, "JAMF_PASSWORD": DEMO_PASSWORD},
    )
    yield server
    stop_server(server)


async def test_user_credentials_over_http_answer_the_compliance_question(
    server_on_jamf_url: RunningServer,
) -> None:
    async with Client(server_on_jamf_url.mcp_url, mode="legacy") as client:
        result = await client.call_tool("checkDeviceCompliance", {"daysSinceLastCheckin": 30})
    assert result.structured_content is not None
    summary = result.structured_content["summary"]
    assert (summary["total"], summary["noncompliant"], summary["critical"]) == (600, 23, 5)
    assert "embedded" not in server_on_jamf_url.output()
    assert DEMO_PASSWORD not in server_on_jamf_url.output()
