"""The official MCP Python SDK client against our Litestar endpoint served by a real uvicorn."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
import uvicorn
from mcp import Client

from tests.integration.mcp.mcp_http_support import build_app


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    app, _ = build_app()
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        threading.Event().wait(0.01)
    assert server.started, "uvicorn did not start"
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}/mcp"
    server.should_exit = True
    thread.join(timeout=5)


async def test_sdk_client_lists_tools_over_streamable_http(server_url: str) -> None:
    async with Client(server_url, mode="legacy") as client:
        listed = await client.list_tools()

    by_name = {tool.name: tool for tool in listed.tools}
    assert list(by_name) == ["add", "countdown"]
    assert by_name["add"].annotations is not None
    assert by_name["add"].annotations.read_only_hint is True
    assert by_name["add"].output_schema == {
        "type": "object",
        "properties": {"sum": {"type": "integer"}},
    }


async def test_sdk_client_calls_a_tool_and_reads_structured_content(server_url: str) -> None:
    async with Client(server_url, mode="legacy") as client:
        result = await client.call_tool("add", {"a": 20, "b": 22})

    assert result.is_error is False
    assert result.structured_content == {"sum": 42}
    assert [block.text for block in result.content] == ["20 + 22 = 42", '{"sum":42}']


async def test_sdk_client_sees_invalid_arguments_as_a_tool_error(server_url: str) -> None:
    async with Client(server_url, mode="legacy") as client:
        result = await client.call_tool("add", {"a": 1})

    assert result.is_error is True
    assert result.content[0].text == "Invalid arguments: 'b' is a required property"


async def test_sdk_client_receives_progress_while_a_tool_runs(server_url: str) -> None:
    updates: list[tuple[float, float | None, str | None]] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    async with Client(server_url, mode="legacy") as client:
        result = await client.call_tool("countdown", {"steps": 3}, progress_callback=on_progress)
        await asyncio.sleep(0)

    assert result.structured_content == {"steps": 3}
    assert updates == [(1, 3, "1 of 3"), (2, 3, "2 of 3"), (3, 3, "3 of 3")]
