"""Benchmark: thousands of idle SSE streams on one server — memory, and keep-alives on time.

Starts `jamf-mcp serve --auth none` (embedded simulator, a short keep-alive interval, logs at
WARNING) with a raised open-file limit, then opens N concurrent `GET /mcp` streams (`Accept:
text/event-stream`, no session — a standalone server-to-client stream) from one asyncio process
and leaves them idle. Measured per run: the server's resident memory (VmRSS) before the streams,
with all of them open, and after they are closed; and, on every stream, the gaps between `:ping`
comments for at least three intervals once all streams are open: lateness against the interval
(median, p99, max), and streams that missed a keep-alive. A baseline run with few streams comes
first, against a fresh server, in the same invocation.

Target (issue 6): 5,000 streams with the server under 1 GB (10^9 bytes) of RSS, no missed
keep-alive and p99 lateness under 1 s; the exit code is 1 when the large run misses it.

    python scripts/bench_connections.py [--connections 5000] [--baseline 100] \
        [--keepalive-seconds 5] [--intervals 4] [--open-concurrency 200] \
        [--redis-url redis://127.0.0.1:6379/0] [--json FILE]

Lateness is measured where a client sees it (the client runs on the same machine, so its own
event-loop lag, reported alongside, is included).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
from bench_processes import cpu_seconds, free_port, proc_status

TARGET_CONNECTIONS = 5000
TARGET_RSS_BYTES = 1_000_000_000
TARGET_P99_LATENESS_SECONDS = 1.0
FD_HEADROOM = 1024


def _raise_fd_limit(needed: int) -> int:
    """Raise this process's RLIMIT_NOFILE to at least `needed` (the hard limit too, if allowed)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return soft
    if hard != resource.RLIM_INFINITY and hard < needed:
        hard = needed  # needs CAP_SYS_RESOURCE (root); fails loudly otherwise
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    return needed


