"""Every Redis adapter method raises `StateUnavailable`, quickly, when Redis cannot be reached."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis

from jamf_mcp.adapters.mcp.sessions import Session
from jamf_mcp.adapters.oauth_server import ClientLease, Denial
from jamf_mcp.adapters.oauth_server.handles import digest, new_handle
from jamf_mcp.adapters.redis import (
    RedisAccessDenylist,
    RedisConfirmationStore,
    RedisDevIdpState,
    RedisEventStore,
    RedisOAuthStateStore,
    RedisRateLimiter,
    RedisSessionStore,
    RedisSignalRouter,
    open_redis,
    ping,
)
from jamf_mcp.adapters.system.clock import SystemClock
from jamf_mcp.domain.confirmations import new_confirmation
from jamf_mcp.domain.errors import StateUnavailable
from jamf_mcp.domain.principal import Principal
from tests.contract.oauth_records import a_client, a_code, a_grant, a_pending

ALICE = Principal("https://idp.example", "alice")
NOW = datetime.now(UTC)
SESSION = Session("sid", ALICE.key, "2025-11-25", {}, {}, NOW, NOW)

Call = Callable[[Redis], Awaitable[object]]

CALLS: dict[str, Call] = {
    "ping": lambda r: ping(r),
    "sessions.add": lambda r: RedisSessionStore(r).add(SESSION),
    "sessions.get": lambda r: RedisSessionStore(r).get("sid"),
    "sessions.remove": lambda r: RedisSessionStore(r).remove("sid"),
    "events.append": lambda r: RedisEventStore(r).append("owner", "0123456789abcdef", b"e"),
    "events.close": lambda r: RedisEventStore(r).close("owner", "0123456789abcdef"),
    "events.read_after": lambda r: RedisEventStore(r).read_after("owner", "0123456789abcdef", 0),
    "signals.publish": lambda r: RedisSignalRouter(r).publish("key", b"payload"),
    "signals.start": lambda r: RedisSignalRouter(r).start(),
    "confirmations.put": lambda r: RedisConfirmationStore(r).put(new_confirmation(ALICE, "d", NOW)),
    "confirmations.redeem": lambda r: RedisConfirmationStore(r).redeem("token", ALICE, "d", NOW),
    "rate.take": lambda r: RedisRateLimiter(r).take("key", 10),
    "oauth.save_client": lambda r: RedisOAuthStateStore(r).save_client(
        a_client(), ClientLease(0.0, 60.0, 60.0), 10
    ),
    "oauth.client_in_use": lambda r: RedisOAuthStateStore(r).client_in_use(
        "id", ClientLease(0.0, 60.0, 60.0)
    ),
    "oauth.peek_refresh": lambda r: RedisOAuthStateStore(r).peek_refresh(digest("t")),
    "oauth.subject_families": lambda r: RedisOAuthStateStore(r).subject_families("alice"),
    "denylist.add": lambda r: RedisAccessDenylist(r, SystemClock()).add(
        [Denial("grant", "sid", 0.0, 60.0)]
    ),
    "denylist.version": lambda r: RedisAccessDenylist(r, SystemClock()).version(),
    "dev_idp.take_code": lambda r: RedisDevIdpState(r, SystemClock()).take_code("c"),
    "oauth.client": lambda r: RedisOAuthStateStore(r).client("id"),
    "oauth.save_pending": lambda r: RedisOAuthStateStore(r).save_pending(a_pending(), 60),
    "oauth.take_pending": lambda r: RedisOAuthStateStore(r).take_pending("t"),
    "oauth.take_upstream": lambda r: RedisOAuthStateStore(r).take_upstream("s"),
    "oauth.save_code": lambda r: RedisOAuthStateStore(r).save_code(digest("c"), a_code("f"), 60),
    "oauth.take_code": lambda r: RedisOAuthStateStore(r).take_code(digest("c")),
    "oauth.spent_code_family": lambda r: RedisOAuthStateStore(r).spent_code_family(digest("c")),
    "oauth.save_refresh": lambda r: RedisOAuthStateStore(r).save_refresh(
        digest("t"), a_grant("f"), 60
    ),
    "oauth.take_refresh": lambda r: RedisOAuthStateStore(r).take_refresh(digest("t")),
    "oauth.spent_refresh_family": lambda r: RedisOAuthStateStore(r).spent_refresh_family(
        digest("t")
    ),
    "oauth.revoke_family": lambda r: RedisOAuthStateStore(r).revoke_family(new_handle()),
}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def refusing() -> AsyncIterator[Redis]:
    """A client of a port nobody listens on (connection refused)."""
    client = open_redis(f"redis://127.0.0.1:{_closed_port()}/0")
    yield client
    await client.aclose()


@asynccontextmanager
async def _silent_server() -> AsyncIterator[int]:
    """The port of a server that accepts connections and never answers (a hung Redis)."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


@pytest.fixture
async def silent() -> AsyncIterator[Redis]:
    """A client with a short socket timeout of a hung Redis."""
    async with _silent_server() as port:
        client = open_redis(f"redis://127.0.0.1:{port}/0", socket_timeout=0.5)
        yield client
        await client.aclose()


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
async def test_a_refused_connection_raises_state_unavailable_at_once(
    refusing: Redis, call: Call
) -> None:
    started = time.monotonic()
    with pytest.raises(StateUnavailable, match="shared state store is unreachable"):
        await call(refusing)
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize(
    "name", ["ping", "sessions.get", "confirmations.redeem", "rate.take", "signals.start"]
)
async def test_a_hung_redis_raises_state_unavailable_within_the_socket_timeout(
    silent: Redis, name: str
) -> None:
    started = time.monotonic()
    with pytest.raises(StateUnavailable):
        await CALLS[name](silent)
    assert time.monotonic() - started < 1.5  # the socket timeout is 0.5 s


async def test_the_default_timeout_gives_up_on_a_hung_redis_after_about_two_seconds() -> None:
    async with _silent_server() as port:
        client = open_redis(f"redis://127.0.0.1:{port}/0")
        started = time.monotonic()
        try:
            with pytest.raises(StateUnavailable):
                await ping(client)
        finally:
            await client.aclose()
    assert 1.5 < time.monotonic() - started < 3.0


async def test_a_signal_router_that_could_not_start_refuses_listeners(refusing: Redis) -> None:
    router = RedisSignalRouter(refusing)
    with pytest.raises(StateUnavailable):
        await router.start()
    with pytest.raises(StateUnavailable):
        router.listen("key", lambda payload: None)
    await router.aclose()


async def test_the_unavailable_message_names_neither_host_nor_port(refusing: Redis) -> None:
    port = refusing.connection_pool.connection_kwargs["port"]
    with pytest.raises(StateUnavailable) as caught:
        await ping(refusing)
    assert "127.0.0.1" not in caught.value.message
    assert str(port) not in caught.value.message


async def test_an_unreachable_cluster_raises_state_unavailable_at_once() -> None:
    client = open_redis(f"redis://127.0.0.1:{_closed_port()}", cluster=True)
    started = time.monotonic()
    try:
        with pytest.raises(StateUnavailable, match="shared state store is unreachable"):
            await RedisRateLimiter(client).take("key", 10)
        with pytest.raises(StateUnavailable):
            await ping(client)
    finally:
        await client.aclose()
    assert time.monotonic() - started < 2.0
