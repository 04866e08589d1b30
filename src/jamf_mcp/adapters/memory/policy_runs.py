"""`InMemoryPolicyRunTracker`: tracked policy runs in this process (one replica)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from jamf_mcp.domain.policy_runs import TrackedPolicyRun

if TYPE_CHECKING:
    from jamf_mcp.application.ports.policy_runs import PolicyRunTracker

MAX_RUNS = 10_000


class InMemoryPolicyRunTracker:
    """Implements `PolicyRunTracker` in a dict; this process is always the reconciler's leader.

    Bounded: beyond `max_runs` the oldest finished runs are forgotten first (open runs are kept
    until they finish).
    """

    def __init__(self, max_runs: int = MAX_RUNS) -> None:
        self._runs: OrderedDict[str, TrackedPolicyRun] = OrderedDict()
        self._max = max_runs

    async def track(self, run: TrackedPolicyRun) -> None:
        """Start following `run`."""
        self._runs[run.record_id] = run
        self._runs.move_to_end(run.record_id)
        self._trim()

    async def get(self, record_id: str) -> TrackedPolicyRun | None:
        """The run of this audit record, if known."""
        return self._runs.get(record_id)

    async def open_runs(self) -> Sequence[TrackedPolicyRun]:
        """Runs with a computer still queued, oldest first."""
        return [run for run in self._runs.values() if run.is_open]

    async def save(self, run: TrackedPolicyRun) -> None:
        """Store new device states."""
        if run.record_id in self._runs:
            self._runs[run.record_id] = run

    async def lead(self, owner: str, seconds: float) -> bool:
        """One process: always the leader."""
        return True

    def _trim(self) -> None:
        for record_id in [r for r, run in self._runs.items() if not run.is_open]:
            if len(self._runs) <= self._max:
                return
            del self._runs[record_id]


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_tracker: type[PolicyRunTracker] = InMemoryPolicyRunTracker
