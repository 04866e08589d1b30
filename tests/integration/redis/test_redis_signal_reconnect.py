"""The Redis signal router survives losing its subscription: it subscribes again and delivers."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest

from jamf_mcp.adapters.mcp.signals import response_key
from jamf_mcp.adapters.redis import RedisSignalRouter, open_redis
from jamf_mcp.domain.errors import StateUnavailable
from tests.contract.redis_support import RedisSpace, eventually

KEY = response_key("https://idp.example#alice", "session-1", 1)


async def _delivered_again(publisher: RedisSignalRouter, got: list[bytes]) -> None:
    """Publish until one arrives (signals sent while subscribing again are lost)."""
    for attempt in range(200):
        await publisher.publish(KEY, b"%d" % attempt)
        with contextlib.suppress(AssertionError):
            await eventually(lambda: bool(got), within=0.05)
            return
    raise AssertionError("no signal arrived after the subscription was lost")


@pytest.fixture
async def publisher(redis_space: RedisSpace) -> RedisSignalRouter:
    return RedisSignalRouter(redis_space.connect(), prefix=redis_space.prefix)


async def test_a_killed_subscription_connection_is_replaced_and_delivers_again(
    redis_space: RedisSpace, publisher: RedisSignalRouter
) -> None:
    name = f"jamf-mcp-test-{uuid.uuid4().hex}"
    client = redis_space.connect()
    client.connection_pool.connection_kwargs["client_name"] = name
    router = RedisSignalRouter(client, prefix=redis_space.prefix)
    await router.start()
    got: list[bytes] = []
    stop = router.listen(KEY, got.append)
    try:
        admin = redis_space.connect()
        ours = [c for c in await admin.client_list(_type="pubsub") if c.get("name") == name]
        assert len(ours) == 1  # one subscription connection per process
        await admin.client_kill_filter(_id=ours[0]["id"])
        await _delivered_again(publisher, got)
        assert router.subscribed
        again = [c for c in await admin.client_list(_type="pubsub") if c.get("name") == name]
        assert len(again) == 1
        assert again[0]["id"] != ours[0]["id"]
    finally:
        stop()
        await router.aclose()


class _Proxy:
    """A TCP proxy in front of Redis that can be cut (refusing and dropping connections)."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.port = 0
        self.frozen = False
        """While frozen, connections stay open but nothing gets through (a hung network)."""

    async def open(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self._target)
        self._writers.update((writer, up_writer))

        async def copy(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError):
                while data := await source.read(65536):
                    if not self.frozen:
                        sink.write(data)
                        await sink.drain()
            sink.close()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        self._writers.difference_update((writer, up_writer))


@pytest.fixture
async def proxy(redis_space: RedisSpace) -> AsyncIterator[_Proxy]:
    target = urlsplit(redis_space.url)
    running = _Proxy(target.hostname or "127.0.0.1", target.port or 6379)
    await running.open()
    yield running
    await running.cut()


async def test_during_an_outage_listen_refuses_and_afterwards_signals_flow_again(
    redis_space: RedisSpace, publisher: RedisSignalRouter, proxy: _Proxy
) -> None:
    client = open_redis(f"redis://127.0.0.1:{proxy.port}/0", socket_timeout=0.5)
    router = RedisSignalRouter(client, prefix=redis_space.prefix, timeout=0.5, max_backoff=0.2)
    await router.start()
    got: list[bytes] = []
    stop = router.listen(KEY, got.append)
    try:
        await proxy.cut()
        await eventually(lambda: not router.subscribed)
        with pytest.raises(StateUnavailable):
            router.listen(KEY, got.append)
        await asyncio.sleep(0.5)  # a few failed attempts to subscribe again
        await proxy.open()
        await eventually(lambda: router.subscribed)
        await publisher.publish(KEY, b"after the outage")
        await eventually(lambda: got == [b"after the outage"])
    finally:
        stop()
        await router.aclose()
        await client.aclose()


async def test_a_subscription_that_stops_answering_pings_is_replaced(
    redis_space: RedisSpace, publisher: RedisSignalRouter, proxy: _Proxy
) -> None:
    client = open_redis(f"redis://127.0.0.1:{proxy.port}/0", socket_timeout=0.3)
    router = RedisSignalRouter(
        client, prefix=redis_space.prefix, timeout=0.3, health_interval=0.2, max_backoff=0.2
    )
    await router.start()
    got: list[bytes] = []
    stop = router.listen(KEY, got.append)
    try:
        proxy.frozen = True
        await eventually(lambda: not router.subscribed, within=5.0)
        proxy.frozen = False
        await eventually(lambda: router.subscribed, within=5.0)
        await publisher.publish(KEY, b"after the silence")
        await eventually(lambda: got == [b"after the silence"])
    finally:
        stop()
        await router.aclose()
        await client.aclose()
