"""`wrk`, the load generator every HTTP throughput figure comes from: install, script, run, parse.

A Lua script sets the method, body and headers (`wrk.method`, `wrk.body`, `wrk.headers`). wrk has
no fixed-request-count option: with `stop_after`, a `response` callback counts answers, stops the
thread after that many and prints a marker line; on seeing it this module sends wrk SIGINT, which
makes wrk stop at once and print its usual report (otherwise it would idle until `-d` is over).
"""

from __future__ import annotations

import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

STOP_MARKER = "bench-wrk-stop-after-reached"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class WrkMissing(SystemExit):
    """wrk is not installed and cannot be installed here."""


def ensure_wrk() -> str:
    """The path of `wrk`, installing the Debian package first when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if os.geteuid() != 0 or apt is None:
        raise WrkMissing(
            "wrk is not installed; install it (Debian/Ubuntu: `sudo apt-get install -y wrk`, "
            "macOS: `brew install wrk`) and run the benchmark again"
        )
    print("wrk is missing: apt-get install -y wrk", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([apt, "update"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run([apt, "install", "-y", "wrk"], check=True, env=env, stdout=subprocess.DEVNULL)
    found = shutil.which("wrk")
    if not found:
        raise WrkMissing("apt-get install wrk finished but wrk is still not on PATH")
    return found


def _lua_string(text: str) -> str:
    """A double-quoted Lua string literal: printable ASCII as is, every other byte as `\\ddd`."""
    out = []
    for byte in text.encode():
        printable = 32 <= byte < 127 and byte not in b'"\\'
        out.append(chr(byte) if printable else f"\\{byte:03d}")
    return '"' + "".join(out) + '"'


def lua_script(body: str, headers: Mapping[str, str], stop_after: int | None = None) -> str:
    """A wrk script POSTing `body` with `headers` (and stopping after `stop_after` answers)."""
    lines = ['wrk.method = "POST"', f"wrk.body = {_lua_string(body)}"]
    lines += [f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()]
    if stop_after is not None:
        lines += [
            "local answered = 0",
            "function response(status, headers, body)",
            "  answered = answered + 1",
            f"  if answered == {int(stop_after)} then",
            f'    io.write("{STOP_MARKER}\\n")',
            "    io.flush()",
            "    wrk.thread:stop()",
            "  end",
            "end",
        ]
    return "\n".join(lines) + "\n"


def _ms(value: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {value!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse(output: str) -> dict[str, Any]:
    """Requests, req/s, latency percentiles (ms) and error counts from wrk's report."""
    result: dict[str, Any] = {"errors": {}, "non_2xx": 0}
    if match := re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output):
        result["requests"] = int(match.group(1))
        result["duration_s"] = _ms(match.group(2) + match.group(3)) / 1000
    if match := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["requests_per_s"] = float(match.group(1))
    latency = {}
    for percent, value in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)$", output, re.MULTILINE):
        latency[f"p{percent}_ms"] = _ms(value)
    result["latency"] = latency
    if match := re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", output):
        result["latency"]["mean_ms"] = _ms(match.group(1))
        result["latency"]["max_ms"] = _ms(match.group(3))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["errors"] = dict(
            zip(("connect", "read", "write", "timeout"), map(int, match.groups()), strict=True)
        )
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["non_2xx"] = int(match.group(1))
    if "requests_per_s" not in result:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    return result


def _run_wrk(command: list[str], timeout: float) -> tuple[int, str, str]:
    """Run wrk; interrupt it (SIGINT: it reports and exits) when the script prints the marker."""
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            if line.strip() == STOP_MARKER:
                process.send_signal(signal.SIGINT)
                break
            lines.append(line)
        try:
            rest, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            rest, stderr = process.communicate()
        return process.returncode, "".join(lines) + rest.replace(STOP_MARKER + "\n", ""), stderr


def run(
    url: str,
    body: str,
    headers: Mapping[str, str],
    *,
    duration_s: float = 8,
    threads: int = 1,
    connections: int = 16,
    stop_after: int | None = None,
    timeout_s: float = 10,
) -> dict[str, Any]:
    """One wrk run (`--latency`); the parsed report plus the exact command line."""
    wrk = ensure_wrk()
    duration_s = max(1, math.ceil(duration_s))  # wrk takes whole seconds
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        script = Path(tmp) / "request.lua"
        script.write_text(lua_script(body, headers, stop_after))
        command = [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration_s:g}s",
            f"--timeout={timeout_s:g}s",
            "--latency",
            "-s",
            str(script),
            url,
        ]
        returncode, stdout, stderr = _run_wrk(command, duration_s + 120)
    if returncode != 0:
        raise RuntimeError(f"wrk failed ({returncode}):\n{stdout}\n{stderr}")
    result = parse(stdout)
    result["command"] = (
        f"wrk -t{threads} -c{connections} -d{duration_s:g}s --latency -s request.lua {url}"
    )
    return result
