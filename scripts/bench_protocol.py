"""Benchmark: MCP protocol overhead over Streamable HTTP — ours, the official SDK, and a bare floor.

Three servers, each started alone in its own process by `scripts/bench_server.py` (one uvicorn
worker, the uvicorn options `jamf_mcp.main.run_http` uses, recorded from our server at start-up
and applied to the other two), loaded one at a time with `wrk -t1 -c16 -d8s --latency` POSTing
one JSON-RPC request over and over (JSON responses, no session — all three serve stateless
requests): `ping`, `tools/list`, and `tools/call` of `benchEcho` (a trivial in-memory tool).
Each (server, operation) pair is checked for a correct answer and warmed up with a discarded
wrk run first. Then the same with a bearer JWT on every request (ours in `dev` mode with a token
minted like `jamf-mcp dev-token`; the SDK with a joserfc `TokenVerifier` on the same key).

Also a session-bound sequence (`initialize` → `notifications/initialized` → `tools/list` →
`tools/call` → `DELETE`), one after another from an asyncio httpx client, against ours and the
SDK (stateful, JSON responses): median latency of each step.

    python scripts/bench_protocol.py [--duration 8] [--warmup 2] [--sequence-runs 200] \
        [--servers ours sdk floor] [--no-jwt] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import bench_wrk
import httpx
from bench_processes import (
    SCRIPTS,
    ServerProcess,
    bench_env,
    free_port,
    proc_status,
    server_process,
)

PROTOCOL_VERSION = "2025-06-18"
HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": PROTOCOL_VERSION,
}
OPERATIONS: dict[str, dict[str, Any]] = {
    "ping": {"jsonrpc": "2.0", "id": 1, "method": "ping"},
    "tools/list": {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}},
    "tools/call": {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "benchEcho", "arguments": {"text": "hello"}},
    },
}
SERVER_ENV = {  # logs as the container image writes them: every request's access line, JSON
    "JAMF_MCP_LOG_LEVEL": "INFO",
    "JAMF_MCP_LOG_FORMAT": "json",
    "JAMF_MCP_RATE_LIMIT_PER_MINUTE": str(10**9),
    "JAMF_MCP_AUTH_RATE_LIMIT_PER_MINUTE": str(10**9),
}


def body(operation: str) -> str:
    """The exact request body wrk sends for an operation."""
    return json.dumps(OPERATIONS[operation], separators=(",", ":"))


def mint_token(data_dir: Path, base_url: str) -> str:
    """A token from `jamf-mcp dev-token` (the server's own key in `data_dir`, for `base_url`)."""
    done = subprocess.run(
        [
            *(sys.executable, "-m", "jamf_mcp", "dev-token", "--data-dir", str(data_dir)),
            *("--server", base_url, "--subject", "alice", "--scope", "read:jamf write:jamf"),
        ],
        env=bench_env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


def check_answer(operation: str, response: httpx.Response) -> None:
    """Fail loudly unless the server answered this operation correctly, as JSON."""
    if response.status_code != 200 or not response.headers.get("content-type", "").startswith(
        "application/json"
    ):
        raise SystemExit(
            f"{operation}: HTTP {response.status_code} {response.headers.get('content-type')}: "
            f"{response.text[:500]}"
        )
    result = response.json().get("result")
    ok = {
        "ping": result == {},
        "tools/list": isinstance(result, dict)
        and "benchEcho" in [tool.get("name") for tool in result.get("tools", [])],
        "tools/call": isinstance(result, dict)
        and not result.get("isError")
        and "hello" in json.dumps(result.get("structuredContent")),
    }[operation]
    if not ok:
        raise SystemExit(f"{operation}: unexpected answer {response.text[:500]}")


def _command(
    kind: str, port: int, auth: str, data_dir: Path, options: Path, answers: Path
) -> list[str]:
    command = [sys.executable, str(SCRIPTS / "bench_server.py"), kind, "--port", str(port)]
    command += ["--data-dir", str(data_dir)]
    if kind == "ours":
        return [
            *command,
            "--auth",
            "dev" if auth == "jwt" else "none",
            "--options-out",
            str(options),
        ]
    command += ["--options", str(options)]
    if kind == "sdk":
        return [*command, "--auth", auth]
    return [*command, "--answers", str(answers)]


def load_server(
    server: ServerProcess,
    headers: Mapping[str, str],
    *,
    duration: float,
    warmup: float,
    connections: int,
    threads: int,
    operations: tuple[str, ...] = tuple(OPERATIONS),
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Check, warm up and measure each operation; also the answers (for the floor)."""
    runs, answers = [], {}
    url = f"{server.base_url}/mcp"
    for operation in operations:
        response = httpx.post(url, content=body(operation), headers=headers, timeout=30)
        check_answer(operation, response)
        answers[operation] = response.text
        load = {"threads": threads, "connections": connections}
        if warmup > 0:
            bench_wrk.run(url, body(operation), headers, duration_s=warmup, **load)
        result = bench_wrk.run(url, body(operation), headers, duration_s=duration, **load)
        if result["non_2xx"]:
            raise SystemExit(
                f"{operation}: {result['non_2xx']} of {result['requests']} answers were not 2xx"
            )
        result["operation"] = operation
        runs.append(result)
        print(
            f"  {operation:<10} {result['requests_per_s']:8.0f} req/s  "
            f"p50 {result['latency'].get('p50_ms', float('nan')):6.2f} ms  "
            f"p99 {result['latency'].get('p99_ms', float('nan')):6.2f} ms",
            flush=True,
        )
    return runs, answers


async def _sequences(base_url: str, runs: int, warmup: int) -> dict[str, Any]:
    steps: dict[str, list[float]] = {
        k: [] for k in ("initialize", "initialized", "tools/list", "tools/call", "delete", "total")
    }
    initialize = {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "bench", "version": "1"},
        },
    }
    async with httpx.AsyncClient(base_url=base_url, headers=HEADERS, timeout=30) as client:
        for index in range(warmup + runs):
            marks = [time.perf_counter()]
            response = await client.post("/mcp", json=initialize)
            response.raise_for_status()
            session = {"Mcp-Session-Id": response.headers["mcp-session-id"]}
            marks.append(time.perf_counter())
            note = {"jsonrpc": "2.0", "method": "notifications/initialized"}
            (await client.post("/mcp", json=note, headers=session)).raise_for_status()
            marks.append(time.perf_counter())
            for operation in ("tools/list", "tools/call"):
                response = await client.post("/mcp", json=OPERATIONS[operation], headers=session)
                check_answer(operation, response)
                marks.append(time.perf_counter())
            await client.delete("/mcp", headers=session)
            marks.append(time.perf_counter())
            if index < warmup:
                continue
            for name, start, end in zip(steps, marks, marks[1:], strict=False):
                steps[name].append(end - start)
            steps["total"].append(marks[4] - marks[0])
    return {
        "runs": runs,
        "median_ms": {k: statistics.median(v) * 1000 for k, v in steps.items()},
        "p95_ms": {k: sorted(v)[int(0.95 * (len(v) - 1))] * 1000 for k, v in steps.items()},
    }


def sequence_check(server: ServerProcess, runs: int) -> dict[str, Any]:
    """Median latency of each step of a whole session, run one session after another."""
    return asyncio.run(_sequences(server.base_url, runs, warmup=max(5, runs // 10)))


ABLATION = (  # (step, extra bench_server arguments, environment overrides), cheapest first
    ("MCP endpoint only", ["--without-observability"], {}),
    ("+ request ids and metrics", [], {"JAMF_MCP_LOG_LEVEL": "WARNING"}),
    ("+ access log (production)", [], {}),
)


def ablation(args: argparse.Namespace, work: Path, options: Path) -> list[dict[str, Any]]:
    """`ping` with auth off, one layer of our HTTP stack added at a time.

    The first step replaces the request-observability middleware by nothing; the second keeps
    it but filters the access log out (level WARNING); the third is production as measured above
    (measured again here, so the three steps come from back-to-back runs).
    """
    steps = []
    for step, extra, env in ABLATION:
        port = free_port()
        command = _command("ours", port, "none", work / "data-ablation", options, work / "unused")
        with server_process(
            [*command, *extra], port=port, env=bench_env({**SERVER_ENV, **env})
        ) as server:
            print(f"ablation: {step}", flush=True)
            measured, _ = load_server(
                server,
                HEADERS,
                duration=args.duration,
                warmup=args.warmup,
                connections=args.connections,
                threads=args.threads,
                operations=("ping",),
            )
        steps.append({"step": step, **measured[0]})
    return steps


def implementations(options: Mapping[str, Any]) -> dict[str, str]:
    """Which HTTP parser and event loop uvicorn uses with these options in this environment."""
    http, loop = options.get("http", "auto"), options.get("loop", "auto")
    if http == "auto":
        http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    if loop == "auto":
        loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    return {"http": str(http), "loop": str(loop)}


def ratios(runs: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float | None]]]:
    """ours/SDK and ours/floor requests per second, by auth mode and operation."""
    rate = {(r["server"], r["auth"], r["operation"]): r["requests_per_s"] for r in runs}
    out: dict[str, dict[str, dict[str, float | None]]] = {}
    for auth in ("none", "jwt"):
        for operation in OPERATIONS:
            ours = rate.get(("ours", auth, operation))
            if ours is None:
                continue
            sdk = rate.get(("sdk", auth, operation))
            floor = rate.get(("floor", "none", operation))
            out.setdefault(auth, {})[operation] = {
                "ours_over_sdk": ours / sdk if sdk else None,
                "ours_over_floor": ours / floor if floor and auth == "none" else None,
            }
    return out


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every server in turn (never two at once), then the session sequences."""
    plan = [(kind, "none") for kind in ("ours", "sdk", "floor") if kind in args.servers]
    if not args.no_jwt:
        plan += [(kind, "jwt") for kind in ("ours", "sdk") if kind in args.servers]
    runs: list[dict[str, Any]] = []
    servers: list[dict[str, Any]] = []
    sequences: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-protocol-") as tmp:
        work = Path(tmp)
        options, answers = work / "uvicorn-options.json", work / "answers.json"
        if "ours" not in args.servers:
            options.write_text(json.dumps({"options": {}, "not_copied": []}))
        for kind, auth in plan:
            port = free_port()
            data_dir = work / f"data-{kind}-{auth}"
            headers = dict(HEADERS)
            if auth == "jwt":
                headers["Authorization"] = (
                    f"Bearer {mint_token(data_dir, f'http://127.0.0.1:{port}')}"
                )
            print(f"{kind} (auth {auth}) on port {port}", flush=True)
            command = _command(kind, port, auth, data_dir, options, answers)
            started = time.monotonic()
            with server_process(command, port=port, env=bench_env(SERVER_ENV)) as server:
                startup = time.monotonic() - started
                measured, answered = load_server(
                    server,
                    headers,
                    duration=args.duration,
                    warmup=args.warmup,
                    connections=args.connections,
                    threads=args.threads,
                )
                if kind == "ours" and auth == "none":
                    answers.write_text(json.dumps(answered))
                    if args.sequence_runs:
                        sequences["ours"] = sequence_check(server, args.sequence_runs)
                rss = proc_status(server.pid)
            runs += [{"server": kind, "auth": auth, **run} for run in measured]
            servers.append(
                {"server": kind, "auth": auth, "startup_s": round(startup, 2), "rss_bytes": rss}
            )
        if "sdk" in args.servers and args.sequence_runs:
            port = free_port()
            command = [sys.executable, str(SCRIPTS / "bench_server.py"), "sdk", "--stateful"]
            command += ["--port", str(port), "--options", str(options)]
            with server_process(command, port=port, env=bench_env(SERVER_ENV)) as server:
                sequences["sdk"] = sequence_check(server, args.sequence_runs)
        steps = ablation(args, work, options) if "ours" in args.servers and args.ablation else []
        uvicorn_options = json.loads(options.read_text())
    return {
        "load": {
            "tool": "wrk",
            "threads": args.threads,
            "connections": args.connections,
            "duration_s": args.duration,
            "warmup_s": args.warmup,
            "protocol_version": PROTOCOL_VERSION,
        },
        "uvicorn": {
            **uvicorn_options,
            "implementations": implementations(uvicorn_options["options"]),
        },
        "runs": runs,
        "servers": servers,
        "ratios": ratios(runs),
        "sequence": sequences,
        "ablation": steps,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per wrk run")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of discarded load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sequence-runs", type=int, default=200, help="0 to skip")
    parser.add_argument(
        "--servers", nargs="+", choices=["ours", "sdk", "floor"], default=["ours", "sdk", "floor"]
    )
    parser.add_argument("--no-jwt", action="store_true", help="skip the bearer-token runs")
    parser.add_argument(
        "--no-ablation", dest="ablation", action="store_false", help="skip the layer-by-layer runs"
    )
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args()
    bench_wrk.ensure_wrk()
    result = measure(args)
    text = json.dumps(result, indent=2)
    print(json.dumps(result["ratios"], indent=2))
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
