"""Pending confirmations in Redis, redeemable once across every replica (implements `ConfirmationStore`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from jamf_mcp.adapters.redis import stored_json as f
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space
from jamf_mcp.adapters.redis.once import OnceScript
from jamf_mcp.domain.confirmations import PendingConfirmation
from jamf_mcp.domain.errors import ConfirmationUnknown
from jamf_mcp.domain.principal import Principal

if TYPE_CHECKING:
    from jamf_mcp.application.ports.confirmations import ConfirmationStore

REPLAY_GRACE = timedelta(minutes=1)
"""How long past its expiry a confirmation is kept, so a late attempt reads "expired"."""

# KEYS[1] the confirmation; ARGV: the value, its lifetime (ms). Store a new one (1) or refuse (0).
_PUT = """
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
return 0
"""

# KEYS[1] the confirmation; ARGV: the value read, the value to write. Compare and swap.
_SWAP = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
"""


def confirmation_to_json(confirmation: PendingConfirmation) -> bytes:
    """The stored form of a confirmation: everything but the token (the key is its digest)."""
    return f.dump(
        {
            "principal_key": confirmation.principal_key,
            "digest": confirmation.digest,
            "created_at": confirmation.created_at.isoformat(),
            "expires_at": confirmation.expires_at.isoformat(),
            "redeemed": confirmation.redeemed,
        }
    )


def confirmation_from_json(token: str, raw: bytes | str) -> PendingConfirmation:
    """The confirmation stored under `token`'s digest.

    Raises:
        StoredRecordInvalid: the record is not one `confirmation_to_json` wrote.
    """
    record = f.load(raw)
    return PendingConfirmation(
        token=token,
        principal_key=f.text(record, "principal_key"),
        digest=f.text(record, "digest"),
        created_at=f.instant(record, "created_at"),
        expires_at=f.instant(record, "expires_at"),
        redeemed=f.flag(record, "redeemed"),
    )


class RedisConfirmationStore:
    """A `ConfirmationStore` in Redis: one JSON string per confirmation, under the token's digest.

    Redemption reads the confirmation, applies the domain rule (`PendingConfirmation.redeem`)
    and writes the redeemed copy with a compare-and-swap script that succeeds only if the value
    is still the one read — so of any number of concurrent redemptions, on any replicas, exactly
    one wins, and a refused one writes nothing. Both scripts run once per call (`OnceScript`):
    a swap the client sends again after losing its reply answers "swapped", not "already used".
    A confirmation is kept for its lifetime plus `REPLAY_GRACE` (measured by Redis from `put`),
    redeemed or not.

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._keys = key_space(redis, prefix)
        self._put = OnceScript(redis, _PUT)
        self._swap = OnceScript(redis, _SWAP)

    def _key(self, token: str) -> str:
        return self._keys.of("confirmation", token)

    async def put(self, confirmation: PendingConfirmation) -> None:
        """Keep `confirmation` at least until it expires.

        Raises:
            ValueError: a confirmation with this token is already stored.
        """
        lifetime = confirmation.expires_at - confirmation.created_at + REPLAY_GRACE
        stored = await self._put(
            [self._key(confirmation.token)],
            [confirmation_to_json(confirmation), max(1, lifetime // timedelta(milliseconds=1))],
        )
        if not stored:
            raise ValueError("a confirmation with this token is already stored")

    async def redeem(
        self, token: str, principal: Principal, digest: str, now: datetime
    ) -> PendingConfirmation:
        """Check the confirmation and mark it used in one atomic step; return the redeemed copy.

        Raises:
            ConfirmationUnknown: no confirmation has this token.
            ConfirmationNotYours / ConfirmationAlreadyUsed / ConfirmationExpired /
            ConfirmationMismatch: as `PendingConfirmation.check_redeem`.
        """
        key = self._key(token)
        # At most two rounds: a stored confirmation changes once (to redeemed), then only expires.
        while True:
            with reaching_redis():
                raw = await self._redis.get(key)
            if raw is None:
                raise ConfirmationUnknown()
            redeemed = confirmation_from_json(token, raw).redeem(principal, digest, now)
            if await self._swap([key], [raw, confirmation_to_json(redeemed)]):
                return redeemed


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_confirmation_store: type[ConfirmationStore] = RedisConfirmationStore
