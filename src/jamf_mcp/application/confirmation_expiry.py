"""Recording confirmations nobody answered as expired, so the trail says so without a reader
having to work it out."""

from __future__ import annotations

from datetime import timedelta

from jamf_mcp.application.ports.audit import AuditLog
from jamf_mcp.application.ports.clock import Clock

GRACE = timedelta(seconds=60)
"""How long after its deadline a question is left before it is recorded as expired: longer
than any clock skew between replicas and any approval still being written."""


class ExpireConfirmations:
    """Append `expired` to every question whose deadline passed with no answer.

    Rules:
    - A question (token, form or page) open past its deadline plus `grace`, with no approval,
      decline, cancellation or expiry, is recorded as expired at its deadline, once, whichever
      replica sweeps first.
    - An attempt to use the token after the deadline is recorded separately, as refused
      (reason `expired`), by the confirmation gate.

    Args:
        audit: the trail.
        clock: now.
        grace: see `GRACE`.
    """

    def __init__(self, audit: AuditLog, clock: Clock, grace: timedelta = GRACE) -> None:
        self._audit = audit
        self._clock = clock
        self._grace = grace

    async def execute(self) -> int:
        """Sweep once; how many questions were recorded as expired."""
        return await self._audit.expire_overdue(self._clock.now(), self._grace)
