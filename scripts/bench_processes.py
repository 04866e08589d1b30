"""What the benchmarks share about processes: free ports, servers in subprocesses, /proc readings.

Imported by the `bench_*.py` scripts next to it (they are run as `python scripts/bench_x.py`, so
this directory is on `sys.path`).
"""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent


def free_port() -> int:
    """A TCP port nobody listens on right now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in bytes (Linux /proc).

    Raises:
        ProcessLookupError: the process is gone (or a zombie, which has no memory left).
    """
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        raise ProcessLookupError(f"process {pid} does not exist") from None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    if "VmRSS" not in fields:
        raise ProcessLookupError(f"process {pid} has exited")
    return {key: int(fields[key].split()[0]) * 1024 for key in ("VmRSS", "VmHWM")}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc)."""
    after_name = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")


def bench_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """This environment without JAMF_/OIDC_/REDIS_ settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_", "REDIS"))}
    env.update(extra or {})
    return env


class ServerProcess:
    """A server started in a subprocess, its output kept in a log file for error messages."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT`."""
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        """What the server printed so far."""
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_ready(self, path: str, *, timeout: float = 120, method: str = "GET") -> None:
        """Poll `path` until it answers below 500; exit with the server's output otherwise."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"server exited early ({self.process.returncode}):\n{self.output()}"
                )
            try:
                response = httpx.request(method, self.base_url + path, timeout=2)
                if response.status_code < 500:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise SystemExit(f"server did not become ready within {timeout:.0f} s:\n{self.output()}")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after 30 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def server_process(
    command: Sequence[str],
    *,
    port: int,
    env: Mapping[str, str],
    ready_path: str = "/health",
    ready_method: str = "GET",
    timeout: float = 120,
    preexec_fn: Any = None,
) -> Iterator[ServerProcess]:
    """Run `command` (which must listen on `port`) until the block ends."""
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        log = Path(tmp) / "server.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                list(command),
                env=dict(env),
                stdout=sink,
                stderr=subprocess.STDOUT,
                preexec_fn=preexec_fn,
            )
        server = ServerProcess(process, port, log)
        try:
            server.wait_ready(ready_path, timeout=timeout, method=ready_method)
            yield server
        finally:
            server.stop()


def cpu_model() -> str:
    """The CPU's model name (Linux /proc/cpuinfo), or the platform's description."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def memory_total_bytes() -> int | None:
    """Physical memory (Linux /proc/meminfo)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    return None


def _version(package: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _git(*args: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, *args], cwd=REPO, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip()


def machine_info() -> dict[str, Any]:
    """Where and with what the benchmarks ran."""
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "memory_bytes": memory_total_bytes(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "packages": {
            name: _version(name)
            for name in ("jamf-mcp", "litestar", "uvicorn", "h11", "httptools", "uvloop", "mcp")
        },
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
    }
