"""Read what `conformance server -o DIR` wrote, and say in words which checks failed and why.

Each scenario run leaves `DIR/server-<scenario>-<timestamp>/checks.json`: a list of checks with
`id`, `status` (SUCCESS, FAILURE, WARNING, INFO, SKIPPED) and, when not passing, an
`errorMessage`. A scenario that crashed leaves an empty directory, and the reason only on the
runner's output (`Failed to run scenario NAME: ...`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import attrs

_RESULT_DIR = re.compile(r"^server-(?P<scenario>.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$")
_CRASH = re.compile(r"^Failed to run scenario (?P<scenario>\S+): (?P<reason>.*)$", re.MULTILINE)
_SCENARIO_LINE = re.compile(r"^\s+- (?P<name>[a-z0-9-]+)(?: \[(?P<tags>[^\]]*)\])?\s*$")


@attrs.frozen
class Check:
    """One check of a scenario, as the suite reported it."""

    id: str
    status: str
    description: str
    message: str

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> Check:
        """Build from one entry of `checks.json`."""
        return cls(
            id=str(raw.get("id", "?")),
            status=str(raw.get("status", "?")),
            description=str(raw.get("description", "")),
            message=str(raw.get("errorMessage") or ""),
        )

    def line(self) -> str:
        """`id: description -- message` on one line."""
        text = f"{self.id}: {self.description}"
        return f"{text} -- {self.message}" if self.message else text


@attrs.frozen
class ScenarioRun:
    """The checks one scenario produced, or why it produced none."""

    scenario: str
    checks: tuple[Check, ...]
    crash: str | None = None

    @property
    def failures(self) -> tuple[Check, ...]:
        """The checks with status FAILURE."""
        return tuple(check for check in self.checks if check.status == "FAILURE")

    @property
    def warnings(self) -> tuple[Check, ...]:
        """The checks with status WARNING (SHOULD-level findings; they do not fail a run)."""
        return tuple(check for check in self.checks if check.status == "WARNING")

    @property
    def passed(self) -> bool:
        """Ran, produced checks, and none of them failed."""
        return self.crash is None and bool(self.checks) and not self.failures

    def explain(self) -> str:
        """Every failed check with its message (then warnings), for an assertion message."""
        if self.crash is not None:
            return f"{self.scenario}: did not run to completion: {self.crash}"
        if not self.checks:
            return f"{self.scenario}: produced no checks"
        lines = [f"{self.scenario}: {len(self.failures)} of {len(self.checks)} checks failed"]
        lines += [f"  FAILED  {check.line()}" for check in self.failures]
        lines += [f"  warning {check.line()}" for check in self.warnings]
        return "\n".join(lines)


def read_runs(output_dir: Path, runner_output: str = "") -> dict[str, ScenarioRun]:
    """Every scenario run under `output_dir`; crash reasons are taken from `runner_output`."""
    crashes = {m["scenario"]: m["reason"].strip() for m in _CRASH.finditer(runner_output)}
    runs: dict[str, ScenarioRun] = {}
    for directory in sorted(output_dir.iterdir()):
        match = _RESULT_DIR.match(directory.name)
        if match is None or not directory.is_dir():
            continue
        scenario = match["scenario"]
        checks_file = directory / "checks.json"
        if checks_file.exists():
            raw = json.loads(checks_file.read_text())
            runs[scenario] = ScenarioRun(scenario, tuple(Check.from_json(c) for c in raw))
        else:
            runs[scenario] = ScenarioRun(
                scenario, (), crash=crashes.get(scenario, "no checks.json written")
            )
    for scenario, reason in crashes.items():
        runs.setdefault(scenario, ScenarioRun(scenario, (), crash=reason))
    return runs


def parse_server_scenarios(listing: str) -> dict[str, tuple[str, ...]]:
    """`conformance list --server` output -> scenario name -> its spec-version tags."""
    scenarios: dict[str, tuple[str, ...]] = {}
    for line in listing.splitlines():
        match = _SCENARIO_LINE.match(line)
        if match:
            tags = tuple(t.strip() for t in (match["tags"] or "").split(",") if t.strip())
            scenarios[match["name"]] = tags
    return scenarios


def default_wire(tags: Iterable[str]) -> str:
    """The wire the runner uses for a scenario without `--spec-version`.

    As the pinned runner decides it: 2026-07-28 for extension scenarios and those introduced in
    2026-07-28, the 2025-11-25 handshake era for everything else.
    """
    tags = tuple(tags)
    return "2026-07-28" if tags in (("2026-07-28",), ("extension",)) else "2025-11-25"
