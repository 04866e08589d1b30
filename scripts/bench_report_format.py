"""Formatting shared by the sections of docs/performance.md (`bench_report*.py`)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

TIMES = "\u00d7"
SERVER_NAMES = {"ours": "jamf-mcp", "sdk": "official SDK", "floor": "bare ASGI floor"}


def mib(value: float) -> str:
    """Bytes as whole MiB."""
    return f"{value / 2**20:.0f} MiB"


def ms(value: float | None, digits: int = 2) -> str:
    """Milliseconds, or a dash for a missing value."""
    return "\u2013" if value is None or math.isnan(value) else f"{value:.{digits}f} ms"


def status(met: bool | None) -> str:
    """How a target row reads."""
    return {True: "met", False: "**MISSED**", None: "not measured"}[met]


def heading(document: Mapping[str, Any], name: str, title: str) -> list[str]:
    """A section's title, plus notes when it was carried over or failed."""
    lines = [f"## {title}", ""]
    section = document["sections"].get(name)
    if section is None:
        return [
            *lines,
            "Not measured yet: run `python scripts/bench_all.py --only " + name + "`.",
            "",
        ]
    if section.get("carried_over"):
        lines += [
            f"*Kept from an earlier run ({section.get('measured_at', '?')}, commit "
            f"`{section.get('commit', '?')}`): this run did not measure it.*",
            "",
        ]
    if section.get("error"):
        lines += [
            f"**This section failed in this run**: {section['error']}",
            "",
        ]
    return lines


def wrk_cell(run: Mapping[str, Any] | None) -> str:
    """`N req/s (p50 / p99)` of one wrk run."""
    if run is None:
        return "\u2013"
    latency = run["latency"]
    return (
        f"{run['requests_per_s']:,.0f} req/s ({ms(latency.get('p50_ms'))} / "
        f"{ms(latency.get('p99_ms'))})"
    )


def times(value: float | None, percent: bool = False) -> str:
    """A ratio as `2.50x` with a multiplication sign (or as a percentage)."""
    if value is None:
        return "\u2013"
    return f"{value:.0%}" if percent else f"{value:.2f}{TIMES}"
