"""Approvals and page sessions in Redis, shared by every replica (implement `ApprovalStore`,
`PageSessions`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import attrs

from jamf_mcp.adapters.redis.approval_mapping import (
    approval_from_json,
    approval_to_json,
    session_from_json,
    session_to_json,
    sign_in_from_json,
    sign_in_to_json,
)
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space
from jamf_mcp.adapters.redis.once import TAKE, OnceScript
from jamf_mcp.application.approvals import PageSession, PageSignIn
from jamf_mcp.domain.approvals import Approval, ApprovalState

if TYPE_CHECKING:
    from jamf_mcp.application.approvals import ApprovalStore, PageSessions

KEEP_AFTER_EXPIRY = timedelta(minutes=1)
"""How long past its expiry an approval is kept, so a late visit or call reads "expired"."""

# KEYS[1] the approval; ARGV: the value, its lifetime (ms). Store a new one (1) or refuse (0).
_PUT = """
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
return 0
"""

# KEYS[1] the approval; ARGV: the value read, the value to write. Compare and swap.
_SWAP = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
"""


def _milliseconds(delta: timedelta) -> int:
    return max(1, delta // timedelta(milliseconds=1))


class RedisApprovalStore:
    """An `ApprovalStore` in Redis: one JSON string per approval under its id's digest, and a
    lookup key (under the lookup's digest) holding the id of the latest approval for it.

    Decisions and claims read the approval, apply the domain rule and write with a
    compare-and-swap script that succeeds only if the value is still the one read, so of any
    number of concurrent decisions or claims on any replicas exactly one wins. Both scripts run
    once per call (`OnceScript`). The lookup is a plain `SET` of a fixed value with an expiry
    (idempotent as sent). Each command touches one key, so no slot questions arise.

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._keys = key_space(redis, prefix)
        self._put = OnceScript(redis, _PUT)
        self._swap = OnceScript(redis, _SWAP)

    def _key(self, approval_id: str) -> str:
        return self._keys.of("approval", approval_id)

    def _lookup(self, lookup: str) -> str:
        return self._keys.of("approval-lookup", lookup)

    async def put(self, approval: Approval) -> None:
        """Keep `approval` (its lifetime plus a minute) and point its lookup at it.

        Raises:
            ValueError: an approval with this id is already stored.
        """
        lifetime = _milliseconds(approval.expires_at - approval.created_at + KEEP_AFTER_EXPIRY)
        stored = await self._put(
            [self._key(approval.approval_id)], [approval_to_json(approval), lifetime]
        )
        if not stored:
            raise ValueError("an approval with this id is already stored")
        with reaching_redis():
            await self._redis.set(self._lookup(approval.lookup), approval.approval_id, px=lifetime)

    async def get(self, approval_id: str) -> Approval | None:
        """The approval as it stands, or None."""
        with reaching_redis():
            raw = await self._redis.get(self._key(approval_id))
        return None if raw is None else approval_from_json(raw)

    async def find(self, lookup: str) -> Approval | None:
        """The latest approval under `lookup`, or None."""
        with reaching_redis():
            approval_id = await self._redis.get(self._lookup(lookup))
        if approval_id is None:
            return None
        text = approval_id.decode() if isinstance(approval_id, bytes) else str(approval_id)
        return await self.get(text)

    async def decide(self, approval_id: str, approve: bool, now: datetime) -> Approval:
        """Approve or decline atomically (compare and swap; one winner).

        Raises:
            ApprovalClosed: not pending, or expired.
            KeyError: unknown id.
        """
        key = self._key(approval_id)
        while True:
            with reaching_redis():
                raw = await self._redis.get(key)
            if raw is None:
                raise KeyError(approval_id)
            decided = approval_from_json(raw).decided(approve, now)
            if await self._swap([key], [raw, approval_to_json(decided)]):
                return decided

    async def claim(self, approval_id: str) -> bool:
        """Approved (or declined) to used atomically; True for the one caller that did it."""
        key = self._key(approval_id)
        while True:
            with reaching_redis():
                raw = await self._redis.get(key)
            if raw is None:
                return False
            approval = approval_from_json(raw)
            if approval.state not in (ApprovalState.APPROVED, ApprovalState.DECLINED):
                return False
            used = approval_to_json(_used(approval))
            if await self._swap([key], [raw, used]):
                return True


def _used(approval: Approval) -> Approval:
    return attrs.evolve(approval, state=ApprovalState.USED)


class RedisPageSessions:
    """`PageSessions` in Redis: sessions and round trips as JSON strings under digests, each
    with its own expiry; a round trip is taken once (`GETDEL` through `OnceScript`).

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._keys = key_space(redis, prefix)
        self._take = OnceScript(redis, TAKE)

    async def start_sign_in(self, state: str, sign_in: PageSignIn, ttl_seconds: int) -> None:
        """Keep the round trip (a `SET` of a fixed value: idempotent as sent)."""
        with reaching_redis():
            await self._redis.set(
                self._keys.of("page-sign-in", state), sign_in_to_json(sign_in), ex=ttl_seconds
            )

    async def take_sign_in(self, state: str) -> PageSignIn | None:
        """Remove and return the round trip, once."""
        raw = await self._take([self._keys.of("page-sign-in", state)])
        return None if raw is None else sign_in_from_json(raw)

    async def put(self, cookie_digest: str, session: PageSession) -> None:
        """Keep the session until it expires (`SET` with `PXAT`: idempotent as sent)."""
        until = int(session.expires_at.timestamp() * 1000)
        with reaching_redis():
            await self._redis.set(
                self._keys.given("page-session", cookie_digest),
                session_to_json(session),
                pxat=until,
            )

    async def get(self, cookie_digest: str, now: datetime) -> PageSession | None:
        """The live session, or None."""
        with reaching_redis():
            raw = await self._redis.get(self._keys.given("page-session", cookie_digest))
        if raw is None:
            return None
        session = session_from_json(raw)
        return session if session.expires_at > now else None


if TYPE_CHECKING:  # mypy proves the ports are implemented; nothing happens at runtime
    _implements_approvals: type[ApprovalStore] = RedisApprovalStore
    _implements_sessions: type[PageSessions] = RedisPageSessions
