"""The access-token denylist in Redis, shared by every replica (implements `AccessDenylist`).

One sorted set holds the denials, each member `<kind>:<value>:<revoked at, ms>` scored by when it
may be forgotten; one counter is the version replicas poll. Values are already digests (a grant's
`sid`, a subject's SHA-256), so the keys and members name no one. Both keys are anchored on the
`oauth:denylist` group (one slot of a cluster: they are written in one transaction). Adding is
safe to replay: the entries are added with their own scores, and a version bumped twice only makes
replicas read the entries once more.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jamf_mcp.adapters.oauth_server.denylist import MAX_DENIALS, Denial
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space
from jamf_mcp.application.ports.clock import Clock

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server.denylist import AccessDenylist


def _member(denial: Denial) -> str:
    return f"{denial.kind}:{denial.value}:{round(denial.at * 1000)}"


def _denial(member: bytes | str, score: float) -> Denial | None:
    text = member.decode() if isinstance(member, bytes) else member
    kind, _, rest = text.partition(":")
    value, _, at = rest.rpartition(":")
    try:
        return Denial(kind=kind, value=value, at=int(at) / 1000, until=score / 1000)
    except ValueError:
        return None  # not written by this version: ignore it rather than refuse everyone


class RedisAccessDenylist:
    """An `AccessDenylist` in Redis.

    Args:
        redis: the shared client.
        clock: the time that decides which entries are over (the replicas' clocks).
        prefix: the key prefix.
        capacity: the most entries kept (those forgotten soonest go first beyond it).
    """

    def __init__(
        self,
        redis: RedisClient,
        clock: Clock,
        *,
        prefix: str = DEFAULT_PREFIX,
        capacity: int = MAX_DENIALS,
    ) -> None:
        self._redis = redis
        self._clock = clock
        self._capacity = capacity
        keys = key_space(redis, prefix)
        self._set = keys.grouped("oauth:denylist", ":entries")
        self._version = keys.grouped("oauth:denylist", ":version")

    def _now_ms(self) -> int:
        return round(self._clock.now().timestamp() * 1000)

    async def add(self, denials: Sequence[Denial]) -> None:
        """Add denials, forget the expired ones and the excess, bump the version (one MULTI)."""
        if not denials:
            return
        scores = {_member(d): round(d.until * 1000) for d in denials}
        with reaching_redis():
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.zadd(self._set, scores, gt=True)
                pipe.zremrangebyscore(self._set, "-inf", self._now_ms())
                pipe.zremrangebyrank(self._set, 0, -(self._capacity + 1))
                pipe.incr(self._version)
                await pipe.execute()

    async def version(self) -> int:
        """The version (0 before the first denial)."""
        with reaching_redis():
            raw = await self._redis.get(self._version)
        return int(raw) if raw is not None else 0

    async def entries(self) -> tuple[int, list[Denial]]:
        """The version and the live denials, read together."""
        with reaching_redis():
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.get(self._version)
                pipe.zrangebyscore(self._set, f"({self._now_ms()}", "+inf", withscores=True)
                raw_version, members = await pipe.execute()
        denials = [_denial(member, score) for member, score in members]
        version = int(raw_version) if raw_version is not None else 0
        return version, [d for d in denials if d is not None]


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_denylist: type[AccessDenylist] = RedisAccessDenylist
