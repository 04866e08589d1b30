"""A real Redis Cluster for the tests: three primaries started locally on spare ports.

`redis-server --cluster-enabled yes` three times in a temporary directory, joined with
`redis-cli --cluster create … --cluster-replicas 0 --cluster-yes` (Redis's own tooling, as
https://redis.io/docs/latest/operate/oss_and_stack/management/scaling/ describes), then torn
down. Only the processes started here are stopped, by their own handles; the machine's Redis on
6379 is never touched. Without `redis-server` the tests fail (never skip), saying what to install.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

NODES = 3
_NO_REPLICAS = ("--cluster-replicas", "0", "--cluster-yes")
INSTALL = "apt-get install redis-server (Debian's package provides redis-server and redis-cli)"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"The Redis Cluster tests need `{name}` and cannot find it: {INSTALL}.")
    return found


def _spare_ports(count: int) -> list[int]:
    """Ports nothing listens on now (held open together, so they are distinct)."""
    with contextlib.ExitStack() as stack:
        socks = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]


def _answers(cli: str, port: int, *command: str) -> str:
    done = subprocess.run(
        [cli, "-h", "127.0.0.1", "-p", str(port), *command],
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    return done.stdout


def _wait_until(condition: object, what: str, within: float = 20.0) -> None:
    deadline = time.monotonic() + within
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"The local Redis Cluster did not {what} within {within:g} s")
        time.sleep(0.05)


@contextmanager
def local_redis_cluster() -> Iterator[list[int]]:
    """Three cluster-enabled primaries covering every slot; their ports. Stopped afterwards."""
    server, cli = _tool("redis-server"), _tool("redis-cli")
    ports = _spare_ports(2 * NODES)  # a client port and a cluster-bus port per node
    nodes, buses = ports[:NODES], ports[NODES:]
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="jamf-mcp-redis-cluster-") as tmp:
        try:
            for port, bus in zip(nodes, buses, strict=True):
                home = Path(tmp) / str(port)
                home.mkdir()
                options = {
                    "--port": str(port),
                    "--cluster-port": str(bus),
                    "--bind": "127.0.0.1",
                    "--cluster-enabled": "yes",
                    "--cluster-config-file": str(home / "nodes.conf"),
                    "--cluster-node-timeout": "5000",
                    "--dir": str(home),
                    "--save": "",
                    "--appendonly": "no",
                    "--logfile": str(home / "redis.log"),
                }
                command = [server, *(part for pair in options.items() for part in pair)]
                processes.append(
                    subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                )
            for port in nodes:
                _wait_until(lambda p=port: _answers(cli, p, "PING").strip() == "PONG", "start")
            created = subprocess.run(
                [cli, "--cluster", "create", *(f"127.0.0.1:{p}" for p in nodes), *_NO_REPLICAS],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            if created.returncode != 0:
                pytest.fail(f"redis-cli --cluster create failed: {created.stdout[-2000:]}")
            for port in nodes:
                _wait_until(
                    lambda p=port: "cluster_state:ok" in _answers(cli, p, "CLUSTER", "INFO"),
                    "agree on its slots",
                )
            yield nodes
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
