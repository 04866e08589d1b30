"""The container image's own command, environment and health check, run from the dev venv.

There is no Docker engine here, so nothing is built: the Dockerfile is read, and its final stage's
ENV, ENTRYPOINT + CMD and HEALTHCHECK are run as written, with only these substitutions (each
asserted to apply, so none can silently stop matching):

- `jamf-mcp` and `python` are the dev venv's (the image's /opt/venv/bin plays that role; its
  `PATH` ENV is the one ENV not applied);
- `JAMF_MCP_DATA_DIR=/data` becomes a temporary directory (the VOLUME);
- `--host 0.0.0.0` becomes `127.0.0.1` (no container network here; on loopback the image's default
  sign-in, the development IdP, needs no JAMF_MCP_DEV_IDP_ALLOW_REMOTE), and `--port 8000` (also in
  the health check's URL) a free port.

The unchanged `--host 0.0.0.0` is run too, to show the image does not weaken the bind guard.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
IMAGE_HOST, IMAGE_PORT, IMAGE_DATA_DIR = "0.0.0.0", "8000", "/data"
ECS_STOP_TIMEOUT_SECONDS = 30  # what ECS waits between SIGTERM and SIGKILL by default
SECRET_NAME = re.compile(r"SECRET|PASSWORD|TOKEN|PRIVATE|CREDENTIAL", re.IGNORECASE)


def _instructions(text: str) -> list[tuple[str, str]]:
    """(KEYWORD, arguments) per instruction: continuations joined, comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not pending):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def _env_pairs(arguments: str) -> dict[str, str]:
    words = shlex.split(arguments)
    if "=" not in words[0]:  # the legacy `ENV KEY value` form
        return {words[0]: " ".join(words[1:])}
    return dict(word.split("=", 1) for word in words)


def _exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)  # shell form would run under /bin/sh, which eats SIGTERM
    assert isinstance(value, list), arguments
    return [str(item) for item in value]


@dataclass
class Image:
    """What the Dockerfile says about the image it builds."""

    every_stage: list[tuple[str, str]]
    env: dict[str, str]
    command: list[str]
    user: str
    volumes: list[str]
    exposed: list[str]
    healthcheck_options: dict[str, str]
    healthcheck: list[str]

    @classmethod
    def read(cls, path: Path = ROOT / "Dockerfile") -> Image:
        every_stage = _instructions(path.read_text())
        last_from = max(i for i, (keyword, _) in enumerate(every_stage) if keyword == "FROM")
        final = every_stage[last_from:]
        values: dict[str, list[str]] = {}
        env: dict[str, str] = {}
        for keyword, arguments in final:
            if keyword == "ENV":
                env.update(_env_pairs(arguments))
            else:
                values.setdefault(keyword, []).append(arguments)
        options, _, check = values["HEALTHCHECK"][-1].partition("CMD ")
        return cls(
            every_stage=every_stage,
            env=env,
            command=_exec_form(values["ENTRYPOINT"][-1]) + _exec_form(values["CMD"][-1]),
            user=values["USER"][-1],
            volumes=[v for entry in values["VOLUME"] for v in _exec_form(entry)],
            exposed=[p for entry in values["EXPOSE"] for p in entry.split()],
            healthcheck_options=dict(o.removeprefix("--").split("=", 1) for o in options.split()),
            healthcheck=_exec_form(check),
        )


def _replace_value(argv: list[str], flag: str, expected: str, new: str) -> list[str]:
    index = argv.index(flag) + 1
    assert argv[index] == expected, f"the image's {flag} changed: {argv}"
    return [*argv[:index], new, *argv[index + 1 :]]


def _local_command(image: Image, port: int, host: str = "127.0.0.1") -> list[str]:
    argv = list(image.command)
    assert argv[0] == "jamf-mcp", argv
    argv[0] = str(Path(sys.executable).with_name("jamf-mcp"))
    argv = _replace_value(argv, "--port", IMAGE_PORT, str(port))
    return _replace_value(argv, "--host", IMAGE_HOST, host)


def _local_env(image: Image, data_dir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JAMF_", "OIDC_")) and k != "REDIS_URL"
    }
    assert image.env["JAMF_MCP_DATA_DIR"] == IMAGE_DATA_DIR, image.env
    env.update({k: v for k, v in image.env.items() if k != "PATH"})
    env["JAMF_MCP_DATA_DIR"] = str(data_dir)
    return env


