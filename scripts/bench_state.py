"""Benchmark: what Redis-backed shared state adds to a tool call (issue 6 target: < 2 ms median).

Starts `jamf-mcp serve` twice in turn — state in memory, then in Redis (`REDIS_URL`) — and times
the same session-bound `tools/call` over HTTP in each, alternating rounds so machine noise hits
both alike. A call in a session pays, with Redis, for the session lookup and the rate-limit take.

    python scripts/bench_state.py [--calls 400] [--rounds 3] [--redis-url redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from bench_processes import free_port

HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-06-18",
}
CALL = {"name": "searchDevices", "arguments": {"searchTerm": "MAC-123", "limit": 5}}


def _start(redis_url: str | None, data_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "REDIS"))}
    env |= {
        "JAMF_MCP_AUTH": "none",
        "JAMF_MCP_LOG_LEVEL": "WARNING",
        "JAMF_MCP_RATE_LIMIT_PER_MINUTE": "10000000",
    }
    if redis_url:
        env |= {"REDIS_URL": redis_url, "JAMF_MCP_REDIS_PREFIX": f"bench:{uuid.uuid4().hex}:"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jamf_mcp",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(data_dir),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not become ready")


def _time_calls(base: str, calls: int) -> list[float]:
    with httpx.Client(base_url=base, headers=HEADERS, timeout=30) as client:
        init = client.post(
            "/mcp",
            json={
                "jsonrpc": "2.0",
                "id": 0,
                "method": "initialize",
                "params": {"protocolVersion": "2025-06-18", "capabilities": {}},
            },
        )
        session = {"Mcp-Session-Id": init.headers["mcp-session-id"]}
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": CALL}
        for _ in range(20):  # warm-up
            client.post("/mcp", json=body, headers=session)
        samples = []
        for _ in range(calls):
            started = time.perf_counter()
            response = client.post("/mcp", json=body, headers=session)
            samples.append(time.perf_counter() - started)
            response.raise_for_status()
    return samples


def measure(calls: int, rounds: int, redis_url: str, data_dir: Path) -> dict[str, Any]:
    """Alternate memory and Redis rounds; medians per backend and their difference."""
    samples: dict[str, list[float]] = {"memory": [], "redis": []}
    for _ in range(rounds):
        for backend, url in (("memory", None), ("redis", redis_url)):
            process, base = _start(url, data_dir)
            try:
                samples[backend] += _time_calls(base, calls)
            finally:
                process.terminate()
                process.wait(timeout=30)
    medians = {k: statistics.median(v) * 1000 for k, v in samples.items()}
    return {
        "calls_per_backend": calls * rounds,
        "median_ms": medians,
        "p95_ms": {k: sorted(v)[int(0.95 * (len(v) - 1))] * 1000 for k, v in samples.items()},
        "redis_adds_ms": medians["redis"] - medians["memory"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--data-dir", type=Path, default=Path(".jamf-mcp-bench"))
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args()
    result = measure(args.calls, args.rounds, args.redis_url, args.data_dir)
    print(json.dumps(result, indent=2))
    m, p = result["median_ms"], result["p95_ms"]
    print(
        "| state | tool-call median | p95 |\n|---|---:|---:|\n"
        f"| memory | {m['memory']:.2f} ms | {p['memory']:.2f} ms |\n"
        f"| Redis | {m['redis']:.2f} ms | {p['redis']:.2f} ms |\n"
        f"| **Redis adds** | **{result['redis_adds_ms']:.2f} ms** | |"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if result["redis_adds_ms"] < 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
