"""Benchmark: checkDeviceCompliance(30) end to end against large simulated fleets.

Starts `jamf-mcp serve` (embedded simulator, 50 ms added to every Jamf request) for each fleet
size, then times MCP `tools/call` requests over HTTP. Baselines measured in the same run:
`ping` (the floor of one MCP round trip) and `getFleetSummary` (a whole-fleet download, what a
server that does not push filtering down to Jamf would pay), and the naive baseline: the same Jamf
adapter (`JamfDeviceInventory.stream`, no filter: every computer, page by page) against the same
simulator, filtering stale computers locally with the same `CheckInRule` — run in this process,
with the server stopped, exactly as the embedded server reaches its simulator
(`httpx.ASGITransport`). Reports medians, p95, ratios and the server's resident memory.

    python scripts/bench_compliance.py [--sizes 10000 100000] [--latency-ms 50] [--runs 10] \
        [--full-scan-runs 2] [--markdown FILE] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from bench_processes import free_port

HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-06-18",
}


def _rss_mb(pid: int) -> tuple[float, float]:
    """Current and peak resident memory of a process, in MiB (Linux /proc)."""
    fields = dict(
        line.split(":", 1)
        for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _start(computers: int, latency_ms: float) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JAMF_")}
    env |= {
        "JAMF_MCP_SIMULATOR_COMPUTERS": str(computers),
        "JAMF_MCP_SIMULATOR_LATENCY_MS": str(latency_ms),
        "JAMF_MCP_LOG_LEVEL": "WARNING",
        "JAMF_MCP_AUTH": "none",
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
    raise SystemExit(f"server with {computers} computers did not start")


def _rpc(
    client: httpx.Client, method: str, params: dict[str, Any] | None = None
) -> tuple[float, Any]:
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}
    started = time.perf_counter()
    response = client.post("/mcp", content=json.dumps(body), headers=HEADERS)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    payload = response.json()
    if "error" in payload or payload["result"].get("isError"):
        raise SystemExit(f"{method} failed: {payload}")
    return elapsed, payload["result"]


def _tool(client: httpx.Client, name: str, arguments: dict[str, Any]) -> tuple[float, Any]:
    return _rpc(client, "tools/call", {"name": name, "arguments": arguments})


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000}


async def _naive_scan(computers: int, latency_ms: float, days: int) -> dict[str, Any]:
    from jamf_mcp.application.use_cases.check_device_compliance import REPORT_ASPECTS
    from jamf_mcp.domain.compliance import CheckInRule
    from jamf_mcp.domain.devices import DeviceKind
    from jamf_mcp.domain.queries import DeviceQuery
    from jamf_mcp.main import build_container
    from jamf_mcp.settings import AuthSettings, JamfSettings, Settings, SimulatorSettings

    with tempfile.TemporaryDirectory(prefix="bench-naive-") as data_dir:
        settings = Settings(
            data_dir=Path(data_dir),
            jamf=JamfSettings(),
            simulator=SimulatorSettings(
                computers=computers, latency_ms=latency_ms, tick_seconds=3600
            ),
            auth=AuthSettings(mode="none"),
        )
        container = build_container(settings)
        await container.init_resources()  # type: ignore[misc]
        try:
            inventory = container.jamf.inventory()
            inventory = await inventory if inspect.isawaitable(inventory) else inventory
            everything = DeviceQuery()
            await inventory.count(DeviceKind.COMPUTER, everything)  # warm-up: token, versions
            rule = CheckInRule(max_days=days)
            started = time.perf_counter()
            now = datetime.now(UTC)
            seen = stale = 0
            async for device in inventory.stream(
                DeviceKind.COMPUTER, everything, aspects=REPORT_ASPECTS
            ):
                seen += 1
                stale += rule.evaluate(device, now) is not None
            elapsed = time.perf_counter() - started
        finally:
            await container.shutdown_resources()  # type: ignore[misc]
    return {
        "seconds": elapsed,
        "computers_seen": seen,
        "stale_found": stale,
        "page_size": settings.jamf.page_size,
        "pages_in_flight": settings.jamf.max_in_flight,
    }


def naive_scan(computers: int, latency_ms: float, days: int = 30) -> dict[str, Any]:
    """Every computer through the Jamf adapter with no filter, stale ones counted locally."""
    return asyncio.run(_naive_scan(computers, latency_ms, days))


def measure(
    computers: int, latency_ms: float, runs: int, full_scan_runs: int | None = None
) -> dict[str, Any]:
    """Run the scenario for one fleet size."""
    process, base = _start(computers, latency_ms)
    try:
        with httpx.Client(base_url=base, timeout=300) as client:
            _rpc(
                client,
                "initialize",
                {
                    "protocolVersion": "2025-06-18",
                    "capabilities": {},
                    "clientInfo": {"name": "bench", "version": "1"},
                },
            )
            _tool(
                client, "checkDeviceCompliance", {"daysSinceLastCheckin": 30}
            )  # warm-up (token, versions, names)
            rss_before, _ = _rss_mb(process.pid)
            ping = [_rpc(client, "ping")[0] for _ in range(runs)]
            compliance: list[float] = []
            summary: dict[str, Any] = {}
            for _ in range(runs):
                elapsed, result = _tool(
                    client, "checkDeviceCompliance", {"daysSinceLastCheckin": 30}
                )
                compliance.append(elapsed)
                summary = result["structuredContent"]["summary"]
            rss_after, _ = _rss_mb(process.pid)
            scans = full_scan_runs if full_scan_runs is not None else max(2, runs // 5)
            full_scan = [_tool(client, "getFleetSummary", {})[0] for _ in range(scans)]
            _, rss_peak = _rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    naive = naive_scan(computers, latency_ms)
    compliance_stats = _stats(compliance)
    return {
        "computers": computers,
        "latency_ms": latency_ms,
        "runs": runs,
        "compliance": compliance_stats,
        "ping": _stats(ping),
        "full_fleet_download": _stats(full_scan),
        "naive_full_scan": naive,
        "compliance_over_naive": compliance_stats["median_ms"] / 1000 / naive["seconds"],
        "summary": {k: summary[k] for k in ("total", "noncompliant", "critical", "warning")},
        "rss_mb": {
            "before": rss_before,
            "after_compliance": rss_after,
            "peak_incl_full_scan": rss_peak,
        },
    }


def markdown(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| computers | Jamf latency | compliance median (p95) | ping median | whole-fleet download median | naive scan (adapter, no filter) | compliance / naive | RSS before → after compliance runs | result |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        c, p, f = r["compliance"], r["ping"], r["full_fleet_download"]
        s, m, n = r["summary"], r["rss_mb"], r["naive_full_scan"]
        lines.append(
            f"| {r['computers']:,} | {r['latency_ms']:g} ms | {c['median_ms']:.0f} ms ({c['p95_ms']:.0f} ms) "
            f"| {p['median_ms']:.1f} ms | {f['median_ms']:.0f} ms | {n['seconds'] * 1000:.0f} ms "
            f"({n['stale_found']} stale) | {r['compliance_over_naive']:.3f} "
            f"| {m['before']:.0f} → {m['after_compliance']:.0f} MiB "
            f"| {s['total']:,} total, {s['noncompliant']} non-compliant ({s['critical']} critical) |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--full-scan-runs", type=int, help="getFleetSummary runs (default: runs / 5, at least 2)"
    )
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    results = [
        measure(size, args.latency_ms, args.runs, args.full_scan_runs) for size in args.sizes
    ]
    print(json.dumps(results, indent=2))
    table = markdown(results)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    slowest = max(r["compliance"]["median_ms"] for r in results)
    return 0 if slowest < 1000 else 1


if __name__ == "__main__":
    raise SystemExit(main())
