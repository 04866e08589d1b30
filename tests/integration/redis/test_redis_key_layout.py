"""What the Redis adapters leave in Redis: keys under the prefix, no secrets, TTLs on everything,
on one server and on a cluster (where the names are the same but for the braces of one slot anchor).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from jamf_mcp.adapters.mcp.sessions import Session, new_session_id
from jamf_mcp.adapters.oauth_server import ClientLease, Denial
from jamf_mcp.adapters.oauth_server.handles import digest, new_handle
from jamf_mcp.adapters.redis import (
    RedisAccessDenylist,
    RedisConfirmationStore,
    RedisEventStore,
    RedisOAuthStateStore,
    RedisRateLimiter,
    RedisSessionStore,
)
from jamf_mcp.adapters.redis.keys import hashed
from jamf_mcp.adapters.redis.once import RESULT_SECONDS
from jamf_mcp.adapters.system.clock import SystemClock
from jamf_mcp.domain.confirmations import new_confirmation
from jamf_mcp.domain.principal import Principal
from tests.contract.oauth_records import a_client, a_code, a_grant, a_pending
from tests.contract.redis_support import RedisSpace

ALICE = Principal("https://idp.example", "alice")


def _plain(key: bytes) -> bytes:
    """The one-server name of a key (a cluster's names differ only by the anchor's braces)."""
    return key.replace(b"{", b"").replace(b"}", b"")


def _results(keys: list[bytes]) -> list[bytes]:
    """The keys `OnceScript` keeps a result under for a replay."""
    return [key for key in keys if b":once:" in key]


async def _everything(client: Redis, keys: list[bytes]) -> str:
    """Every key and everything stored under them, as one text."""
    dump: list[str] = []
    for key in keys:
        kind = await client.type(key)
        dump.append(repr(key))
        if kind == b"string":
            dump.append(repr(await client.get(key)))
        elif kind == b"hash":
            dump.append(repr(await client.hgetall(key)))
        elif kind == b"set":
            dump.append(repr(await client.smembers(key)))
        elif kind == b"stream":
            dump.append(repr(await client.xrange(key)))
        elif kind == b"zset":
            dump.append(repr(await client.zrange(key, 0, -1, withscores=True)))
        else:
            raise AssertionError(f"unexpected {kind!r} key {key!r}")
    return "\n".join(dump)


async def test_a_confirmation_token_is_stored_only_as_its_digest(
    any_redis_space: RedisSpace,
) -> None:
    client = any_redis_space.connect()
    store = RedisConfirmationStore(client, prefix=any_redis_space.prefix)
    pending = new_confirmation(ALICE, "sha256:action", datetime.now(UTC))
    await store.put(pending)
    await store.redeem(pending.token, ALICE, "sha256:action", datetime.now(UTC))
    keys = await any_redis_space.keys()
    kept = [key for key in keys if key not in _results(keys)]
    assert [_plain(key) for key in kept] == [
        f"{any_redis_space.prefix}confirmation:{hashed(pending.token)}".encode()
    ]
    assert len(_results(keys)) == 2  # put and redeem: one remembered result each
    assert pending.token not in await _everything(client, keys)


async def test_keys_name_no_session_id_principal_or_oauth_handle(
    any_redis_space: RedisSpace,
) -> None:
    redis_space = any_redis_space
    client = redis_space.connect()
    prefix = redis_space.prefix
    now = datetime.now(UTC)
    session = Session(new_session_id(), ALICE.key, "2025-11-25", {}, {}, now, now)
    await RedisSessionStore(client, prefix=prefix).add(session)
    await RedisEventStore(client, prefix=prefix).append(ALICE.key, "0123456789abcdef", b"e")
    await RedisRateLimiter(client, prefix=prefix).take(ALICE.key, 10)
    oauth = RedisOAuthStateStore(client, prefix=prefix)
    pending = a_pending()
    await oauth.save_pending(pending, 60)
    family = new_handle()
    await oauth.save_refresh(digest(new_handle()), a_grant(family), 60)
    names = b" ".join(await redis_space.keys())
    for secret in (session.id, ALICE.key, "alice", pending.transaction_id, family):
        assert secret.encode() not in names
    assert all(key.startswith(prefix.encode()) for key in await redis_space.keys())


async def test_every_key_expires_but_the_capped_client_index_and_denylist(
    any_redis_space: RedisSpace,
) -> None:
    redis_space = any_redis_space
    client = redis_space.connect()
    prefix = redis_space.prefix
    now = datetime.now(UTC)
    await RedisSessionStore(client, prefix=prefix, idle_timeout=timedelta(minutes=5)).add(
        Session(new_session_id(), ALICE.key, "2025-11-25", {}, {}, now, now)
    )
    events = RedisEventStore(client, prefix=prefix)
    await events.append("owner", "0123456789abcdef", b"e")
    await events.close("owner", "0123456789abcdef")
    await RedisConfirmationStore(client, prefix=prefix).put(new_confirmation(ALICE, "d", now))
    await RedisRateLimiter(client, prefix=prefix).take("key", 60)
    oauth = RedisOAuthStateStore(client, prefix=prefix)
    lease = ClientLease(now.timestamp(), now.timestamp() + 60, 3600)
    await oauth.save_client(a_client(), lease, 10)
    await oauth.save_pending(a_pending(), 60)
    code_digest, token_digest, family = digest(new_handle()), digest(new_handle()), new_handle()
    await oauth.save_code(code_digest, a_code(family), 60)
    await oauth.take_code(code_digest)
    await oauth.save_refresh(token_digest, a_grant(family), 60)
    await oauth.save_refresh(digest(new_handle()), a_grant(family), 60)
    await oauth.take_refresh(token_digest)
    await oauth.revoke_family(new_handle())
    denylist = RedisAccessDenylist(client, SystemClock(), prefix=prefix)
    await denylist.add([Denial("grant", "sid", now.timestamp(), now.timestamp() + 60)])
    keys = await redis_space.keys()
    for result in _results(keys):
        assert 0 < await client.pttl(result) <= RESULT_SECONDS * 1000
    ttls = {
        _plain(key).decode().removeprefix(prefix): await client.pttl(key)
        for key in keys
        if key not in _results(keys)
    }
    kinds = {
        name.split(":")[0] + ":" + name.split(":")[1] for name in ttls if name.startswith("oauth:")
    }
    assert kinds == {
        "oauth:client",
        "oauth:clients",
        "oauth:pending",
        "oauth:spent-code",
        "oauth:refresh",
        "oauth:spent-refresh",
        "oauth:family",
        "oauth:revoked-family",
        "oauth:subject-families",
        "oauth:client-families",
        "oauth:denylist",
    }
    # Capped instead: clients by lease (`max_clients`) and the denylist (`MAX_DENIALS`).
    unbounded_by_time = {
        "oauth:clients:by-lease",
        "oauth:denylist:entries",
        "oauth:denylist:version",
    }
    for name, ttl in ttls.items():
        if name in unbounded_by_time:
            assert ttl == -1, name
        else:
            assert ttl > 0, name
    assert 0 < ttls[next(n for n in ttls if n.startswith("rate:"))] <= 2000  # refilled in 1 s


async def test_on_a_cluster_every_key_carries_exactly_one_slot_anchor(
    redis_cluster_space: RedisSpace,
) -> None:
    client = redis_cluster_space.connect()
    prefix = redis_cluster_space.prefix
    now = datetime.now(UTC)
    await RedisSessionStore(client, prefix=prefix).add(
        Session(new_session_id(), ALICE.key, "2025-11-25", {}, {}, now, now)
    )
    await RedisEventStore(client, prefix=prefix).append("owner", "0123456789abcdef", b"e")
    await RedisConfirmationStore(client, prefix=prefix).put(new_confirmation(ALICE, "d", now))
    await RedisRateLimiter(client, prefix=prefix).take("key", 60)
    oauth = RedisOAuthStateStore(client, prefix=prefix)
    await oauth.save_client(a_client(), ClientLease(now.timestamp(), now.timestamp() + 60, 60), 9)
    await oauth.save_refresh(digest(new_handle()), a_grant(new_handle()), 60)
    await RedisAccessDenylist(client, SystemClock(), prefix=prefix).add(
        [Denial("grant", "sid", now.timestamp(), now.timestamp() + 60)]
    )
    keys = await redis_cluster_space.keys()
    assert len(keys) >= 15
    for key in keys:
        assert key.count(b"{") == key.count(b"}") == 1, key
