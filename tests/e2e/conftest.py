"""Start the real `jamf-mcp serve` in a subprocess on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RunningServer:
    """A `jamf-mcp serve` process and where to reach it."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log
        self.base_url = f"http://127.0.0.1:{port}"
        self.mcp_url = f"{self.base_url}/mcp"
        self.data_dir = log.parent / "data"

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_server(
    tmp: Path, extra_env: dict[str, str] | None = None, *, port: int | None = None
) -> RunningServer:
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_"))}
    env.setdefault("JAMF_MCP_AUTH", "none")
    env.update(extra_env or {})
    log = tmp / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jamf_mcp",
                "serve",
                "--port",
                str(port),
                "--data-dir",
                str(tmp / "data"),
            ],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=env,
        )
    server = RunningServer(process, port, log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"jamf-mcp serve exited early:\n{server.output()}")
        try:
            if httpx.get(f"{server.base_url}/health", timeout=1).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise AssertionError(f"jamf-mcp serve did not become healthy:\n{server.output()}")


def stop_server(server: RunningServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(tmp_path_factory.mktemp("demo"))
    yield server
    stop_server(server)
