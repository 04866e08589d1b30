"""The OAuth front door's state in Redis, shared by every replica (implements `OAuthStateStore`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from redis.asyncio import Redis

from jamf_mcp.adapters.oauth_server.records import (
    AuthorizationCode,
    PendingAuthorization,
    RefreshGrant,
    RegisteredClient,
    UpstreamAuthorization,
)
from jamf_mcp.adapters.redis.connection import reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, KeySpace, hashed
from jamf_mcp.adapters.redis.oauth_mapping import (
    client_from_json,
    client_to_json,
    code_from_json,
    code_to_json,
    pending_from_json,
    pending_to_json,
    refresh_from_json,
    refresh_to_json,
    upstream_from_json,
    upstream_to_json,
)

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server.store import OAuthStateStore

SPENT_CODE_SECONDS = 3600.0
"""How long a redeemed code is remembered (as in memory: a replay an hour later is still one)."""
REVOKED_FAMILY_SECONDS = 30 * 24 * 3600.0
"""How long a revoked family refuses new refresh tokens (as in memory)."""

# KEYS: code, spent marker; ARGV: marker ttl (ms). Take the code, leave the marker.
_TAKE_CODE = """
local found = redis.call('HMGET', KEYS[1], 'r', 'f')
if not found[1] then return false end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], found[2], 'PX', ARGV[1])
return found[1]
"""

# KEYS: token, family set, family's revocation; ARGV: record, family id, family part, ttl (ms),
# token digest. A revoked family gets no new tokens; the family set outlives its longest token.
_SAVE_REFRESH = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'r', ARGV[1], 'f', ARGV[2], 'fk', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('SADD', KEYS[2], ARGV[5])
if redis.call('PTTL', KEYS[2]) < tonumber(ARGV[4]) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
return 1
"""

# KEYS: token, spent marker; ARGV: family-set key prefix, revocation key prefix, token digest.
# Take the token, leave a marker for the rest of its lifetime; a revoked family's token is spent
# but not returned. (The family keys are named from the record, so this needs a single Redis.)
_TAKE_REFRESH = """
local found = redis.call('HMGET', KEYS[1], 'r', 'f', 'fk')
if not found[1] then return false end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('SREM', ARGV[1] .. found[3], ARGV[3])
if ttl > 0 then redis.call('SET', KEYS[2], found[2], 'PX', ttl) end
if redis.call('EXISTS', ARGV[2] .. found[3]) == 1 then return false end
return found[1]
"""

# KEYS: family set, family's revocation; ARGV: token key prefix, revocation ttl (ms).
_REVOKE_FAMILY = """
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
local tokens = redis.call('SMEMBERS', KEYS[1])
for _, token in ipairs(tokens) do redis.call('DEL', ARGV[1] .. token) end
redis.call('DEL', KEYS[1])
return #tokens
"""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _text(raw: bytes | str | None) -> str | None:
    return raw.decode() if isinstance(raw, bytes) else raw


