"""Benchmark: does our server's memory stay flat over 100,000 tool calls? (target: RSS after 100k
within 10 % of RSS after 10k)

Starts our server (`scripts/bench_server.py ours`: `jamf-mcp serve --auth none` with the trivial
`benchEcho` tool added) and sends stateless `tools/call benchEcho` requests with wrk
(`-t1 -c16`, keep-alive, a Lua counter stopping each run after a fixed number of answers), in
chunks of `--chunk` calls, reading the server's VmRSS after every chunk.

    python scripts/bench_leaks.py [--calls 100000] [--chunk 10000] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import bench_wrk
from bench_processes import SCRIPTS, bench_env, free_port, proc_status, server_process
from bench_protocol import HEADERS, SERVER_ENV, body

TARGET_GROWTH = 0.10


def measure(calls: int, chunk: int, connections: int) -> dict[str, Any]:
    """RSS at start, then after every `chunk` calls up to `calls`."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-leaks-") as tmp:
        command = [sys.executable, str(SCRIPTS / "bench_server.py"), "ours", "--port", str(port)]
        command += ["--auth", "none", "--data-dir", str(Path(tmp) / "data")]
        with server_process(command, port=port, env=bench_env(SERVER_ENV)) as server:
            url = f"{server.base_url}/mcp"
            points = [{"calls": 0, "rss_bytes": proc_status(server.pid)["VmRSS"]}]
            done = 0
            started = time.monotonic()
            while done < calls:
                want = min(chunk, calls - done)
                run = bench_wrk.run(
                    url,
                    body("tools/call"),
                    HEADERS,
                    duration_s=600,
                    connections=connections,
                    stop_after=want,
                )
                if run["non_2xx"]:
                    raise SystemExit(f"{run['non_2xx']} answers were not 2xx")
                done += run["requests"]
                points.append({"calls": done, "rss_bytes": proc_status(server.pid)["VmRSS"]})
                print(
                    f"  {done:>7,} calls  RSS {points[-1]['rss_bytes'] / 2**20:.1f} MiB", flush=True
                )
            elapsed = time.monotonic() - started
            peak = proc_status(server.pid)["VmHWM"]
    first = next(p for p in points if p["calls"] >= min(chunk, calls))
    last = points[-1]
    return {
        "tool": "benchEcho",
        "connections": connections,
        "calls": last["calls"],
        "seconds": round(elapsed, 1),
        "points": points,
        "rss_at_start_bytes": points[0]["rss_bytes"],
        "rss_after_first_chunk_bytes": first["rss_bytes"],
        "first_chunk_calls": first["calls"],
        "rss_after_all_bytes": last["rss_bytes"],
        "peak_rss_bytes": peak,
        "growth_ratio": last["rss_bytes"] / first["rss_bytes"],
        "target_growth": TARGET_GROWTH,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args()
    result = measure(args.calls, args.chunk, args.connections)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0 if result["growth_ratio"] <= 1 + TARGET_GROWTH else 1


if __name__ == "__main__":
    raise SystemExit(main())
