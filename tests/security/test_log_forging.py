"""Nothing a client sends can forge a log line.

The review's attack: a JSON-RPC `id` holding a newline and a fake timestamped line was logged
inside the message of "tools/call …", and the console log showed the forged line as a line of its
own. Client-supplied strings are now fields, and the console format escapes control characters
in the message and every value (JSON lines are escaped by JSON itself).
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jamf_mcp.adapters.structured_logs import configure_logging
from tests.e2e.inprocess import serving

FORGED = "2026-01-01T00:00:00Z [error    ] FORGED admin password reset for mallory"
NASTY = f"7\n{FORGED}\r\n{FORGED}\x1b[2K\u2028{FORGED}\x85{FORGED}"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


async def send_forgeries(tmp_path: Path) -> None:
    async with serving(tmp_path / "data") as server:
        headers = {
            "Authorization": f"Bearer {server.token('alice')}",
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        messages = [
            # invalid arguments: logged with the request id
            {"jsonrpc": "2.0", "id": NASTY, "method": "tools/call",
             "params": {"name": "listPolicies", "arguments": {"limit": "many"}}},
            # a session start: logged with the client's name and requested version
            {"jsonrpc": "2.0", "id": 1, "method": "initialize",
             "params": {"protocolVersion": NASTY, "capabilities": {},
                        "clientInfo": {"name": NASTY, "version": NASTY}}},
            # a cancellation: logged with the request id it names
            {"jsonrpc": "2.0", "method": "notifications/cancelled",
             "params": {"requestId": NASTY}},
        ]  # fmt: skip
        async with httpx.AsyncClient(timeout=30) as http:
            for message in messages:
                answer = await http.post(server.mcp_url, json=message, headers=headers)
                assert answer.status_code < 500


def forged_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.lstrip().startswith(FORGED[:20])]


async def test_a_request_id_with_newlines_forges_no_console_line(
    tmp_path: Path, restore_logging: None
) -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", "console", stream=stream)
    await send_forgeries(tmp_path)
    logging.getLogger().handlers[0].flush()
    output = stream.getvalue()
    assert "FORGED" in output  # the attacker's text was logged — as a field, escaped
    assert forged_lines(output) == []
    assert "\x1b" not in output
    assert "\u2028" not in output
    assert "\x85" not in output
    assert "rpc_id='7\\n2026-01-01T00:00:00Z" in output


async def test_json_lines_stay_one_object_per_line(tmp_path: Path, restore_logging: None) -> None:
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    await send_forgeries(tmp_path)
    logging.getLogger().handlers[0].flush()
    output = stream.getvalue()
    # Every line break a reader might split on is escaped, so any way of splitting gives whole
    # JSON objects.
    assert output.split("\n") == [*output.splitlines(), ""]
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert any(record.get("rpc_id") == NASTY for record in records)
    assert not any(str(record.get("event", "")).startswith(FORGED[:20]) for record in records)
