"""The OAuth front door's state in Redis, shared by every replica (implements `OAuthStateStore`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamf_mcp.adapters.oauth_server.records import (
    AuthorizationCode,
    PendingAuthorization,
    RefreshGrant,
    RegisteredClient,
    UpstreamAuthorization,
)
from jamf_mcp.adapters.oauth_server.store import ClientLease
from jamf_mcp.adapters.redis import oauth_scripts as lua
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, hashed, key_space
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
from jamf_mcp.adapters.redis.once import TAKE, OnceScript

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server.store import OAuthStateStore

SPENT_CODE_SECONDS = 3600.0
"""How long a redeemed code is remembered (as in memory: a replay an hour later is still one)."""
REVOKED_FAMILY_SECONDS = 30 * 24 * 3600.0
"""How long a revoked family refuses new refresh tokens (as in memory)."""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def _at(seconds: float) -> int:
    return round(seconds * 1000)


def _text(raw: bytes | str | None) -> str | None:
    return raw.decode() if isinstance(raw, bytes) else raw


class RedisOAuthStateStore:
    """An `OAuthStateStore` in Redis: every `take_*` is one atomic command or script.

    Pending sign-ins and upstream round trips are JSON strings taken with `GETDEL`; codes and
    refresh tokens are hashes (record and family) taken by scripts that leave the spent markers
    in the same step. Each family keeps a set of its live refresh tokens' digests, so
    `revoke_family` deletes them all and marks the family revoked, atomically; sorted sets index
    families by subject and by client (scored by their latest token's end). Registered clients
    are strings that expire when their lease ends, listed in a sorted set scored by how long
    they are in use, so a full store forgets the longest-unused one. Codes and refresh tokens are
    keyed by the digests the callers pass; every other key part (client id, transaction id,
    state, family id, subject) is hashed. See `oauth_scripts` for the scripts.

    On a cluster: registered clients and their lease index are anchored on the `oauth:client`
    group, refresh tokens with everything about their families on the `oauth` group (a take or a
    revocation reaches keys named from records); a code and its spent marker on the code's
    digest, a pending sign-in or round trip on its own digest. Every take runs once per call
    (`OnceScript`): a replay after a lost reply returns what the first run took, where it would
    otherwise find it gone — and a code or refresh token "already spent" reads as a replay attack
    that revokes the user's grant.

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._keys = key_space(redis, prefix)
        self._take = OnceScript(redis, TAKE)
        self._take_code = OnceScript(redis, lua.TAKE_CODE)
        self._save_refresh = redis.register_script(lua.SAVE_REFRESH)
        self._peek_refresh = redis.register_script(lua.PEEK_REFRESH)
        self._take_refresh = OnceScript(redis, lua.TAKE_REFRESH)
        self._revoke_family = redis.register_script(lua.REVOKE_FAMILY)
        self._save_client = redis.register_script(lua.SAVE_CLIENT)
        self._client_in_use = redis.register_script(lua.CLIENT_IN_USE)

    async def save_client(
        self, client: RegisteredClient, lease: ClientLease, capacity: int
    ) -> bool:
        """Remember a client under `lease`; False when every kept client is still in use."""
        keys = [self._by_lease, self._client(client.client_id)]
        args: list[bytes | str | int] = [
            client_to_json(client),
            hashed(client.client_id),
            _at(lease.now),
            _at(lease.in_use_until),
            _ms(lease.idle_seconds),
            capacity,
            self._keys.grouped("oauth:client", ":"),
        ]
        with reaching_redis():
            return bool(await self._save_client(keys=keys, args=args))

    async def client_in_use(self, client_id: str, lease: ClientLease) -> None:
        """Extend a kept client's lease (never shorten it)."""
        keys = [self._by_lease, self._client(client_id)]
        args: list[str | int] = [
            hashed(client_id),
            _at(lease.now),
            _at(lease.in_use_until),
            _ms(lease.idle_seconds),
        ]
        with reaching_redis():
            await self._client_in_use(keys=keys, args=args)

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The registered client with this id."""
        with reaching_redis():
            raw = await self._redis.get(self._client(client_id))
        return None if raw is None else client_from_json(raw)

    async def save_pending(self, pending: PendingAuthorization, ttl: float) -> None:
        """Remember an authorization request until the user answers the consent page."""
        key = self._keys.of("oauth:pending", pending.transaction_id)
        with reaching_redis():
            await self._redis.set(key, pending_to_json(pending), px=_ms(ttl))

    async def take_pending(self, transaction_id: str) -> PendingAuthorization | None:
        """Remove and return a pending authorization request."""
        raw = await self._take([self._keys.of("oauth:pending", transaction_id)])
        return None if raw is None else pending_from_json(raw)

    async def save_upstream(self, upstream: UpstreamAuthorization, ttl: float) -> None:
        """Remember our state, nonce and verifier while the user is at the upstream provider."""
        key = self._keys.of("oauth:upstream", upstream.state)
        with reaching_redis():
            await self._redis.set(key, upstream_to_json(upstream), px=_ms(ttl))

    async def take_upstream(self, state: str) -> UpstreamAuthorization | None:
        """Remove and return the round trip with our `state`."""
        raw = await self._take([self._keys.of("oauth:upstream", state)])
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
        raw = await self._take_code(keys, [_ms(SPENT_CODE_SECONDS)])
        return None if raw is None else code_from_json(raw)

    async def spent_code_family(self, code_digest: str) -> str | None:
        """The refresh family of a code already redeemed (remembered for an hour)."""
        with reaching_redis():
            return _text(await self._redis.get(self._spent_code(code_digest)))

    async def save_refresh(self, token_digest: str, grant: RefreshGrant, ttl: float) -> None:
        """Remember a refresh token (ignored for a revoked family) and index its family."""
        family = hashed(grant.family_id)
        keys = [
            self._grant(":refresh:", token_digest),
            self._grant(":family:", family),
            self._grant(":revoked-family:", family),
            self._subject_families(grant.identity.subject),
            self._client_families(grant.client_id),
        ]
        now = grant.expires_at - ttl  # callers pass ttl = expires_at - now (prunes the indexes)
        args: list[bytes | str | int] = [
            refresh_to_json(grant),
            grant.family_id,
            family,
            _ms(ttl),
            token_digest,
            _at(grant.expires_at),
            _at(now),
        ]
        with reaching_redis():
            await self._save_refresh(keys=keys, args=args)

    async def peek_refresh(self, token_digest: str) -> RefreshGrant | None:
        """A live refresh token's grant, without spending it (None for a revoked family)."""
        keys = [self._grant(":refresh:", token_digest)]
        with reaching_redis():
            raw = await self._peek_refresh(keys=keys, args=[self._grant(":revoked-family:")])
        return None if raw is None else refresh_from_json(raw)

    async def take_refresh(self, token_digest: str) -> RefreshGrant | None:
        """Remove and return a live refresh token, leaving a marker for `spent_refresh_family`."""
        keys = [self._grant(":refresh:", token_digest), self._spent_refresh(token_digest)]
        args = [self._grant(":family:"), self._grant(":revoked-family:"), token_digest]
        raw = await self._take_refresh(keys, args)
        return None if raw is None else refresh_from_json(raw)

    async def spent_refresh_family(self, token_digest: str) -> str | None:
        """The family of a refresh token already rotated away (remembered for its lifetime)."""
        with reaching_redis():
            return _text(await self._redis.get(self._spent_refresh(token_digest)))

    async def revoke_family(self, family_id: str) -> None:
        """Make every live refresh token of a family unusable, and refuse new ones."""
        family = hashed(family_id)
        keys = [self._grant(":family:", family), self._grant(":revoked-family:", family)]
        args: list[str | int] = [self._grant(":refresh:"), _ms(REVOKED_FAMILY_SECONDS)]
        with reaching_redis():
            await self._revoke_family(keys=keys, args=args)

    async def subject_families(self, subject: str) -> list[str]:
        """The families of this subject whose latest refresh token may still live."""
        return await self._families(self._subject_families(subject))

    async def client_families(self, client_id: str) -> list[str]:
        """The families of this client whose latest refresh token may still live."""
        return await self._families(self._client_families(client_id))

    async def _families(self, key: str) -> list[str]:
        with reaching_redis():
            # Ended families are dropped when the index is next written; the caller revokes
            # whatever is listed, and revoking an ended family is harmless.
            members = await self._redis.zrange(key, 0, -1)
        return sorted(m.decode() if isinstance(m, bytes) else str(m) for m in members)

    @property
    def _by_lease(self) -> str:
        return self._keys.grouped("oauth:client", "s:by-lease")

    def _client(self, client_id: str) -> str:
        return self._keys.grouped("oauth:client", f":{hashed(client_id)}")

    def _grant(self, kind: str, part: str = "") -> str:
        """A key of the refresh-token group (`part` empty: the start of such keys, for scripts)."""
        return self._keys.grouped("oauth", f"{kind}{part}")

    def _subject_families(self, subject: str) -> str:
        return self._grant(":subject-families:", hashed(subject))

    def _client_families(self, client_id: str) -> str:
        return self._grant(":client-families:", hashed(client_id))

    def _spent_code(self, code_digest: str) -> str:
        return self._keys.given("oauth:spent-code", code_digest)

    def _spent_refresh(self, token_digest: str) -> str:
        return self._grant(":spent-refresh:", token_digest)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_oauth_state_store: type[OAuthStateStore] = RedisOAuthStateStore
