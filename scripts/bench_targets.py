"""The targets the benchmarks are held to, checked against a run's results.

Each check gives a `Target` row: what is measured, the limit, the value, and whether it is met
(None: not measured in this run, e.g. a section was skipped or failed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

PROTOCOL_OPERATIONS = ("ping", "tools/list", "tools/call")
TIMES = "\u00d7"


@attrs.frozen
class Target:
    """One target and how this run did against it."""

    section: str
    name: str
    limit: str
    value: float | None
    shown: str
    met: bool | None

    def to_json(self) -> dict[str, Any]:
        """For latest.json."""
        return attrs.asdict(self)


def _row(
    section: str, name: str, limit: str, value: float | None, shown: str, ok: bool | None
) -> Target:
    return Target(section, name, limit, value, shown if value is not None else "not measured", ok)


def _at_least(section: str, name: str, value: float | None, limit: float, fmt: str) -> Target:
    met = None if value is None else value >= limit
    return _row(section, name, f"≥ {fmt.format(limit)}", value, fmt.format(value or 0), met)


def _at_most(section: str, name: str, value: float | None, limit: float, fmt: str) -> Target:
    met = None if value is None else value <= limit
    return _row(section, name, f"≤ {fmt.format(limit)}", value, fmt.format(value or 0), met)


def protocol(result: Mapping[str, Any] | None) -> list[Target]:
    """ours ≥ 4x SDK and ≥ 60 % of the floor (auth off); ≥ 3x SDK with a JWT on every request."""
    ratios = (result or {}).get("ratios", {})
    rows = []
    for operation in PROTOCOL_OPERATIONS:
        off = ratios.get("none", {}).get(operation, {})
        jwt = ratios.get("jwt", {}).get(operation, {})
        rows += [
            _at_least(
                "protocol",
                f"{operation}: ours / SDK, auth off",
                off.get("ours_over_sdk"),
                4,
                "{:.2f}" + TIMES,
            ),
            _at_least(
                "protocol",
                f"{operation}: ours / floor, auth off",
                off.get("ours_over_floor"),
                0.6,
                "{:.0%}",
            ),
            _at_least(
                "protocol",
                f"{operation}: ours / SDK, JWT on",
                jwt.get("ours_over_sdk"),
                3,
                "{:.2f}" + TIMES,
            ),
        ]
    return rows


def tokens(result: Mapping[str, Any] | None) -> list[Target]:
    """Median verification time ≤ 100 µs, own issuer and cached remote JWKS, first sight."""
    result = result or {}
    static = result.get("own_issuer_static_jwks", {}).get("median_us")
    remote = result.get("upstream_issuer_remote_jwks_cached", {}).get("median_us")
    return [
        _at_most(
            "tokens",
            "token validation median, new token, own key (StaticJwks)",
            static,
            100,
            "{:.0f} µs",
        ),
        _at_most(
            "tokens",
            "token validation median, new token, cached RemoteJwks",
            remote,
            100,
            "{:.0f} µs",
        ),
    ]


def compliance(result: list[Mapping[str, Any]] | None) -> list[Target]:
    """checkDeviceCompliance(30) median ≤ 1 s at the largest fleet measured (100,000 in full runs)."""
    if not result:
        return [
            _row(
                "compliance", "checkDeviceCompliance median at 100,000", "≤ 1000 ms", None, "", None
            )
        ]
    largest = max(result, key=lambda run: run["computers"])
    return [
        _at_most(
            "compliance",
            f"checkDeviceCompliance median at {largest['computers']:,} computers",
            largest["compliance"]["median_ms"],
            1000,
            "{:.0f} ms",
        )
    ]


def bulk(result: Mapping[str, Any] | None) -> list[Target]:
    """Dispatch within 1.3x the concurrency bound; progress at least once a second."""
    result = result or {}
    return [
        _at_most(
            "bulk",
            "updateInventory wall / concurrency bound",
            result.get("ratio_to_bound"),
            1.3,
            "{:.2f}",
        ),
        _at_most(
            "bulk",
            "longest gap between progress notifications",
            result.get("longest_progress_gap_s"),
            1.0,
            "{:.2f} s",
        ),
    ]


def connections(result: Mapping[str, Any] | None) -> list[Target]:
    """The large run: every stream open, RSS < 1 GB, no missed keep-alive, p99 lateness < 1 s."""
    runs = (result or {}).get("runs") or []
    if not runs:
        return [_row("connections", "idle SSE streams", "5,000 in < 1 GB", None, "", None)]
    large = runs[-1]
    count = f"{large['connections']:,} streams"
    rss = large["server_rss_bytes"]["all_open"]
    return [
        _at_least(
            "connections", f"{count}: opened", large["opened"], large["connections"], "{:,.0f}"
        ),
        _row(
            "connections", f"{count}: server RSS", "< 1 GB", rss, f"{rss / 1e9:.2f} GB", rss < 1e9
        ),
        _at_most(
            "connections",
            f"{count}: streams that missed a keep-alive",
            large["streams_that_missed_a_keepalive"],
            0,
            "{:.0f}",
        ),
        _row(
            "connections",
            f"{count}: keep-alive lateness p99",
            "< 1000 ms",
            large["lateness_p99_s"],
            f"{large['lateness_p99_s'] * 1000:.0f} ms",
            large["lateness_p99_s"] < 1.0,
        ),
    ]


def leaks(result: Mapping[str, Any] | None) -> list[Target]:
    """RSS after all the calls within 10 % of RSS after the first chunk."""
    result = result or {}
    growth = result.get("growth_ratio")
    name = "RSS after {:,} calls / after {:,}".format(
        result.get("calls", 100_000), result.get("first_chunk_calls", 10_000)
    )
    return [_at_most("leaks", name, growth, 1.10, "{:.3f}")]


def state(result: Mapping[str, Any] | None) -> list[Target]:
    """Redis adds < 2 ms to a session-bound tool call (median)."""
    added = (result or {}).get("redis_adds_ms")
    return [_at_most("state", "what Redis adds to a tool call (median)", added, 2.0, "{:.2f} ms")]


def roundtrips(result: Mapping[str, Any] | None) -> list[Target]:
    """Every read tool: p50 / (fewest round trips x 50 ms) ≤ 1.15."""
    cases = (result or {}).get("cases") or []
    if not cases:
        return [_row("roundtrips", "read tools: p50 / round-trip floor", "≤ 1.15", None, "", None)]
    return [
        _at_most(
            "roundtrips",
            f"{case['tool']} {_arguments(case['arguments'])}: p50 / "
            f"({case['min_round_trips']} {TIMES} {result['latency_ms']:.0f} ms)",  # type: ignore[index]
            case["ratio"],
            1.15,
            "{:.2f}",
        )
        for case in cases
    ]


def _arguments(arguments: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in arguments.items()) or "(defaults)"


CHECKS: dict[str, Callable[[Any], list[Target]]] = {
    "protocol": protocol,
    "tokens": tokens,
    "compliance": compliance,
    "bulk": bulk,
    "connections": connections,
    "leaks": leaks,
    "roundtrips": roundtrips,
    "state": state,
}


def evaluate(sections: Mapping[str, Mapping[str, Any]]) -> list[Target]:
    """Every target, for the sections present (a failed section's targets are not met)."""
    rows = []
    for name, check in CHECKS.items():
        section = sections.get(name)
        if section is None:
            continue
        targets = check(section.get("result"))
        if section.get("error"):
            targets = [
                attrs.evolve(t, met=False, shown=f"section failed: {t.shown}") for t in targets
            ]
        rows += targets
    return rows
