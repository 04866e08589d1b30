"""docs/performance.md: the fleet sections — compliance, bulk, connections, leaks, state."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import bench_bulk
import bench_compliance
import bench_connections
from bench_report_format import heading, mib, ms


def compliance(document: Mapping[str, Any], images: Mapping[str, str]) -> list[str]:
    """Section 3."""
    lines = heading(
        document,
        "compliance",
        "3. `checkDeviceCompliance(30)` on large fleets (target: < 1 s at 100,000 computers, 50 ms per Jamf request, memory flat)",
    )
    result = (document["sections"].get("compliance") or {}).get("result")
    if not result:
        return lines
    lines += [
        "`scripts/bench_compliance.py`: `jamf-mcp serve` runs as its own process with the "
        "embedded simulator adding 50 ms to every Jamf request; the benchmark sends MCP "
        "`tools/call` requests over HTTP (end to end: HTTP → MCP core → use case → Jamf adapter "
        "→ simulated Jamf Pro and back), with `JAMF_MCP_AUTH=none` so it measures the Jamf path, "
        "not token verification. Baselines from the same run: `ping` (the floor of one MCP round "
        "trip), `getFleetSummary` through the same server (it has to download every computer), "
        "and the **naive scan**: the same Jamf adapter (`JamfDeviceInventory.stream` with no "
        "filter — every computer, pages of 500, 5 in flight) against the same simulator, "
        "filtering stale computers locally with the same `CheckInRule` — what a server pays "
        "when it does not push the filter down to Jamf. The naive scan runs in the benchmark's "
        "process with the server stopped, reaching the simulator the way the embedded server "
        "does (`httpx.ASGITransport`), and finds the same stale computers.",
        "",
        bench_compliance.markdown(result),
        "",
    ]
    if images.get("compliance"):
        lines += [f"![Compliance against whole-fleet scans]({images['compliance']})", ""]
    lines += [
        "Why it is fast: the use case asks Jamf for the fleet total (`page-size=1`, reading "
        "`totalCount`) and, concurrently, for the stale computers only "
        '(`filter=general.lastContact<"…Z"`, sorted server-side, sections '
        "`GENERAL,HARDWARE,USER_AND_LOCATION`). That is one round trip of added latency whatever "
        "the fleet size; the server never holds the fleet in memory, so its resident memory does "
        "not move across the compliance runs (the RSS difference between the rows is the "
        "simulator's own records, which live in the same process in embedded mode).",
        "",
        "The whole-fleet figures are what `getFleetSummary` and compliance checks with extra "
        "rules (OS version, FileVault, SIP, …, which Jamf cannot filter on) pay today; they "
        "stream in constant memory, but a larger page size for narrow section sets is the next "
        "lever if fleets of that size need them interactively.",
        "",
    ]
    return lines


def bulk(document: Mapping[str, Any], _images: Mapping[str, str]) -> list[str]:
    """Section 4."""
    lines = heading(
        document,
        "bulk",
        "4. `updateInventory` over 1,000 computers (target: within 1.3\u00d7 of the concurrency bound, progress at least once a second)",
    )
    result = (document["sections"].get("bulk") or {}).get("result")
    if not result:
        return lines
    lines += [
        "`scripts/bench_bulk.py`: the server runs in the benchmark's process (uvicorn on "
        "loopback, so the embedded simulator's request counters can be read; the simulator adds "
        f"{result['latency_ms']:g} ms to every Jamf request) and the official MCP client calls "
        '`updateInventory {"allDevices": true}` over HTTP, accepts the elicitation and records '
        f"every progress notification. {result['devices']:,} of the {result['computers']:,} "
        "simulated computers are managed and selected.",
        "",
        bench_bulk.markdown(result),
        "",
        "- *Dispatch wall time*: from the user's confirmation to the result (audit intent, scope "
        "group, chunks of 25 computers — one group PUT each — the membership read-back and the "
        "audit outcome). The inventory policy is the on-demand one (Ongoing, due on every Mac), "
        "the setup docs/configuration.md recommends.",
        "- *Concurrency bound*: the Jamf requests the run made \u00d7 the latency ÷ 5 in flight — no "
        "schedule of those requests can be faster. *Baseline*: the same number of plain GETs "
        "through the same Jamf client with the same 5 in flight, measured in the same run (the "
        "bound as this machine achieves it).",
        "- The remaining gap is the setup (policy and group list read together, then the group "
        "is created and put in scope: three round trips before the chunks can start) and the "
        "final read-back. Since issue 15 a chunk is one request, not three (no per-policy log "
        "flush, which Jamf does not support, and no blank push, which runs no policy: ADR "
        "0021): the run needs about a third of the requests and half the time it took before "
        "(122 requests, 1.54 s, for the same 973 computers), but those fixed sequential steps "
        "are now a larger share of a much smaller bound, so the ratio rose above 1.3.",
        "",
    ]
    return lines


def connections(document: Mapping[str, Any], _images: Mapping[str, str]) -> list[str]:
    """Section 5."""
    lines = heading(
        document,
        "connections",
        "5. Idle SSE connections (target: 5,000 in under 1 GB, keep-alives on time)",
    )
    result = (document["sections"].get("connections") or {}).get("result")
    if not result:
        return lines
    runs = result["runs"]
    interval = runs[-1]["keepalive_seconds"]
    lines += [
        "`scripts/bench_connections.py` starts `jamf-mcp serve --auth none` (embedded "
        f"simulator, `JAMF_MCP_KEEPALIVE_SECONDS={interval:g}` — shorter than production's 30 s "
        "so the run fits the time budget — `JAMF_MCP_LOG_LEVEL=WARNING`, its open-file limit "
        "raised with `setrlimit` before exec) and, from one asyncio process on the same machine, "
        "opens N concurrent `GET /mcp` streams (`Accept: text/event-stream`, no session: "
        "standalone server-to-client streams) with raw sockets, reading each with a "
        "`StreamReader` and keeping only the arrival times of `:ping` lines. Once every stream "
        "is open it waits the measured keep-alive intervals (plus one to settle), then reads the "
        "server's `VmRSS` and closes everything. Lateness is each gap between two pings on a "
        "stream minus the interval; a stream *missed* a keep-alive if it ended, saw fewer gaps "
        "than intervals measured, or went two intervals without a ping. The baseline (few "
        "streams) runs first, against a fresh server, in the same invocation. The per-principal "
        "rate limit is lifted for the run (every stream comes from the one local operator here).",
        "",
        bench_connections.markdown(runs),
        "",
        "- *Server CPU while idle*: user + system time of the server process over the measuring "
        "window, as a share of one core (keep-alives cost in proportion to streams ÷ interval).",
        "- *After close* stays up: CPython keeps freed memory in its arenas, and each stream's "
        "event log is kept for `Last-Event-ID` resumption until its TTL (15 minutes) expires.",
        "- The client's own event-loop lag (last column) is included in the lateness, since both "
        "run on the same cores.",
        "- Earlier runs (issue 6, same script): 10,000 streams at 82 → 400 MiB with none missed; "
        "the production interval of 30 s at 5,000 streams used about 1 % of a core; with "
        "`REDIS_URL` the run needs `--open-concurrency 50` (redis-py's asyncio pool allows 100 "
        "connections per process and raises instead of waiting; `?max_connections=1000` in "
        "`REDIS_URL` fixes a 200-connect burst). `nox -s bench` runs the memory backend only.",
        "",
    ]
    return lines


def leaks(document: Mapping[str, Any], images: Mapping[str, str]) -> list[str]:
    """Section 6."""
    lines = heading(
        document,
        "leaks",
        "6. Memory over 100,000 tool calls (target: RSS after 100k within 10 % of RSS after 10k)",
    )
    result = (document["sections"].get("leaks") or {}).get("result")
    if not result:
        return lines
    points = result["points"]
    lines += [
        "`scripts/bench_leaks.py`: our server as in section 1 (auth off, `benchEcho` added); wrk "
        f"(`-t1 -c{result['connections']}`, keep-alive) sends stateless `tools/call benchEcho` in "
        "chunks of a fixed number of calls (a Lua counter stops wrk after that many answers), "
        "and the server's VmRSS is read after every chunk.",
        "",
        "| calls served | " + " | ".join(f"{p['calls']:,}" for p in points) + " |",
        "|---|" + "---:|" * len(points),
        "| server RSS | " + " | ".join(f"{p['rss_bytes'] / 2**20:.1f} MiB" for p in points) + " |",
        "",
        f"RSS after {result['calls']:,} calls / after {result['first_chunk_calls']:,}: "
        f"**{result['growth_ratio']:.3f}** (peak {mib(result['peak_rss_bytes'])}; "
        f"{result['calls'] / result['seconds']:,.0f} calls/s over {result['seconds']:.0f} s).",
        "",
    ]
    if images.get("leaks"):
        lines += [f"![Server RSS over tool calls]({images['leaks']})", ""]
    return lines


def state(document: Mapping[str, Any], _images: Mapping[str, str]) -> list[str]:
    """Section 7."""
    lines = heading(
        document, "state", "7. What Redis-backed state adds to a tool call (target: < 2 ms median)"
    )
    result = (document["sections"].get("state") or {}).get("result")
    if not result:
        return lines
    median, p95 = result["median_ms"], result["p95_ms"]
    lines += [
        "`scripts/bench_state.py` starts `jamf-mcp serve` in turn with state in memory and in "
        "Redis (`REDIS_URL`, a key prefix of its own) and times the same session-bound "
        '`tools/call` (`searchDevices "MAC-123"`) over HTTP, one call at a time, alternating '
        "rounds so machine noise hits both alike. With Redis a call pays for the session lookup "
        "and the rate-limit take. Redis runs on the same machine: `--redis-url` or `REDIS_URL` "
        "if given, else the one at redis://127.0.0.1:6379/0, else a private `redis-server` "
        "started for the run.",
        "",
        "| state | tool-call median | p95 |",
        "|---|---:|---:|",
        f"| memory | {ms(median['memory'])} | {ms(p95['memory'])} |",
        f"| Redis | {ms(median['redis'])} | {ms(p95['redis'])} |",
        f"| **Redis adds** | **{ms(result['redis_adds_ms'])}** | |",
        "",
        f"({result['calls_per_backend']:,} calls per backend.)",
        "",
    ]
    return lines
