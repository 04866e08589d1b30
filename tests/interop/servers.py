"""Start the real `jamf-mcp serve` for tools nobody here wrote, with sign-in off or on.

`running_server(tmp, auth="none")` is the server the conformance suite needs (it has no way to
send a token); `auth="dev"` keeps the default embedded sign-in on, and `mint_dev_token(server)`
gets a bearer token for it from `jamf-mcp dev-token`, as a developer would.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx

STARTUP_TIMEOUT_SECONDS = 60


@attrs.frozen
class ServerUnderTest:
    """A running `jamf-mcp serve` process: its port, data directory and log file."""

    process: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    log: Path
    env: dict[str, str]

    def url(self, path: str, *, host: str = "127.0.0.1") -> str:
        """`http://HOST:PORT/PATH`; the DNS-rebinding scenario needs host `localhost`."""
        return f"http://{host}:{self.port}{path}"

    def output(self) -> str:
        """Everything the server printed so far."""
        return self.log.read_text(errors="replace")

    def trouble(self, lines: int = 40) -> str:
        """The end of the server's log if it died or logged a traceback, else nothing."""
        output = self.output()
        if self.process.poll() is None and "Traceback" not in output:
            return ""
        state = "running" if self.process.poll() is None else f"exited {self.process.returncode}"
        tail = "\n".join(output.splitlines()[-lines:])
        return f"\njamf-mcp serve ({state}) logged:\n{tail}"


@attrs.frozen
class SignedInServer:
    """A server with the default embedded sign-in on, and a token it accepts at 127.0.0.1."""

    server: ServerUnderTest
    token: str


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_healthy(server: ServerUnderTest) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"jamf-mcp serve exited early:\n{server.output()}")
        try:
            if httpx.get(server.url("/health"), timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(
        f"jamf-mcp serve did not become healthy in {STARTUP_TIMEOUT_SECONDS}s:\n{server.output()}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextlib.contextmanager
def running_server(tmp: Path, *, auth: str) -> Iterator[ServerUnderTest]:
    """`python -m jamf_mcp serve --auth AUTH --port <free> --data-dir TMP/data` on loopback."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_"))}
    env["JAMF_MCP_AUTH"] = auth
    data_dir = tmp / "data"
    log = tmp / f"serve-{port}.log"
    command = [
        sys.executable,
        "-m",
        "jamf_mcp",
        "serve",
        "--auth",
        auth,
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    server = ServerUnderTest(process, port, data_dir, log, env)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        _stop(process)


def mint_dev_token(server: ServerUnderTest, *, host: str = "127.0.0.1") -> str:
    """A bearer token from `jamf-mcp dev-token` for the server as reached at `host`.

    The token's audience is that public URL + `/mcp`, so clients must use the same host.
    """
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "jamf_mcp",
            "dev-token",
            "--data-dir",
            str(server.data_dir),
            "--server",
            server.url("", host=host),
        ],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    token = completed.stdout.strip()
    if completed.returncode != 0 or not token:
        raise AssertionError(
            f"jamf-mcp dev-token failed (exit {completed.returncode}):\n{completed.stderr}"
        )
    return token
