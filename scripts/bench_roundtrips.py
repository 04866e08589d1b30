"""Benchmark: every read tool's latency against the fewest Jamf round trips it could need.

Starts `jamf-mcp serve` on the embedded demo tenant (500 computers) with 50 ms added to every
simulated Jamf request (`JAMF_MCP_SIMULATOR_LATENCY_MS`), warms each tool once (the first call
also fetches a token, the server version and the department/building names), then times
`tools/call` over HTTP, one call at a time. For each tool: p50 / (minimum round trips x 50 ms),
where the minimum is what the Jamf API allows for that answer — one filtered inventory request
for a device's details or a search (computers and mobile devices in parallel count once), one
`/JSSResource/policies/name/{name}` for a policy by name, and for `listPolicies` the list plus
the details of one page fetched five at a time (Jamf asks for no more than 5 requests in
flight). Target: ≤ 1.15 for every read tool.

    python scripts/bench_roundtrips.py [--latency-ms 50] [--calls 30] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from bench_processes import free_port

HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-06-18",
}
MAX_IN_FLIGHT = 5
DEMO_POLICIES = 13

# (tool, arguments, minimum Jamf round trips, why)
CASES: tuple[tuple[str, dict[str, Any], int, str], ...] = (
    ("searchDevices", {"searchTerm": "John Smith"}, 1, "computers ∥ mobile devices, filtered"),
    ("getDeviceDetails", {"deviceIdentifier": "MAC-123"}, 1, "one filtered request, all sections"),
    (
        "getDeviceDetails",
        {"deviceIdentifier": "MAC-123", "deviceType": "computer"},
        1,
        "computers only",
    ),
    ("checkDeviceCompliance", {"daysSinceLastCheckin": 30}, 1, "count ∥ stale computers"),
    ("getPolicyDetails", {"policyName": "Software Update"}, 1, "/policies/name/{name}"),
    ("getPolicyDetails", {"policyId": 45}, 1, "/policies/id/{id}"),
    (
        "listPolicies",
        {},
        1 + math.ceil(DEMO_POLICIES / MAX_IN_FLIGHT),
        f"the list, then {DEMO_POLICIES} details {MAX_IN_FLIGHT} at a time",
    ),
    ("getFleetSummary", {}, 1, "one page of 500 computers"),
    (
        "getCommandStatus",
        {"commandUuid": "00000000-0000-0000-0000-000000000000"},
        1,
        "one filtered read",
    ),
    ("search", {"query": "John Smith"}, 1, "devices ∥ policy list"),
    ("fetch", {"id": "computer:123"}, 1, "one filtered request, all sections"),
    ("fetch", {"id": "policy:45"}, 1, "/policies/id/{id}"),
)


def _start(latency_ms: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JAMF_")}
    env |= {
        "JAMF_MCP_SIMULATOR_LATENCY_MS": str(latency_ms),
        "JAMF_MCP_LOG_LEVEL": "WARNING",
        "JAMF_MCP_AUTH": "none",
        "JAMF_MCP_DATA_DIR": tempfile.mkdtemp(prefix="bench-roundtrips-"),
        # no simulated check-ins (500 Macs' policies) landing in the middle of a timed call
        "JAMF_MCP_SIMULATOR_TICK_SECONDS": "3600",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "jamf_mcp", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def _raise_priority() -> bool:
    """Run (and start the server) at nice -10 when allowed: on a machine shared with other jobs,
    what is measured is then the server's own work, not its wait for a CPU."""
    try:
        os.nice(-10)
    except OSError:
        return False
    return True


def _call(client: httpx.Client, tool: str, arguments: dict[str, Any]) -> float:
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": tool, "arguments": arguments},
    }
    started = time.perf_counter()
    response = client.post("/mcp", content=json.dumps(body), headers=HEADERS)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    result = response.json().get("result") or {}
    if result.get("isError") and tool != "getCommandStatus":
        raise SystemExit(f"{tool} {arguments} failed: {result}")
    return elapsed


def measure(latency_ms: float, calls: int) -> dict[str, Any]:
    """Run every case; p50, p95 and the ratio to its minimum, per case."""
    load_before = os.getloadavg()[0]
    raised = _raise_priority()
    process, base = _start(latency_ms)  # the server inherits the priority
    rows = []
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            for tool, arguments, minimum, why in CASES:
                for _ in range(3):  # warm: token, version, names, caches
                    _call(client, tool, arguments)
                samples = sorted(_call(client, tool, arguments) for _ in range(calls))
                p50 = statistics.median(samples) * 1000
                p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))] * 1000
                floor = minimum * latency_ms
                rows.append(
                    {
                        "tool": tool,
                        "arguments": arguments,
                        "min_round_trips": minimum,
                        "why": why,
                        "p50_ms": round(p50, 1),
                        "p95_ms": round(p95, 1),
                        "floor_ms": floor,
                        "ratio": round(p50 / floor, 3),
                    }
                )
                print(
                    f"{tool:<22} {json.dumps(arguments)[:40]:<40} min {minimum} RT  "
                    f"p50 {p50:7.1f} ms  ratio {p50 / floor:.2f}",
                    flush=True,
                )
    finally:
        process.terminate()
        process.wait(timeout=30)
    worst = max(rows, key=lambda row: row["ratio"])
    return {
        "latency_ms": latency_ms,
        "calls": calls,
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "raised_priority": raised,
        "cases": rows,
        "worst_ratio": worst["ratio"],
        "worst_tool": worst["tool"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = measure(args.latency_ms, args.calls)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
