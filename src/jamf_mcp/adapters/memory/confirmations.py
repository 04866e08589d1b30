"""Pending confirmations kept in process memory (implements `ConfirmationStore`)."""

from __future__ import annotations

import asyncio
from datetime import datetime

import attrs

from jamf_mcp.domain.confirmations import PendingConfirmation
from jamf_mcp.domain.errors import ConfirmationUnknown
from jamf_mcp.domain.principal import Principal


@attrs.define
class InMemoryConfirmationStore:
    """A `ConfirmationStore` for one process: a dict guarded by an `asyncio.Lock`.

    `confirmations` is inspectable by tests. Expired confirmations are dropped when a new one is
    put; a redeemed one is kept until it expires so a replay is reported as such.
    """

    confirmations: dict[str, PendingConfirmation] = attrs.field(factory=dict)
    _lock: asyncio.Lock = attrs.field(factory=asyncio.Lock, init=False, repr=False)

    async def put(self, confirmation: PendingConfirmation) -> None:
        """Keep `confirmation`; raise `ValueError` if its token is already stored."""
        async with self._lock:
            if confirmation.token in self.confirmations:
                raise ValueError("a confirmation with this token is already stored")
            now = confirmation.created_at
            for token in [t for t, c in self.confirmations.items() if c.expires_at <= now]:
                del self.confirmations[token]
            self.confirmations[confirmation.token] = confirmation

    async def redeem(
        self, token: str, principal: Principal, digest: str, now: datetime
    ) -> PendingConfirmation:
        """Check and mark used under the lock, so concurrent redeems of one token yield one winner."""
        async with self._lock:
            pending = self.confirmations.get(token)
            if pending is None:
                raise ConfirmationUnknown()
            redeemed = pending.redeem(principal, digest, now)
            self.confirmations[token] = redeemed
            return redeemed
