"""Approvals and page sessions kept in process memory (implement `ApprovalStore`, `PageSessions`)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from jamf_mcp.application.approvals import PageSession, PageSignIn
from jamf_mcp.domain.approvals import Approval, ApprovalClosed, ApprovalState

if TYPE_CHECKING:
    from jamf_mcp.application.approvals import ApprovalStore, PageSessions

KEEP_AFTER_EXPIRY = timedelta(minutes=1)
"""How long past its expiry an approval is kept, so a late visit reads "expired"."""


@attrs.define
class InMemoryApprovalStore:
    """An `ApprovalStore` for one process: dicts guarded by an `asyncio.Lock` (inspectable)."""

    approvals: dict[str, Approval] = attrs.field(factory=dict)
    lookups: dict[str, str] = attrs.field(factory=dict)
    _lock: asyncio.Lock = attrs.field(factory=asyncio.Lock, init=False, repr=False)

    async def put(self, approval: Approval) -> None:
        """Keep `approval` and point its lookup at it; `ValueError` for a known id."""
        async with self._lock:
            if approval.approval_id in self.approvals:
                raise ValueError("an approval with this id is already stored")
            cutoff = approval.created_at - KEEP_AFTER_EXPIRY
            for old in [a for a in self.approvals.values() if a.expires_at <= cutoff]:
                del self.approvals[old.approval_id]
                if self.lookups.get(old.lookup) == old.approval_id:
                    del self.lookups[old.lookup]
            self.approvals[approval.approval_id] = approval
            self.lookups[approval.lookup] = approval.approval_id

    async def get(self, approval_id: str) -> Approval | None:
        """The approval as it stands, or None."""
        return self.approvals.get(approval_id)

    async def find(self, lookup: str) -> Approval | None:
        """The latest approval under `lookup`, or None."""
        approval_id = self.lookups.get(lookup)
        return None if approval_id is None else self.approvals.get(approval_id)

    async def decide(self, approval_id: str, approve: bool, now: datetime) -> Approval:
        """Approve or decline under the lock (one winner)."""
        async with self._lock:
            decided = self.approvals[approval_id].decided(approve, now)
            self.approvals[approval_id] = decided
            return decided

    async def claim(self, approval_id: str) -> bool:
        """Approved or declined to used under the lock; True for the one caller that did it."""
        async with self._lock:
            approval = self.approvals.get(approval_id)
            if approval is None:
                return False
            if approval.state is ApprovalState.DECLINED:
                self.approvals[approval_id] = attrs.evolve(approval, state=ApprovalState.USED)
                return True
            try:
                self.approvals[approval_id] = approval.claimed()
            except ApprovalClosed:
                return False
            return True


@attrs.define
class InMemoryPageSessions:
    """`PageSessions` for one process (inspectable dicts; times from the event loop's clock)."""

    sessions: dict[str, PageSession] = attrs.field(factory=dict)
    sign_ins: dict[str, tuple[float, PageSignIn]] = attrs.field(factory=dict)

    async def start_sign_in(self, state: str, sign_in: PageSignIn, ttl_seconds: int) -> None:
        """Keep the round trip until `ttl_seconds` from now."""
        now = asyncio.get_running_loop().time()
        for stale in [s for s, (until, _) in self.sign_ins.items() if until <= now]:
            del self.sign_ins[stale]
        self.sign_ins[state] = (now + ttl_seconds, sign_in)

    async def take_sign_in(self, state: str) -> PageSignIn | None:
        """Remove and return the round trip, if it is still live."""
        entry = self.sign_ins.pop(state, None)
        if entry is None or entry[0] <= asyncio.get_running_loop().time():
            return None
        return entry[1]

    async def put(self, cookie_digest: str, session: PageSession) -> None:
        """Keep the session (dropping ones that ended a day before it will)."""
        cutoff = session.expires_at - timedelta(days=1)
        for digest in [d for d, s in self.sessions.items() if s.expires_at < cutoff]:
            del self.sessions[digest]
        self.sessions[cookie_digest] = session

    async def get(self, cookie_digest: str, now: datetime) -> PageSession | None:
        """The live session, or None."""
        session = self.sessions.get(cookie_digest)
        if session is None or session.expires_at <= now:
            return None
        return session


if TYPE_CHECKING:  # mypy proves the ports are implemented; nothing happens at runtime
    _implements_approvals: type[ApprovalStore] = InMemoryApprovalStore
    _implements_sessions: type[PageSessions] = InMemoryPageSessions