def _local_healthcheck(image: Image, port: int) -> list[str]:
    argv = list(image.healthcheck)
    assert argv[0] == "python", argv
    image_url = f"http://127.0.0.1:{IMAGE_PORT}/health"
    assert any(image_url in arg for arg in argv), argv
    return [
        sys.executable,
        *(arg.replace(image_url, f"http://127.0.0.1:{port}/health") for arg in argv[1:]),
    ]


def _health_check_exit_code(image: Image, port: int) -> int:
    timeout = float(image.healthcheck_options["timeout"].removesuffix("s"))
    return subprocess.run(
        _local_healthcheck(image, port), capture_output=True, timeout=timeout
    ).returncode


def _wait_until_serving(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the image's command exited early:\n{log.read_text()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"the image's command never served /health:\n{log.read_text()}")


def test_the_image_command_serves_and_its_health_check_follows_the_server(tmp_path: Path) -> None:
    image = Image.read()
    port = free_port()
    workdir, data_dir, log = tmp_path / "app", tmp_path / "data", tmp_path / "serve.log"
    workdir.mkdir()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            _local_command(image, port),
            env=_local_env(image, data_dir),
            cwd=workdir,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(process, port, log)
        assert _health_check_exit_code(image, port) == 0

        process.send_signal(signal.SIGTERM)  # what ECS sends when it stops the task
        # uvicorn re-raises the SIGTERM once it has shut down (as PID 1 in a container that is
        # ignored, and the exit code is 0): either way, the lifespan must have run to its end.
        assert process.wait(timeout=ECS_STOP_TIMEOUT_SECONDS) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in log.read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert _health_check_exit_code(image, port) != 0
    assert (data_dir / "signing-key.json").is_file(), "state must land on the data volume"
    assert list(workdir.iterdir()) == [], "nothing may be written outside the data volume"


def test_the_image_command_refuses_all_interfaces_without_real_sign_in(tmp_path: Path) -> None:
    image = Image.read()
    result = subprocess.run(
        _local_command(image, free_port(), host=IMAGE_HOST),
        env=_local_env(image, tmp_path / "data"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "OIDC_ISSUER" in result.stderr
    assert "JAMF_MCP_DEV_IDP_ALLOW_REMOTE" not in image.env


def test_the_image_runs_as_an_unprivileged_user_and_bakes_in_no_secrets() -> None:
    image = Image.read()
    uid = image.user.partition(":")[0]
    assert uid.isdigit(), f"USER must be numeric (runAsNonRoot checks need a uid): {image.user}"
    assert int(uid) != 0
    baked = [
        f"{keyword} {arguments}"
        for keyword, arguments in image.every_stage
        if keyword in ("ENV", "ARG") and SECRET_NAME.search(arguments)
    ]
    assert baked == [], f"credentials belong in the run-time environment: {baked}"


def test_the_image_keeps_its_state_on_its_volume_and_serves_on_its_exposed_port() -> None:
    image = Image.read()
    assert image.env["JAMF_MCP_DATA_DIR"] in image.volumes
    assert image.command[image.command.index("--port") + 1] in image.exposed
    assert image.healthcheck_options.keys() >= {"interval", "timeout", "start-period", "retries"}


def _excluded(path: str, patterns: list[str]) -> bool:
    """A small model of .dockerignore: the last matching pattern wins, `!` re-includes, and a
    matched directory takes its contents with it."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.removeprefix("!").rstrip("/")
        if any(fnmatch.fnmatchcase(prefix, glob) for prefix in prefixes):
            excluded = not negated
    return excluded


def test_the_build_context_leaves_out_history_caches_and_state() -> None:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for kept in ("pyproject.toml", "README.md", "src/jamf_mcp/cli.py"):
        assert not _excluded(kept, patterns), kept
    for left_out in (
        ".git/HEAD",
        ".cache/node/bin/node",
        ".nox/tests/bin/python",
        ".venv/bin/python",
        ".jamf-mcp/signing-key.json",
        "mydata/audit.sqlite3",
        "tests/e2e/conftest.py",
        ".pytest_cache/v/cache/lastfailed",
        ".hypothesis/examples/x",
        "bench-results/run.json",
        "dist/jamf_mcp-0.1.0-py3-none-any.whl",
        "src/jamf_mcp/__pycache__/cli.cpython-311.pyc",
        "src/.jamf-mcp/signing-key.json",
    ):
        assert _excluded(left_out, patterns), left_out
