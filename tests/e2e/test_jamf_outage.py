"""With Jamf Pro unreachable, tools fail with a clear message and the server keeps serving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from mcp import Client

from tests.e2e.conftest import RunningServer, free_port, start_server, stop_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server_without_jamf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    closed_port = free_port()
    server = start_server(
        Path(tmp_path_factory.mktemp("outage")),
        {
            "JAMF_URL": f"http://127.0.0.1:{closed_port}",
            "JAMF_CLIENT_ID": "jamf-mcp",
            "JAMF_CLIENT_SECRET": "s3cr3t-value-that-must-not-be-logged",
            "JAMF_TIMEOUT_SECONDS": "2",
        },
    )
    yield server
    stop_server(server)


async def test_a_tool_call_says_jamf_is_unreachable_and_the_server_stays_up(
    server_without_jamf: RunningServer,
) -> None:
    async with Client(server_without_jamf.mcp_url, mode="legacy") as client:
        result = await client.call_tool("searchDevices", {"searchTerm": "John"})
        assert result.is_error is True
        message = result.content[0].text
        assert "127.0.0.1" in message
        assert "not responding" in message or "unreachable" in message
        again = await client.list_tools()
        assert len(again.tools) == 13
    async with httpx.AsyncClient() as http:
        health = await http.get(f"{server_without_jamf.base_url}/health")
    assert health.status_code == 200
    assert "s3cr3t-value-that-must-not-be-logged" not in server_without_jamf.output()
