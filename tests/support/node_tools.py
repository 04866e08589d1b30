"""Node 22 and the official MCP test tools from npm, installed once per machine for interop tests.

`ensure_node_tools()` installs `node@22`, `@modelcontextprotocol/conformance` and
`@modelcontextprotocol/inspector` (exact pins below) into `<repo>/.cache/node-tools` with the
machine's `npm`, under a file lock so parallel workers install once, and reuses that install on
later runs while the pins are unchanged. The returned `NodeTools` runs `conformance` and the
Inspector CLI with that Node 22 first on PATH (the machine's own Node 20 is too old for both).

Anything missing or broken raises `NodeToolsUnavailable` with the reason: interop tests turn it
into a failure, never a skip, so a CI machine without the tools cannot pass by accident.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_TOOLS_PREFIX = REPO_ROOT / ".cache" / "node-tools"

NODE_VERSION = "22.23.3"
CONFORMANCE_VERSION = "0.2.0-alpha.12"
INSPECTOR_VERSION = "2.12.0"
PACKAGES: tuple[str, ...] = (
    f"node@{NODE_VERSION}",
    f"@modelcontextprotocol/conformance@{CONFORMANCE_VERSION}",
    f"@modelcontextprotocol/inspector@{INSPECTOR_VERSION}",
)
INSTALL_TIMEOUT_SECONDS = 900
_MARKER = "installed.json"
_BINARIES = ("node", "conformance", "inspector")


class NodeToolsUnavailable(RuntimeError):
    """`node`/`npm` is missing, `npm install` failed, or the installed tools do not run."""


@attrs.frozen
class NodeTools:
    """An installed tool set: where its binaries are and how long installing it took."""

    prefix: Path
    install_seconds: float
    installed_now: bool

    @property
    def bin_dir(self) -> Path:
        """`node_modules/.bin`, holding `node` (22), `conformance` and `inspector`."""
        return self.prefix / "node_modules" / ".bin"

    def env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The current environment with Node 22 first on PATH, plus `extra`."""
        env = {**os.environ, "PATH": f"{self.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
        env["NO_COLOR"] = "1"  # plain text in captured output
        env.update(extra or {})
        return env

    def run(
        self,
        tool: str,
        args: Sequence[str],
        *,
        timeout: float,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """Run one installed bin (`conformance`, `inspector`, `node`) and capture its output."""
        try:
            return subprocess.run(
                [str(self.bin_dir / tool), *args],
                env=self.env(env),
                cwd=cwd,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as expired:
            raise AssertionError(
                f"{tool} {' '.join(args)} did not finish in {timeout}s\n"
                f"stdout:\n{_text(expired.stdout)}\nstderr:\n{_text(expired.stderr)}"
            ) from expired

    def conformance(
        self, args: Sequence[str], *, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """`conformance ARGS` (the official MCP conformance suite)."""
        return self.run("conformance", args, timeout=timeout)

    def inspector_cli(
        self, args: Sequence[str], *, state_dir: Path, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """`inspector --cli ARGS`, keeping the Inspector's catalog and config under `state_dir`.

        The Inspector writes `~/.mcp-inspector/...`; HOME and its two path variables point into
        `state_dir` so a test run never reads or changes the developer's own Inspector state.
        """
        state_dir.mkdir(parents=True, exist_ok=True)
        env = {
            "HOME": str(state_dir),
            "MCP_CATALOG_PATH": str(state_dir / "mcp.json"),
            "MCP_CLIENT_CONFIG_PATH": str(state_dir / "client.json"),
        }
        return self.run("inspector", ["--cli", *args], timeout=timeout, env=env)


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


def _read_marker(prefix: Path) -> dict[str, object] | None:
    try:
        marker = json.loads((prefix / _MARKER).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("packages") != list(PACKAGES):
        return None
    if not all((prefix / "node_modules" / ".bin" / name).exists() for name in _BINARIES):
        return None
    return marker


def _npm_install(prefix: Path) -> float:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise NodeToolsUnavailable(
            "node and npm must be on PATH to install the interop test tools "
            f"({', '.join(PACKAGES)}); install Node.js (Debian: apt-get install -y nodejs npm)"
        )
    started = time.monotonic()
    try:
        completed = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(prefix), *PACKAGES],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        raise NodeToolsUnavailable(
            f"npm install {' '.join(PACKAGES)} took over {INSTALL_TIMEOUT_SECONDS}s:\n"
            f"{_text(expired.stderr)[-4000:]}"
        ) from expired
    if completed.returncode != 0:
        raise NodeToolsUnavailable(
            f"npm install {' '.join(PACKAGES)} failed (exit {completed.returncode}):\n"
            f"{completed.stderr[-4000:]}"
        )
    return time.monotonic() - started


def _check_node_version(prefix: Path) -> str:
    node = prefix / "node_modules" / ".bin" / "node"
    try:
        version = subprocess.run(
            [str(node), "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:
        raise NodeToolsUnavailable(f"the installed {node} does not run: {error}") from error
    if version != f"v{NODE_VERSION}":
        raise NodeToolsUnavailable(f"{node} is {version}, expected v{NODE_VERSION}")
    return version


def ensure_node_tools(prefix: Path = NODE_TOOLS_PREFIX) -> NodeTools:
    """Install the pinned tools under `prefix` unless already there; return them."""
    marker = _read_marker(prefix)
    if marker is None:
        prefix.mkdir(parents=True, exist_ok=True)
        with (prefix / ".install.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test workers install once
            marker = _read_marker(prefix)
            if marker is None:
                seconds = _npm_install(prefix)
                marker = {
                    "packages": list(PACKAGES),
                    "node": _check_node_version(prefix),
                    "install_seconds": round(seconds, 1),
                }
                (prefix / _MARKER).write_text(json.dumps(marker, indent=2) + "\n")
                return NodeTools(prefix, seconds, installed_now=True)
    _check_node_version(prefix)
    recorded = marker.get("install_seconds")
    return NodeTools(
        prefix, float(recorded) if isinstance(recorded, int | float) else 0.0, installed_now=False
    )
