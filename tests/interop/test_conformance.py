"""The official MCP conformance suite (`@modelcontextprotocol/conformance`) against the real server.

One test per scenario the server must pass on its own, then the whole suite (`--suite all`),
which may fail only in scenarios that need the suite's reference fixtures; that run is written
up in `docs/interop/conformance-full.md`. The suite has no way to send a token, so the server
runs with sign-in off, on a `localhost` URL (the DNS-rebinding scenario requires one).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.interop.conformance_catalogue import CORE_SCENARIOS, NEEDS_REFERENCE_FIXTURES
from tests.interop.conformance_report import judge, render
from tests.interop.conformance_results import parse_server_scenarios, read_runs
from tests.interop.servers import ServerUnderTest
from tests.support.node_tools import (
    CONFORMANCE_VERSION,
    NODE_VERSION,
    REPO_ROOT,
    NodeTools,
)

pytestmark = pytest.mark.e2e

FULL_SUITE_REPORT = REPO_ROOT / "docs" / "interop" / "conformance-full.md"
SCENARIO_TIMEOUT_SECONDS = 180
SUITE_TIMEOUT_SECONDS = 1200


def _output(completed: subprocess.CompletedProcess[str]) -> str:
    return f"{completed.stdout}\n{completed.stderr}"


def _tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.splitlines()[-lines:])


@pytest.mark.parametrize("scenario", list(CORE_SCENARIOS))
def test_server_passes_the_conformance_scenario(
    scenario: str, node_tools: NodeTools, open_server: ServerUnderTest, tmp_path: Path
) -> None:
    url = open_server.url("/mcp", host="localhost")
    completed = node_tools.conformance(
        ["server", "--url", url, "--scenario", scenario, "-o", str(tmp_path)],
        timeout=SCENARIO_TIMEOUT_SECONDS,
    )
    run = read_runs(tmp_path, _output(completed)).get(scenario)
    if run is None:
        pytest.fail(
            f"conformance wrote no result for {scenario} (exit {completed.returncode}):\n"
            f"{_tail(_output(completed))}{open_server.trouble()}",
            pytrace=False,
        )
    if not (run.passed and completed.returncode == 0):
        runner = f":\n{_tail(_output(completed))}" if run.crash or not run.checks else ""
        pytest.fail(
            f"{run.explain()}\n\nThe scenario checks: {CORE_SCENARIOS[scenario]}\n"
            f"(conformance exited {completed.returncode}){runner}{open_server.trouble()}",
            pytrace=False,
        )


def test_whole_suite_fails_only_in_scenarios_that_need_the_reference_fixtures(
    node_tools: NodeTools, open_server: ServerUnderTest, tmp_path: Path
) -> None:
    listing = node_tools.conformance(["list", "--server"], timeout=60)
    scenarios = parse_server_scenarios(listing.stdout)
    assert scenarios, f"conformance list --server listed nothing:\n{_output(listing)}"
    url = open_server.url("/mcp", host="localhost")
    command = ["server", "--url", url, "--suite", "all", "-o", str(tmp_path)]
    completed = node_tools.conformance(command, timeout=SUITE_TIMEOUT_SECONDS)
    runs = read_runs(tmp_path, _output(completed))
    verdicts = [judge(name, tags, runs.get(name)) for name, tags in scenarios.items()]

    FULL_SUITE_REPORT.parent.mkdir(parents=True, exist_ok=True)
    FULL_SUITE_REPORT.write_text(
        render(
            verdicts,
            versions={
                "@modelcontextprotocol/conformance": CONFORMANCE_VERSION,
                "node": NODE_VERSION,
            },
            command="conformance server --url http://localhost:PORT/mcp --suite all",
        )
    )

    stale = sorted({e.scenario for e in NEEDS_REFERENCE_FIXTURES} - set(scenarios))
    assert not stale, f"the fixture list names scenarios the pinned suite lacks: {stale}"
    failing = [verdict for verdict in verdicts if verdict.blocking]
    if failing:
        pytest.fail(
            f"{len(failing)} scenario(s) that need no reference fixtures failed "
            f"(see {FULL_SUITE_REPORT.relative_to(REPO_ROOT)}):\n"
            + "\n".join(
                f"{v.scenario} [{v.wire}]:\n"
                + "\n".join(f"  FAILED  {line}" for line in v.blocking)
                for v in failing
            )
            + open_server.trouble(),
            pytrace=False,
        )
