"""Confirmed policy runs followed until each computer ran or expired."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from jamf_mcp.domain.policy_runs import TrackedPolicyRun


class PolicyRunTracker(Protocol):
    """Confirmed policy runs being followed until each computer ran or expired.

    Shared between replicas when backed by Redis. Bounded: finished runs are kept for a limited
    time (or number), then forgotten.
    """

    async def track(self, run: TrackedPolicyRun) -> None:
        """Start following `run` (replaces a run with the same record id)."""
        ...

    async def get(self, record_id: str) -> TrackedPolicyRun | None:
        """The run of this audit record, if it is (still) known."""
        ...

    async def open_runs(self) -> Sequence[TrackedPolicyRun]:
        """Every run with a computer still queued."""
        ...

    async def save(self, run: TrackedPolicyRun) -> None:
        """Store the run's new device states (an open run stays listed until it is not open)."""
        ...

    async def lead(self, owner: str, seconds: float) -> bool:
        """Claim (or renew) the reconciler's lease for `seconds`; True when `owner` holds it.

        Raises:
            StateUnavailable: a shared store cannot be reached.
        """
        ...
