"""Profile: where our server spends its CPU under `ping` load (py-spy, sampling, no code changes).

Starts our server (`scripts/bench_server.py ours`, auth off, then with a bearer JWT on every
request as in the protocol benchmark), loads it with wrk exactly as the protocol benchmark does
(stateless `ping`, `-t1 -c16`), and samples it with
`py-spy record --format raw` meanwhile. Reports the share of samples whose innermost frame is in
each function (self time), and the inclusive share of a few frames of interest. Skipped (not
failed) when py-spy is not installed or cannot attach (it needs ptrace rights).

    python scripts/bench_profile.py [--seconds 8] [--operation ping] [--auth none jwt] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import bench_wrk
from bench_processes import SCRIPTS, bench_env, free_port, server_process
from bench_protocol import HEADERS, OPERATIONS, SERVER_ENV, body, mint_token

_FRAME = re.compile(r"(?P<function>.*) \((?P<path>[^()]*?)(?::\d+)?\)$")
_PREFIX = re.compile(r".*/(?:site-packages|src|lib/python3\.\d+)/")


def _frame_name(frame: str) -> tuple[str, str]:
    match = _FRAME.match(frame)
    if not match:
        return frame, "?"
    path = _PREFIX.sub("", match.group("path"))
    package = path.split("/")[0]
    if package.startswith("<attrs generated"):
        package = "attrs (generated methods)"
    return f"{match.group('function')} ({path})", package


def summarise(raw: str, top: int = 15) -> dict[str, Any]:
    """Self-time shares by function and by top-level package, from py-spy's raw output."""
    by_function: Counter[str] = Counter()
    by_package: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        samples = int(count)
        total += samples
        function, package = _frame_name(stack.split(";")[-1])
        by_function[function] += samples
        by_package[package.removesuffix(".py")] += samples
    share = (lambda n: n / total) if total else (lambda n: 0.0)
    return {
        "samples": total,
        "self_by_function": [
            {"function": name, "share": share(n)} for name, n in by_function.most_common(top)
        ],
        "self_by_package": [
            {"package": name, "share": share(n)} for name, n in by_package.most_common(top)
        ],
    }


def measure(seconds: float, operation: str, auth: str) -> dict[str, Any]:
    """Sample the server for `seconds` while wrk keeps it busy (`auth`: none, or jwt)."""
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(py_spy).exists():
        return {"auth": auth, "skipped": "py-spy is not installed (pip install py-spy)"}
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        data_dir = Path(tmp) / "data"
        headers = dict(HEADERS)
        if auth == "jwt":
            token = mint_token(data_dir, f"http://127.0.0.1:{port}")
            headers["Authorization"] = f"Bearer {token}"
        command = [sys.executable, str(SCRIPTS / "bench_server.py"), "ours", "--port", str(port)]
        command += ["--auth", "dev" if auth == "jwt" else "none", "--data-dir", str(data_dir)]
        raw = Path(tmp) / "profile.txt"
        with server_process(command, port=port, env=bench_env(SERVER_ENV)) as server:
            url = f"{server.base_url}/mcp"
            bench_wrk.run(url, body(operation), headers, duration_s=2)  # warm-up
            load: dict[str, Any] = {}

            def generate() -> None:
                load.update(bench_wrk.run(url, body(operation), headers, duration_s=seconds + 2))

            loader = threading.Thread(target=generate)
            loader.start()
            record = ["record", "-p", str(server.pid), "-d", f"{seconds:g}", "-r", "250"]
            sampled = subprocess.run(
                [py_spy, *record, "-f", "raw", "-o", str(raw)],
                capture_output=True,
                text=True,
                check=False,
                timeout=seconds + 60,
            )
            loader.join()
        if sampled.returncode != 0 or not raw.exists():
            return {
                "auth": auth,
                "skipped": f"py-spy could not sample: {sampled.stderr.strip()[-300:]}",
            }
        summary = summarise(raw.read_text())
    return {
        "auth": auth,
        "operation": operation,
        "seconds": seconds,
        "requests_per_s_while_sampled": load.get("requests_per_s"),
        **summary,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--operation", choices=list(OPERATIONS), default="ping")
    parser.add_argument(
        "--auth", nargs="+", choices=["none", "jwt"], default=["none", "jwt"], help="one run each"
    )
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args()
    result = {"runs": [measure(args.seconds, args.operation, auth) for auth in args.auth]}
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
