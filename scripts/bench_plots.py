"""The PNG charts of docs/performance.md, drawn with matplotlib (the `bench` dependency group).

Each function returns the file it wrote, or None when it had nothing to draw or matplotlib is
not installed (the report then simply leaves the picture out).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SERIES = (
    ("floor", "none", "bare ASGI floor", "#9e9e9e"),
    ("ours", "none", "jamf-mcp", "#1f77b4"),
    ("sdk", "none", "official SDK", "#ff7f0e"),
    ("ours", "jwt", "jamf-mcp, JWT", "#aec7e8"),
    ("sdk", "jwt", "official SDK, JWT", "#ffbb78"),
)


def available() -> bool:
    """Whether matplotlib can be imported here."""
    return importlib.util.find_spec("matplotlib") is not None


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def protocol(result: Mapping[str, Any] | None, path: Path) -> Path | None:
    """Requests per second by operation, one bar per server (and auth mode)."""
    if not result or not available():
        return None
    plt = _pyplot()
    rate = {(r["server"], r["auth"], r["operation"]): r["requests_per_s"] for r in result["runs"]}
    operations = ["ping", "tools/list", "tools/call"]
    series = [s for s in SERIES if any((s[0], s[1], op) in rate for op in operations)]
    width = 0.8 / max(len(series), 1)
    figure, axes = plt.subplots(figsize=(9, 4.5), dpi=110)
    for index, (server, auth, label, colour) in enumerate(series):
        values = [rate.get((server, auth, op), 0) for op in operations]
        positions = [i + (index - (len(series) - 1) / 2) * width for i in range(len(operations))]
        bars = axes.bar(positions, values, width, label=label, color=colour)
        axes.bar_label(bars, labels=[f"{v:,.0f}" for v in values], fontsize=7, padding=2)
    load = result["load"]
    axes.set_xticks(range(len(operations)), operations)
    axes.set_ylabel("requests / s (higher is better)")
    impl = result.get("uvicorn", {}).get("implementations", {})
    axes.set_title(
        f"MCP over Streamable HTTP, wrk -t{load['threads']} -c{load['connections']} "
        f"-d{load['duration_s']:g}s, one server at a time\n"
        f"(one uvicorn worker each: {impl.get('http', '?')} parser, {impl.get('loop', '?')} loop)",
        fontsize=10,
    )
    axes.legend(fontsize=8, ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.08))
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def compliance(result: list[Mapping[str, Any]] | None, path: Path) -> Path | None:
    """checkDeviceCompliance against the two whole-fleet baselines, per fleet size (log scale)."""
    if not result or not available():
        return None
    plt = _pyplot()
    sizes = [f"{r['computers']:,} computers" for r in result]
    series = [
        ("checkDeviceCompliance (filter in Jamf)", [r["compliance"]["median_ms"] for r in result]),
        ("getFleetSummary (whole fleet)", [r["full_fleet_download"]["median_ms"] for r in result]),
        (
            "naive scan (adapter, no filter)",
            [r["naive_full_scan"]["seconds"] * 1000 for r in result],
        ),
    ]
    colours = ("#1f77b4", "#9e9e9e", "#d62728")
    width = 0.8 / len(series)
    figure, axes = plt.subplots(figsize=(8, 4), dpi=110)
    for index, ((label, values), colour) in enumerate(zip(series, colours, strict=True)):
        positions = [i + (index - 1) * width for i in range(len(sizes))]
        bars = axes.bar(positions, values, width, label=label, color=colour)
        axes.bar_label(bars, labels=[f"{v:,.0f} ms" for v in values], fontsize=7, padding=2)
    axes.set_yscale("log")
    axes.axhline(1000, color="#2ca02c", linestyle="--", linewidth=1, label="target: 1 s")
    axes.set_xticks(range(len(sizes)), sizes)
    axes.set_ylabel("median wall time, ms (log scale; lower is better)")
    axes.set_title(f"Compliance at {result[0]['latency_ms']:g} ms per Jamf request")
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path


def leaks(result: Mapping[str, Any] | None, path: Path) -> Path | None:
    """Server RSS against the number of tool calls served."""
    if not result or not available():
        return None
    plt = _pyplot()
    points = result["points"]
    figure, axes = plt.subplots(figsize=(8, 3.5), dpi=110)
    axes.plot(
        [p["calls"] for p in points],
        [p["rss_bytes"] / 2**20 for p in points],
        marker="o",
        color="#1f77b4",
    )
    first = result["rss_after_first_chunk_bytes"] / 2**20
    axes.axhline(first * 1.10, color="#d62728", linestyle="--", linewidth=1, label="limit")
    axes.set_ylim(0, max(first * 1.25, max(p["rss_bytes"] / 2**20 for p in points) * 1.05))
    axes.set_xlabel("benchEcho calls served")
    axes.set_ylabel("server RSS, MiB")
    axes.set_title("Server memory over sustained tool calls")
    axes.legend(
        ["server RSS", f"target: {first * 1.10:.0f} MiB (+10 % over RSS after the first chunk)"],
        fontsize=8,
    )
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
    return path
