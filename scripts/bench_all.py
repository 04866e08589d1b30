"""Run every benchmark, then write docs/performance.md and docs/benchmarks/latest.json (+ PNGs).

Each section is its own script (`scripts/bench_<name>.py`), run here in a subprocess one after
another (never two at once: they share two cores), its raw result read back as JSON. The
targets are checked (`bench_targets.py`), and the report regenerated from the results
(`bench_report.py`, charts by `bench_plots.py`).

    python scripts/bench_all.py                        # everything (`nox -s bench`), ~10 min
    python scripts/bench_all.py --quick                # smoke run: small sizes, build/bench-quick/
    python scripts/bench_all.py --only protocol leaks  # some sections; the rest kept from latest.json
    python scripts/bench_all.py roundtrips             # the same, by name (`nox -s bench -- roundtrips`)
    python scripts/bench_all.py --list
    python scripts/bench_all.py --render-only          # rewrite the docs from latest.json

Exit status: 0 when every target is met, 1 when a target is missed, 2 when a section failed to
run at all. The files are written in every case.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import bench_plots
import bench_report
import bench_targets
import bench_wrk
from bench_processes import REPO, SCRIPTS, free_port, machine_info

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


@attrs.frozen
class Section:
    """One benchmark script and its arguments for full and quick runs."""

    name: str
    script: str
    summary: str
    full: tuple[str, ...]
    quick: tuple[str, ...]
    needs_wrk: bool = False
    timeout_s: float = 900


SECTIONS = (
    Section(
        "protocol",
        "bench_protocol.py",
        "MCP over Streamable HTTP: ours vs the official SDK vs a bare ASGI floor (wrk), JWT on/off",
        ("--duration", "8", "--warmup", "2", "--sequence-runs", "200"),
        ("--duration", "2", "--warmup", "1", "--sequence-runs", "20"),
        needs_wrk=True,
    ),
    Section(
        "profile",
        "bench_profile.py",
        "py-spy profile of our server under ping load, auth off and JWT (no target)",
        ("--seconds", "8"),
        ("--seconds", "2"),
        needs_wrk=True,
    ),
    Section(
        "tokens",
        "bench_tokens.py",
        "bearer token validation in-process, StaticJwks and a warm RemoteJwks",
        ("--iterations", "20000"),
        ("--iterations", "2000"),
    ),
    Section(
        "compliance",
        "bench_compliance.py",
        "checkDeviceCompliance at 10,000 and 100,000 computers vs whole-fleet scans",
        ("--sizes", "10000", "100000", "--runs", "5", "--full-scan-runs", "2"),
        ("--sizes", "2000", "--runs", "2", "--full-scan-runs", "1"),
    ),
    Section(
        "bulk",
        "bench_bulk.py",
        "updateInventory over 1,000 computers vs the concurrency bound",
        (),
        ("--computers", "200"),
    ),
    Section(
        "connections",
        "bench_connections.py",
        "5,000 idle SSE streams: memory and keep-alive punctuality",
        (
            "--connections",
            "5000",
            "--baseline",
            "100",
            *("--keepalive-seconds", "3"),
            "--intervals",
            "3",
        ),
        (
            "--connections",
            "300",
            "--baseline",
            "50",
            *("--keepalive-seconds", "1"),
            "--intervals",
            "3",
        ),
    ),
    Section(
        "leaks",
        "bench_leaks.py",
        "server RSS over 100,000 tool calls",
        ("--calls", "100000", "--chunk", "10000"),
        ("--calls", "6000", "--chunk", "2000"),
        needs_wrk=True,
    ),
    Section(
        "roundtrips",
        "bench_roundtrips.py",
        "every read tool at 50 ms Jamf latency vs the fewest round trips the Jamf API allows",
        ("--calls", "30"),
        ("--calls", "5"),
    ),
    Section(
        "state",
        "bench_state.py",
        "what Redis-backed state adds to a tool call",
        ("--calls", "400", "--rounds", "3"),
        ("--calls", "30", "--rounds", "1"),
    ),
)
BY_NAME = {section.name: section for section in SECTIONS}


def _redis_answers(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except redis.RedisError:
        return False


@contextlib.contextmanager
def redis_for_bench(url: str | None) -> Iterator[str]:
    """`url`, or the local default, or a private `redis-server` started for the run."""
    if url:
        yield url
        return
    if _redis_answers(DEFAULT_REDIS_URL):
        yield DEFAULT_REDIS_URL
        return
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError(
            f"no Redis answers at {DEFAULT_REDIS_URL} and redis-server is not installed: "
            "pass --redis-url or install Redis (apt-get install redis-server)"
        )
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-redis-") as tmp:
        process = subprocess.Popen(
            [
                server,
                *("--port", str(port), "--bind", "127.0.0.1", "--save", ""),
                "--appendonly",
                "no",
                "--dir",
                tmp,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            started = f"redis://127.0.0.1:{port}/0"
            deadline = time.monotonic() + 10
            while not _redis_answers(started):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the private redis-server did not start")
                time.sleep(0.1)
            yield started
        finally:
            process.terminate()
            process.wait(timeout=10)


def run_section(section: Section, quick: bool, extra: list[str], work: Path) -> dict[str, Any]:
    """Run one script; its JSON result, timing and (if it did not produce one) the error."""
    output = work / f"{section.name}.json"
    arguments = [*(section.quick if quick else section.full), *extra, "--json", str(output)]
    command = [sys.executable, str(SCRIPTS / section.script), *arguments]
    shown = " ".join(["python", f"scripts/{section.script}", *arguments[:-2]])
    print(f"\n=== {section.name}: {shown}", flush=True)
    tail: deque[str] = deque(maxlen=25)
    started = time.monotonic()
    measured_at = datetime.now(UTC).isoformat(timespec="seconds")
    with subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as process:
        assert process.stdout is not None
        try:
            for line in process.stdout:
                print(f"  {line}", end="", flush=True)
                tail.append(line)
            returncode = process.wait(timeout=section.timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = process.wait()
            tail.append(f"(killed after {section.timeout_s:.0f} s)\n")
    seconds = time.monotonic() - started
    record: dict[str, Any] = {
        "command": shown,
        "returncode": returncode,
        "seconds": round(seconds, 1),
        "measured_at": measured_at,
        "commit": machine_info().get("git_commit"),
        "result": json.loads(output.read_text()) if output.exists() else None,
        "error": None,
    }
    if record["result"] is None:
        record["error"] = f"`{shown}` exited with {returncode} and wrote no result: " + " / ".join(
            line.strip() for line in list(tail)[-5:] if line.strip()
        )
    print(f"=== {section.name}: {seconds:.0f} s, exit {returncode}", flush=True)
    return record


def _previous(path: Path, quick: bool) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        document = json.loads(path.read_text())
    except ValueError:
        return {}
    if bool(document.get("quick")) != quick:
        return {}
    return {
        name: {**section, "carried_over": True}
        for name, section in document.get("sections", {}).items()
        if section.get("result") is not None
    }


def write_outputs(document: dict[str, Any], output_dir: Path) -> tuple[Path, Path]:
    """latest.json, the charts, and performance.md."""
    benchmarks = output_dir / "benchmarks"
    benchmarks.mkdir(parents=True, exist_ok=True)
    sections = document["sections"]
    images: dict[str, str] = {}
    if not bench_plots.available():
        print("matplotlib is not installed: no charts (install the `bench` dependency group)")
    for name, draw in (
        ("protocol", bench_plots.protocol),
        ("compliance", bench_plots.compliance),
        ("leaks", bench_plots.leaks),
    ):
        result = (sections.get(name) or {}).get("result")
        try:
            written = draw(result, benchmarks / f"{name}.png")
        except Exception as error:  # a chart must never cost the report
            print(f"could not draw the {name} chart: {error!r}")
            written = None
        if written is not None:
            images[name] = f"benchmarks/{written.name}"
    latest = benchmarks / "latest.json"
    latest.write_text(json.dumps(document, indent=2) + "\n")
    report = output_dir / "performance.md"
    report.write_text(bench_report.render(document, images))
    return report, latest


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "names", nargs="*", choices=[[], *BY_NAME], metavar="SECTION", help="same as --only"
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, short runs")
    parser.add_argument("--only", nargs="+", choices=list(BY_NAME), help="run these sections")
    parser.add_argument("--skip", nargs="+", choices=list(BY_NAME), default=[])
    parser.add_argument("--list", action="store_true", help="list the sections and exit")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite performance.md and the charts from latest.json, measuring nothing",
    )
    parser.add_argument("--output-dir", type=Path, help="default docs/ (quick: build/bench-quick/)")
    parser.add_argument(
        "--redis-url", help="Redis for the state section (default: REDIS_URL, else local)"
    )
    args = parser.parse_args()
    if args.list:
        for section in SECTIONS:
            print(f"{section.name:<12} {section.summary}")
        return 0
    only = [*(args.only or []), *args.names]
    chosen = [s for s in SECTIONS if (not only or s.name in only)]
    chosen = [s for s in chosen if s.name not in args.skip]
    output_dir = args.output_dir or (REPO / ("build/bench-quick" if args.quick else "docs"))
    latest = output_dir / "benchmarks" / "latest.json"
    if args.render_only:
        if not latest.exists():
            parser.error(f"--render-only needs {latest}")
        return finish(json.loads(latest.read_text()), output_dir)
    if any(s.needs_wrk for s in chosen):
        bench_wrk.ensure_wrk()
    started = time.monotonic()
    sections = run_sections(chosen, args, _previous(latest, args.quick))
    document: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "command": " ".join(["python", "scripts/bench_all.py", *sys.argv[1:]]),
        "duration_s": round(time.monotonic() - started, 1),
        "machine": machine_info(),
        "sections": {s.name: sections[s.name] for s in SECTIONS if s.name in sections},
    }
    return finish(document, output_dir)


def run_sections(
    chosen: list[Section], args: argparse.Namespace, sections: dict[str, Any]
) -> dict[str, Any]:
    """Run `chosen` one after another, on top of the sections kept from an earlier run."""
    with tempfile.TemporaryDirectory(prefix="bench-all-") as tmp:
        work = Path(tmp)
        for section in chosen:
            if section.name != "state":
                sections[section.name] = run_section(section, args.quick, [], work)
                continue
            extra = ["--data-dir", str(work / "state-data")]
            try:
                with redis_for_bench(args.redis_url or os.environ.get("REDIS_URL")) as url:
                    sections["state"] = run_section(
                        section, args.quick, [*extra, "--redis-url", url], work
                    )
            except RuntimeError as error:
                sections["state"] = {"result": None, "error": str(error), "seconds": 0}
    return sections


def finish(document: dict[str, Any], output_dir: Path) -> int:
    """Check the targets, write the files, print the verdict; the exit status."""
    sections = document["sections"]
    checked = bench_targets.evaluate(sections)
    document["targets"] = [target.to_json() for target in checked]
    report, latest = write_outputs(document, output_dir)
    print(f"\nWrote {report} and {latest} ({document['duration_s'] / 60:.1f} min)")
    for target in checked:
        flag = {True: "met   ", False: "MISSED", None: "n/a   "}[target.met]
        print(f"  {flag} {target.section:<11} {target.name}: {target.shown} (limit {target.limit})")
    failed = [
        name
        for name, section in sections.items()
        if section.get("error") and not section.get("carried_over")
    ]
    if failed:
        print(f"sections that failed: {', '.join(failed)}", file=sys.stderr)
        return 2
    if any(target.met is False for target in checked):
        print("some targets were missed (see above)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
