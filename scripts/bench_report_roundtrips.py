"""Section 8 of docs/performance.md: the read tools against the fewest Jamf round trips."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bench_report_format import heading, ms, status


def roundtrips(document: Mapping[str, Any], _images: Mapping[str, str]) -> list[str]:
    """Section 8."""
    lines = heading(
        document,
        "roundtrips",
        "8. Read tools against the fewest Jamf round trips (target: p50 ≤ 1.15 \u00d7 the floor)",
    )
    result = (document["sections"].get("roundtrips") or {}).get("result")
    if not result:
        return lines
    latency = result["latency_ms"]
    lines += [
        "`scripts/bench_roundtrips.py` (`nox -s bench -- roundtrips`) starts `jamf-mcp serve` on "
        f"the embedded demo tenant (500 computers) with {latency:.0f} ms added to every simulated "
        "Jamf request, warms each tool, then times "
        f"{result['calls']} `tools/call` requests over HTTP, one at a time. The floor is the "
        "fewest round trips the Jamf API allows for that answer times the latency: a device's "
        "details or a search is one filtered inventory request (computers and mobile devices "
        "asked at once count once); a policy by name is one `/JSSResource/policies/name/{name}`; "
        "`listPolicies` is the list plus one page of details, five at a time (Jamf asks for at "
        "most five requests in flight). What is left above the floor is the MCP call, the "
        "simulator answering in the same process (filtering and rendering, which a real Jamf Pro "
        "does on its own servers) and the mapping of the answer.",
        "",
        *(
            [
                f"The machine's 1-minute load average was {result['load_average'][0]} before and "
                f"{result['load_average'][1]} after this section ({document['machine'].get('cpus')}"
                " cores, shared with other work); the benchmark and the server ran at "
                + ("nice -10, so that" if result.get("raised_priority") else "normal priority, so")
                + " other jobs' load stretches a few milliseconds of CPU per call "
                + ("less." if result.get("raised_priority") else "accordingly."),
                "",
            ]
            if result.get("load_average")
            else []
        ),
        "| tool | arguments | fewest round trips | floor | p50 | p95 | p50 / floor | |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for case in result["cases"]:
        arguments = ", ".join(f"`{k}={v}`" for k, v in case["arguments"].items()) or "defaults"
        lines.append(
            f"| `{case['tool']}` | {arguments} | {case['min_round_trips']} ({case['why']}) | "
            f"{ms(case['floor_ms'], 0)} | {ms(case['p50_ms'], 1)} | {ms(case['p95_ms'], 1)} | "
            f"{case['ratio']:.2f} | {status(case['ratio'] <= 1.15)} |"
        )
    lines += [
        "",
        "`getFleetSummary` is above its floor by the volume, not by round trips: it reads every "
        "computer (one page of 500 records with five sections) and maps each one; the simulator "
        "renders those records in the server's own process. Fewer round trips cannot help it; "
        "fewer bytes would (see the notes in ADR 0022).",
        "",
    ]
    return lines
