"""Replicas started at the same moment on one data directory agree on every key and all come up.

Before: the second process to reach `signing-key.json` died with `FileExistsError`, or read the
file while the first was still writing it. Keys are now published whole (hard link of a complete
temporary file), and a loser reads the winner's.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from jamf_mcp.adapters.dev_idp.registration import ClientRegistration
from jamf_mcp.adapters.local_files import DIGEST_KEY_FILE, FileDigestKeys
from jamf_mcp.adapters.oidc.signing import SigningKey
from tests.e2e.conftest import free_port

RACERS = 6
ROUNDS = 5


def _race(data: str, barrier: multiprocessing.synchronize.Barrier, results: object) -> None:
    import asyncio

    barrier.wait()
    directory = Path(data)
    key = SigningKey.load_or_create(directory / "signing-key.json")
    digest = asyncio.run(FileDigestKeys(directory / DIGEST_KEY_FILE).key())
    client = ClientRegistration.load_or_create(directory / "dev-idp-client.json")
    fingerprint = hashlib.sha256(
        key.kid.encode() + digest.secret + client.client_secret.encode()
    ).hexdigest()
    results.put(fingerprint)  # type: ignore[attr-defined]


def test_processes_racing_to_create_the_keys_all_load_the_same_ones(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    for round_number in range(ROUNDS):
        data = tmp_path / f"data-{round_number}"
        barrier = context.Barrier(RACERS)
        results = context.Queue()
        racers = [
            context.Process(target=_race, args=(str(data), barrier, results)) for _ in range(RACERS)
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=60)
        assert [racer.exitcode for racer in racers] == [0] * RACERS
        fingerprints = {results.get(timeout=5) for _ in range(RACERS)}
        assert len(fingerprints) == 1
        assert not [p.name for p in data.iterdir() if p.name.endswith(".tmp")]


def _serve(data: Path, port: int, public_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_", "REDIS"))}
    env.update({"JAMF_MCP_AUTH": "dev", "JAMF_MCP_PUBLIC_URL": public_url})
    with log.open("wb") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "jamf_mcp", "serve", "--port", str(port),
             "--data-dir", str(data)],
            stdout=sink, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip


def test_two_servers_started_together_on_one_data_directory_both_come_up(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ports = [free_port(), free_port()]
    public_url = f"http://127.0.0.1:{ports[0]}"
    logs = [tmp_path / f"serve-{port}.log" for port in ports]
    processes = [_serve(data, port, public_url, log) for port, log in zip(ports, logs, strict=True)]
    try:
        deadline = time.monotonic() + 60
        healthy: set[int] = set()
        while len(healthy) < 2 and time.monotonic() < deadline:
            for process, port, log in zip(processes, ports, logs, strict=True):
                assert process.poll() is None, log.read_text(errors="replace")
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                        healthy.add(port)
                except httpx.TransportError:
                    pass
            time.sleep(0.1)
        assert healthy == set(ports)
        # One signing key: the metadata both publish names the same key.
        jwks = [
            httpx.get(f"http://127.0.0.1:{port}/auth/jwks.json", timeout=5).json() for port in ports
        ]
        assert jwks[0] == jwks[1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)