class RedisOAuthStateStore:
    """An `OAuthStateStore` in Redis: every `take_*` is one atomic command or script.

    Pending sign-ins and upstream round trips are JSON strings taken with `GETDEL`; codes and
    refresh tokens are hashes (record and family) taken by scripts that leave the spent markers
    in the same step. Each family keeps a set of its live refresh tokens' digests, so
    `revoke_family` deletes them all and marks the family revoked, atomically. Codes and refresh
    tokens are keyed by the digests the callers pass; every other key part (client id,
    transaction id, state, family id) is hashed. TTLs are Redis's own. Needs a single Redis
    (or a primary with replicas), not Redis Cluster: the refresh scripts name family keys
    they read from the token's record.

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: Redis, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._keys = KeySpace(prefix)
        self._take_code = redis.register_script(_TAKE_CODE)
        self._save_refresh = redis.register_script(_SAVE_REFRESH)
        self._take_refresh = redis.register_script(_TAKE_REFRESH)
        self._revoke_family = redis.register_script(_REVOKE_FAMILY)

    async def save_client(self, client: RegisteredClient) -> None:
        """Remember a dynamically registered client (no expiry)."""
        with reaching_redis():
            await self._redis.set(
                self._keys.of("oauth:client", client.client_id), client_to_json(client)
            )

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The registered client with this id."""
        with reaching_redis():
            raw = await self._redis.get(self._keys.of("oauth:client", client_id))
        return None if raw is None else client_from_json(raw)

    async def save_pending(self, pending: PendingAuthorization, ttl: float) -> None:
        """Remember an authorization request until the user answers the consent page."""
        key = self._keys.of("oauth:pending", pending.transaction_id)
        with reaching_redis():
            await self._redis.set(key, pending_to_json(pending), px=_ms(ttl))

    async def take_pending(self, transaction_id: str) -> PendingAuthorization | None:
        """Remove and return a pending authorization request."""
        with reaching_redis():
            raw = await self._redis.getdel(self._keys.of("oauth:pending", transaction_id))
        return None if raw is None else pending_from_json(raw)

    async def save_upstream(self, upstream: UpstreamAuthorization, ttl: float) -> None:
        """Remember our state, nonce and verifier while the user is at the upstream provider."""
        key = self._keys.of("oauth:upstream", upstream.state)
        with reaching_redis():
            await self._redis.set(key, upstream_to_json(upstream), px=_ms(ttl))

    async def take_upstream(self, state: str) -> UpstreamAuthorization | None:
        """Remove and return the round trip with our `state`."""
        with reaching_redis():
            raw = await self._redis.getdel(self._keys.of("oauth:upstream", state))
        return None if raw is None else upstream_from_json(raw)

    async def save_code(self, code_digest: str, code: AuthorizationCode, ttl: float) -> None:
        """Remember an authorization code."""
        key = self._keys.given("oauth:code", code_digest)
        with reaching_redis():
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.delete(key)
                pipe.hset(key, mapping={"r": code_to_json(code), "f": code.family_id})
                pipe.pexpire(key, _ms(ttl))
                await pipe.execute()

    async def take_code(self, code_digest: str) -> AuthorizationCode | None:
        """Remove and return a code, leaving a marker that `spent_code_family` reports."""
        keys = [self._keys.given("oauth:code", code_digest), self._spent_code(code_digest)]
        with reaching_redis():
            raw = await self._take_code(keys=keys, args=[_ms(SPENT_CODE_SECONDS)])
        return None if raw is None else code_from_json(raw)

    async def spent_code_family(self, code_digest: str) -> str | None:
        """The refresh family of a code already redeemed (remembered for an hour)."""
        with reaching_redis():
            return _text(await self._redis.get(self._spent_code(code_digest)))

    async def save_refresh(self, token_digest: str, grant: RefreshGrant, ttl: float) -> None:
        """Remember a refresh token (ignored for a revoked family)."""
        family = hashed(grant.family_id)
        keys = [
            self._keys.given("oauth:refresh", token_digest),
            self._keys.given("oauth:family", family),
            self._keys.given("oauth:revoked-family", family),
        ]
        args: list[bytes | str | int] = [
            refresh_to_json(grant),
            grant.family_id,
            family,
            _ms(ttl),
            token_digest,
        ]
        with reaching_redis():
            await self._save_refresh(keys=keys, args=args)

    async def take_refresh(self, token_digest: str) -> RefreshGrant | None:
        """Remove and return a live refresh token, leaving a marker for `spent_refresh_family`."""
        keys = [self._keys.given("oauth:refresh", token_digest), self._spent_refresh(token_digest)]
        args = [
            self._keys.given("oauth:family", ""),
            self._keys.given("oauth:revoked-family", ""),
            token_digest,
        ]
        with reaching_redis():
            raw = await self._take_refresh(keys=keys, args=args)
        return None if raw is None else refresh_from_json(raw)

    async def spent_refresh_family(self, token_digest: str) -> str | None:
        """The family of a refresh token already rotated away (remembered for its lifetime)."""
        with reaching_redis():
            return _text(await self._redis.get(self._spent_refresh(token_digest)))

    async def revoke_family(self, family_id: str) -> None:
        """Make every live refresh token of a family unusable, and refuse new ones."""
        family = hashed(family_id)
        keys = [
            self._keys.given("oauth:family", family),
            self._keys.given("oauth:revoked-family", family),
        ]
        args: list[str | int] = [self._keys.given("oauth:refresh", ""), _ms(REVOKED_FAMILY_SECONDS)]
        with reaching_redis():
            await self._revoke_family(keys=keys, args=args)

    def _spent_code(self, code_digest: str) -> str:
        return self._keys.given("oauth:spent-code", code_digest)

    def _spent_refresh(self, token_digest: str) -> str:
        return self._keys.given("oauth:spent-refresh", token_digest)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_oauth_state_store: type[OAuthStateStore] = RedisOAuthStateStore