@contextlib.contextmanager
def _server(
    connections: int, keepalive: float, redis_url: str | None
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """`jamf-mcp serve --auth none` on a free loopback port, with room for `connections` sockets."""
    port = free_port()
    fd_limit = connections + FD_HEADROOM
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_"))}
    env.pop("REDIS_URL", None)
    env |= {
        "JAMF_MCP_KEEPALIVE_SECONDS": f"{keepalive:g}",
        "JAMF_MCP_LOG_LEVEL": "WARNING",
        # Every stream here comes from the one local operator; the per-principal limit is not
        # what this measures (5,000 users each opening a stream would each have their own).
        "JAMF_MCP_RATE_LIMIT_PER_MINUTE": str(1_000_000),
    }
    if redis_url:  # shared state, as with several replicas; a key prefix of this run's own
        env |= {"REDIS_URL": redis_url, "JAMF_MCP_REDIS_PREFIX": f"bench-{os.getpid()}-{port}:"}
    with tempfile.TemporaryDirectory(prefix="bench-connections-") as tmp:
        log = Path(tmp) / "serve.log"
        command = [str(Path(sys.executable).with_name("jamf-mcp")), "serve", "--auth", "none"]
        command += ["--port", str(port), "--data-dir", str(Path(tmp) / "data")]
        with log.open("wb") as sink:
            process = subprocess.Popen(
                command,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                preexec_fn=lambda: _raise_fd_limit(fd_limit),
            )
        try:
            _wait_healthy(process, port, log)
            yield process, port
        except Exception:
            if process.poll() is not None:
                print(f"the server exited ({process.returncode}):", file=sys.stderr)
                print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_healthy(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"jamf-mcp serve exited early:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"jamf-mcp serve did not become healthy:\n{log.read_text(errors='replace')}")


class IdleStream:
    """One idle `GET /mcp` stream: only `:ping` arrival times are kept."""

    __slots__ = ("ended", "pings", "reader", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.pings: list[float] = []
        self.ended: str | None = None

    async def listen(self) -> None:
        """Record every `:ping` line until the stream ends (chunk framing lines are skipped)."""
        try:
            while line := await self.reader.readline():
                if line.startswith(b":ping"):
                    self.pings.append(time.monotonic())
            self.ended = "closed by the server"
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as error:
            self.ended = f"{type(error).__name__}: {error}"


def _request(port: int) -> bytes:
    return (
        "GET /mcp HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Accept: text/event-stream\r\n"
        "MCP-Protocol-Version: 2025-06-18\r\n"
        "\r\n"
    ).encode()


async def _open_stream(port: int, gate: asyncio.Semaphore) -> IdleStream:
    async with gate:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(_request(port))
        status = await reader.readline()
        if not status.startswith(b"HTTP/1.1 200"):
            writer.close()
            raise ConnectionError(f"GET /mcp answered {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass  # response headers
        return IdleStream(reader, writer)


class LoopLag:
    """How late this process's own event loop wakes up (so client lag is not blamed on the server)."""

    def __init__(self, period: float = 0.1) -> None:
        self.period = period
        self.lags: list[float] = []

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            started = loop.time()
            await asyncio.sleep(self.period)
            self.lags.append(loop.time() - started - self.period)


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] if ordered else math.nan


def _punctuality(
    streams: list[IdleStream], start: float, end: float, interval: float, intervals: int
) -> dict[str, Any]:
    """Keep-alive gaps observed in [start, end] on every stream, against `interval`."""
    lateness: list[float] = []
    missed = 0
    for stream in streams:
        pings = [t for t in stream.pings if start <= t <= end]
        gaps = [b - a for a, b in itertools.pairwise(pings)]
        lateness.extend(gap - interval for gap in gaps)
        silent_tail = end - (pings[-1] if pings else start)
        if (
            stream.ended is not None
            or len(gaps) < intervals
            or any(gap >= 2 * interval for gap in gaps)
            or silent_tail >= 2 * interval
        ):
            missed += 1
    ordered = sorted(lateness)
    ended = Counter(stream.ended for stream in streams if stream.ended is not None)
    return {
        "streams_ended_early": dict(ended.most_common(3)),
        "gaps_measured": len(ordered),
        "lateness_median_s": statistics.median(ordered) if ordered else math.nan,
        "lateness_p99_s": _quantile(ordered, 0.99),
        "lateness_max_s": ordered[-1] if ordered else math.nan,
        "longest_silence_s": interval + ordered[-1] if ordered else math.nan,
        "streams_that_missed_a_keepalive": missed,
    }


async def _hold_streams(
    pid: int, port: int, connections: int, interval: float, intervals: int, concurrency: int
) -> dict[str, Any]:
    gate = asyncio.Semaphore(concurrency)
    warm_up = await asyncio.gather(*(_open_stream(port, gate) for _ in range(10)))
    for stream in warm_up:
        stream.writer.close()
    await asyncio.sleep(1.0)
    before = proc_status(pid)

    lag = LoopLag()
    lag_task = asyncio.create_task(lag.run())
    opening_started = time.monotonic()
    opened = await asyncio.gather(
        *(_open_stream(port, gate) for _ in range(connections)), return_exceptions=True
    )
    streams = [s for s in opened if isinstance(s, IdleStream)]
    failures = [repr(s) for s in opened if not isinstance(s, IdleStream)]
    all_open = time.monotonic()
    listeners = [asyncio.create_task(stream.listen()) for stream in streams]
    lag.lags.clear()  # lag while opening is not what the window measures

    window = (intervals + 1) * interval + 1.0
    cpu_before = cpu_seconds(pid)
    await asyncio.sleep(window)
    end = time.monotonic()
    cpu_used = cpu_seconds(pid) - cpu_before
    with_streams = proc_status(pid)
    server_fds = len(os.listdir(f"/proc/{pid}/fd"))
    punctuality = _punctuality(streams, all_open, end, interval, intervals)

    for stream in streams:
        stream.writer.close()
    for task in [*listeners, lag_task]:
        task.cancel()
    await asyncio.gather(*listeners, lag_task, return_exceptions=True)
    await asyncio.sleep(3.0)  # let the server notice the closed sockets and drop their streams
    after = proc_status(pid)
    lags = sorted(lag.lags)
    return {
        "connections": connections,
        "opened": len(streams),
        "open_failures": len(failures),
        "open_failure_examples": failures[:3],
        "seconds_to_open_all": round(all_open - opening_started, 2),
        "keepalive_seconds": interval,
        "window_seconds": round(end - all_open, 2),
        "server_rss_bytes": {
            "before": before["VmRSS"],
            "all_open": with_streams["VmRSS"],
            "after_close": after["VmRSS"],
            "peak": after["VmHWM"],
        },
        "server_open_fds": server_fds,
        "server_rss_per_stream_kib": round(
            (with_streams["VmRSS"] - before["VmRSS"]) / max(len(streams), 1) / 1024, 1
        ),
        "server_cpu_percent_of_a_core_while_idle": round(100 * cpu_used / (end - all_open), 1),
        "client_loop_lag_p99_s": _quantile(lags, 0.99),
        "client_loop_lag_max_s": lags[-1] if lags else math.nan,
        **punctuality,
    }


def measure(
    connections: int,
    keepalive: float,
    intervals: int,
    concurrency: int,
    redis_url: str | None = None,
) -> dict[str, Any]:
    """One run against a fresh server."""
    with _server(connections, keepalive, redis_url) as (process, port):
        run = asyncio.run(
            _hold_streams(process.pid, port, connections, keepalive, intervals, concurrency)
        )
    return {"state": "redis" if redis_url else "memory", **run}


def verdict(run: dict[str, Any]) -> list[str]:
    """What the issue 6 target says of a run ([] when it is met)."""
    problems = []
    if run["opened"] < run["connections"]:
        problems.append(f"only {run['opened']} of {run['connections']} streams opened")
    if run["server_rss_bytes"]["all_open"] >= TARGET_RSS_BYTES:
        problems.append(f"server RSS {run['server_rss_bytes']['all_open'] / 1e9:.2f} GB ≥ 1 GB")
    if run["streams_that_missed_a_keepalive"]:
        problems.append(f"{run['streams_that_missed_a_keepalive']} streams missed a keep-alive")
    if not run["lateness_p99_s"] < TARGET_P99_LATENESS_SECONDS:
        problems.append(f"p99 keep-alive lateness {run['lateness_p99_s']:.3f} s ≥ 1 s")
    return problems


def _mib(value: int) -> str:
    return f"{value / 2**20:.0f} MiB"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def markdown(runs: list[dict[str, Any]]) -> str:
    """The runs as a Markdown table."""
    lines = [
        "| idle streams | state | keep-alive | server RSS before → all open → after close | per stream "
        "| keep-alive lateness median / p99 / max | streams that missed one | gaps measured "
        "| server CPU while idle | time to open all | client loop lag p99 |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        rss = r["server_rss_bytes"]
        lines.append(
            f"| {r['opened']:,} of {r['connections']:,} | {r['state']} | {r['keepalive_seconds']:g} s "
            f"| {_mib(rss['before'])} → {_mib(rss['all_open'])} → {_mib(rss['after_close'])} "
            f"| {r['server_rss_per_stream_kib']:.1f} KiB "
            f"| {_ms(r['lateness_median_s'])} / {_ms(r['lateness_p99_s'])} / "
            f"{_ms(r['lateness_max_s'])} | {r['streams_that_missed_a_keepalive']} "
            f"| {r['gaps_measured']:,} | {r['server_cpu_percent_of_a_core_while_idle']:.0f} % "
            f"| {r['seconds_to_open_all']:.1f} s | {_ms(r['client_loop_lag_p99_s'])} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=TARGET_CONNECTIONS)
    parser.add_argument("--baseline", type=int, default=100, help="streams in the baseline run")
    parser.add_argument("--keepalive-seconds", type=float, default=5.0)
    parser.add_argument("--intervals", type=int, default=4, help="keep-alive intervals (≥ 3)")
    parser.add_argument("--open-concurrency", type=int, default=200, help="connects in flight")
    parser.add_argument(
        "--redis-url", help="keep the server's state in this Redis (REDIS_URL), as replicas do"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    if args.intervals < 3:
        parser.error("--intervals must be at least 3")
    fd_limit = _raise_fd_limit(max(args.connections, args.baseline) + FD_HEADROOM)
    runs = [
        measure(
            count, args.keepalive_seconds, args.intervals, args.open_concurrency, args.redis_url
        )
        for count in (args.baseline, args.connections)
    ]
    large = runs[-1]
    problems = verdict(large) if large["connections"] >= TARGET_CONNECTIONS else []
    result = {
        "target": {
            "connections": TARGET_CONNECTIONS,
            "server_rss_below_bytes": TARGET_RSS_BYTES,
            "p99_lateness_below_s": TARGET_P99_LATENESS_SECONDS,
            "missed_keepalives": 0,
        },
        "machine": {"cpus": os.cpu_count(), "client_fd_limit": fd_limit},
        "runs": runs,
        "target_met": not problems if large["connections"] >= TARGET_CONNECTIONS else None,
        "problems": problems,
    }
    text = json.dumps(result, indent=2)
    print(text)
    print(markdown(runs))
    if args.json:
        args.json.write_text(text + "\n")
    for problem in problems:
        print(f"target missed: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
