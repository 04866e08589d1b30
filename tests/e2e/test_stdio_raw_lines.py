"""`jamf-mcp stdio` driven line by line from a plain subprocess: framing, bad input, shutdown."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

pytestmark = pytest.mark.e2e

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "raw-pipe", "version": "0"},
    },
}
INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}


def line(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode() + b"\n"


def call(request_id: int, tool: str, arguments: dict[str, Any]) -> bytes:
    params = {"name": tool, "arguments": arguments}
    return line({"jsonrpc": "2.0", "id": request_id, "method": "tools/call", "params": params})


class StdioProcess:
    """`jamf-mcp stdio` with its stdin and stdout as pipes and its stderr in a file."""

    def __init__(self, tmp_path: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_"))}
        self.stderr_path = tmp_path / "stderr.log"
        with self.stderr_path.open("wb") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jamf_mcp", "stdio", "--data-dir", str(tmp_path / "data")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                env=env,
                cwd=tmp_path,
            )

    @property
    def stdin(self) -> IO[bytes]:
        assert self.process.stdin is not None
        return self.process.stdin

    def send(self, *lines: bytes) -> None:
        for raw in lines:
            self.stdin.write(raw)
        self.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        raw = self.process.stdout.readline()
        assert raw.endswith(b"\n"), f"stdout ended early; stderr:\n{self.stderr()}"
        message: dict[str, Any] = json.loads(raw)
        return message

    def finish(self) -> tuple[list[bytes], int]:
        """Close stdin; return the remaining stdout lines and the exit code."""
        rest, _ = self.process.communicate(timeout=30)
        return rest.splitlines(keepends=True), self.process.returncode

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[StdioProcess]:
    process = StdioProcess(tmp_path)
    yield process
    if process.process.poll() is None:
        process.process.kill()
        process.process.wait()


def test_a_garbage_line_gets_a_parse_error_and_the_next_request_still_works(
    server: StdioProcess,
) -> None:
    server.send(line(INITIALIZE))
    assert server.receive()["result"]["serverInfo"]["name"] == "jamf-mcp"
    server.send(line(INITIALIZED))

    server.send(b"this is {not json\n")
    error = server.receive()
    server.send(call(2, "getFleetSummary", {}))
    summary = server.receive()

    assert error == {
        "jsonrpc": "2.0",
        "id": None,
        "error": {"code": -32700, "message": error["error"]["message"]},
    }
    assert summary["id"] == 2
    assert summary["result"]["structuredContent"]["total"] == 500


def test_stdout_carries_only_json_rpc_lines_and_the_logs_go_to_stderr(
    server: StdioProcess,
) -> None:
    server.send(
        line(INITIALIZE),
        line(INITIALIZED),
        line({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        b"\x00\xff garbage\r\n",
        call(3, "searchDevices", {"query": "MAC-123"}),
        call(4, "noSuchTool", {}),
        line({"jsonrpc": "2.0", "id": 5, "method": "ping"}),
    )
    lines, exit_code = server.finish()

    assert exit_code == 0
    messages = [json.loads(raw) for raw in lines]
    assert all(raw.endswith(b"\n") and raw.count(b"\n") == 1 for raw in lines)
    assert all(message["jsonrpc"] == "2.0" for message in messages)
    assert sorted((m["id"] for m in messages), key=str) == sorted([1, 2, None, 3, 4, 5], key=str)
    log = server.stderr()
    assert "Serving MCP on stdin/stdout" in log
    assert "Session started, negotiated" in log
    assert "client=raw-pipe" in log  # what the client sent is a field, never in the message
    assert "Stdio session ended" in log


def test_a_call_still_running_when_stdin_closes_is_answered_before_the_exit(
    server: StdioProcess,
) -> None:
    server.send(
        line(INITIALIZE),
        line(INITIALIZED),
        call(2, "checkDeviceCompliance", {"daysSinceLastCheckin": 30}),
    )
    lines, exit_code = server.finish()

    answers = {message["id"]: message for message in map(json.loads, lines)}
    assert exit_code == 0
    assert answers[2]["result"]["structuredContent"]["summary"]["noncompliant"] == 23


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_stops_the_server_cleanly(server: StdioProcess) -> None:
    server.send(line(INITIALIZE))
    server.receive()

    server.process.send_signal(signal.SIGTERM)
    exit_code = server.process.wait(timeout=30)

    assert exit_code == 0
    assert "Stopped by a signal" in server.stderr()
    assert "Stdio session ended" in server.stderr()


def test_help_says_there_is_no_sign_in_on_stdio() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jamf_mcp", "stdio", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )

    text = " ".join(done.stdout.split())
    assert "There is no sign-in on stdio" in text
    assert "every request acts as the local operator" in text
