"""The development IdP's state in Redis, so a sign-in works whichever replica each step reaches
(implements `DevIdpState`).

A login form is a hash (`r` the record, `n` the wrong passwords so far, counted with `HINCRBY`);
codes and refresh tokens are strings under their digests, taken with `GETDEL`. Every key expires
with its record; login ids are hashed in keys, and each key is its own slot anchor. Counting a
failure and every take run once per call (`OnceScript`): a replay neither counts a wrong password
twice nor answers "gone" for a form, code or token it has just taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamf_mcp.adapters.dev_idp.grants import CodeGrant, PendingLogin, RefreshRecord
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.dev_idp_mapping import (
    code_from_json,
    code_to_json,
    login_from_json,
    login_to_json,
    refresh_from_json,
    refresh_to_json,
)
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space
from jamf_mcp.adapters.redis.once import TAKE, OnceScript
from jamf_mcp.application.ports.clock import Clock

if TYPE_CHECKING:
    from jamf_mcp.adapters.dev_idp.state import DevIdpState

# KEYS: the login form. Count a failure on a form that still exists (0 when it does not).
_COUNT_FAILURE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
return redis.call('HINCRBY', KEYS[1], 'n', 1)
"""

# KEYS: the login form. Remove it; its record and failures (nil when there is none).
_TAKE_LOGIN = """
local found = redis.call('HMGET', KEYS[1], 'r', 'n')
if not found[1] then return false end
redis.call('DEL', KEYS[1])
return found
"""


class RedisDevIdpState:
    """A `DevIdpState` in Redis.

    Args:
        redis: the shared client.
        clock: turns records' `expires_at` into time to live.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, clock: Clock, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._clock = clock
        self._keys = key_space(redis, prefix)
        self._count_failure = OnceScript(redis, _COUNT_FAILURE)
        self._take_login = OnceScript(redis, _TAKE_LOGIN)
        self._take = OnceScript(redis, TAKE)

    def _ttl_ms(self, expires_at: float) -> int:
        return max(1, round((expires_at - self._clock.now().timestamp()) * 1000))

    def _login(self, login_id: str) -> str:
        return self._keys.of("dev-idp:login", login_id)

    async def save_login(self, login: PendingLogin) -> None:
        """Remember a login form until its `expires_at`."""
        key = self._login(login.login_id)
        with reaching_redis():
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(key)
                pipe.hset(key, mapping={"r": login_to_json(login), "n": 0})
                pipe.pexpire(key, self._ttl_ms(login.expires_at))
                await pipe.execute()

    async def login(self, login_id: str) -> PendingLogin | None:
        """The live login form with this id."""
        with reaching_redis():
            raw, failures = await self._redis.hmget(self._login(login_id), ["r", "n"])
        return None if raw is None else login_from_json(raw, int(failures or 0))

    async def count_failure(self, login_id: str) -> int:
        """Count one wrong password; the attempts so far (0 when the form is gone)."""
        return int(await self._count_failure([self._login(login_id)]))

    async def take_login(self, login_id: str) -> PendingLogin | None:
        """Remove and return the login form."""
        found = await self._take_login([self._login(login_id)])
        if found is None:
            return None
        raw, failures = found
        return login_from_json(raw, int(failures or 0))

    async def save_code(self, code_digest: str, grant: CodeGrant) -> None:
        """Remember an authorization code until its `expires_at`."""
        key = self._keys.given("dev-idp:code", code_digest)
        with reaching_redis():
            await self._redis.set(key, code_to_json(grant), px=self._ttl_ms(grant.expires_at))

    async def take_code(self, code_digest: str) -> CodeGrant | None:
        """Remove and return a live code."""
        raw = await self._take([self._keys.given("dev-idp:code", code_digest)])
        return None if raw is None else code_from_json(raw)

    async def save_refresh(self, token_digest: str, record: RefreshRecord) -> None:
        """Remember a refresh token until its `expires_at`."""
        key = self._keys.given("dev-idp:refresh", token_digest)
        with reaching_redis():
            await self._redis.set(key, refresh_to_json(record), px=self._ttl_ms(record.expires_at))

    async def take_refresh(self, token_digest: str) -> RefreshRecord | None:
        """Remove and return a live refresh token."""
        raw = await self._take([self._keys.given("dev-idp:refresh", token_digest)])
        return None if raw is None else refresh_from_json(raw)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_dev_idp_state: type[DevIdpState] = RedisDevIdpState
