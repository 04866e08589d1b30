"""The per-request revocation check: a local copy of the denylist, refreshed at most once a second.

Every request with a bearer token asks `DenylistCheck.is_revoked`; the answer comes from sets in
this process. The copy is brought up to date when it is older than `sync_seconds`: one cheap
version read, and a full read only when the version changed. So a revocation reaches every
replica within about a second, and a request pays a store round trip at most once a second per
replica (and nothing at all with the in-memory denylist, whose copy is refreshed every time).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

from jamf_mcp.adapters.oauth_server.denylist import GRANT, AccessDenylist, Denial, subject_key


class DenylistCheck:
    """Implements the verifier's `RevokedTokens` check over an `AccessDenylist`.

    Args:
        denylist: the shared denials.
        issuer: our own issuer; only its tokens carry a grant `sid` that means ours.
        sync_seconds: how stale the local copy may be (0: read the version on every check).
        monotonic: the clock for staleness (injectable for tests).
    """

    def __init__(
        self,
        denylist: AccessDenylist,
        issuer: str,
        *,
        sync_seconds: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._denylist = denylist
        self._issuer = issuer.rstrip("/")
        self._sync_seconds = sync_seconds
        self._monotonic = monotonic
        self._synced_at = float("-inf")
        self._version: int | None = None
        self._grants: frozenset[str] = frozenset()
        self._subjects: dict[str, float] = {}
        self._lock = asyncio.Lock()

    async def is_revoked(self, claims: Mapping[str, Any]) -> bool:
        """True when the token's grant was revoked, or its subject was after it was issued."""
        await self._sync()
        if not self._grants and not self._subjects:
            return False
        sid = claims.get("sid")
        issuer = claims.get("iss")
        ours = isinstance(issuer, str) and issuer.rstrip("/") == self._issuer
        if ours and isinstance(sid, str) and sid in self._grants:
            return True
        subject = claims.get("sub")
        if not isinstance(subject, str) or not self._subjects:
            return False
        revoked_at = self._subjects.get(subject_key(subject))
        if revoked_at is None:
            return False
        issued = claims.get("iat")
        # A token without `iat` cannot prove it came after the revocation.
        return not isinstance(issued, int | float) or issued <= revoked_at

    async def subject_revoked_since(self, subject: str, signed_in_at: float) -> bool:
        """True when `subject` was revoked at or after `signed_in_at` (a grant older than that)."""
        await self._sync()
        revoked_at = self._subjects.get(subject_key(subject))
        return revoked_at is not None and signed_in_at <= revoked_at

    async def _sync(self) -> None:
        if self._monotonic() - self._synced_at < self._sync_seconds:
            return
        self._synced_at = self._monotonic()  # requests arriving meanwhile use the copy
        version = await self._denylist.version()
        if version == self._version:
            return
        async with self._lock:  # one full read when the list changed
            if version != self._version:
                version, entries = await self._denylist.entries()
                self._load(entries)
                self._version = version

    def _load(self, entries: list[Denial]) -> None:
        subjects: dict[str, float] = {}
        for denial in entries:
            if denial.kind != GRANT:
                subjects[denial.value] = max(denial.at, subjects.get(denial.value, denial.at))
        self._grants = frozenset(d.value for d in entries if d.kind == GRANT)
        self._subjects = subjects
