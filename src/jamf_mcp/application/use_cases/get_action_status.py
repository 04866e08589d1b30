"""Use case: where a confirmed policy run stands on each computer, by its audit record id."""

from __future__ import annotations

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.policy_run_reconciler import refresh_run
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_policies import PolicyHistory
from jamf_mcp.application.ports.policy_runs import PolicyRunTracker
from jamf_mcp.domain.errors import InvalidRequest
from jamf_mcp.domain.policy_runs import TrackedPolicyRun
from jamf_mcp.domain.principal import Principal

MAX_LIVE_CHECKS = 100
"""Queued computers whose policy logs are read live per call (the reconciler does the rest)."""


@attrs.frozen
class ActionStatusRequest:
    """The audit record id a confirmed action reported (`auditRecordId`)."""

    record_id: str


class GetActionStatus:
    """Show a confirmed policy run (executePolicy, or updateInventory's computers) per computer.

    Rules:
    - Needs `read:jamf`.
    - States: queued, ran, failed (Jamf logged the run as failed), expired (no run in time).
    - Queued computers are checked against their policy logs now (up to 100 per call), so the
      answer does not wait for the reconciler; nothing is changed in Jamf by this call.
    - A record that is not a tracked policy run is an error saying where to look instead.
    """

    required_scopes = READ

    def __init__(self, tracker: PolicyRunTracker, history: PolicyHistory, clock: Clock) -> None:
        self._tracker = tracker
        self._history = history
        self._clock = clock

    async def execute(self, request: ActionStatusRequest, principal: Principal) -> TrackedPolicyRun:
        """The run with each computer's current state."""
        require(principal, self.required_scopes)
        record_id = request.record_id.strip()
        run = await self._tracker.get(record_id) if record_id else None
        if run is None:
            raise InvalidRequest(
                f"No policy run is tracked for audit record {record_id!r}. Policy runs are kept "
                "for a week after they expire; MDM commands are followed with getCommandStatus "
                "(by commandUuid), and mobile inventory requests are not tracked."
            )
        if len(run.queued_ids()) > MAX_LIVE_CHECKS:
            return run
        return run.settle(await refresh_run(run, self._history, self._clock))
