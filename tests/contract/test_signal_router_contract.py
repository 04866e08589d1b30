"""The `SignalRouter` contract, run against the in-memory router and the Redis one.

Redis delivers asynchronously, so tests wait for what must arrive; to show something did not
arrive, they wait for a later sentinel instead (one subscription delivers in publish order).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from jamf_mcp.adapters.mcp.signals import (
    InMemorySignalRouter,
    SignalRouter,
    cancel_key,
    response_key,
)
from jamf_mcp.adapters.redis import RedisSignalRouter
from tests.contract.redis_support import STORE_BACKENDS, RedisSpace, eventually, shared_space

KEY = response_key("https://idp.example#alice", "session-1", 7)
OTHER_KEY = response_key("https://idp.example#bob", "session-2", 7)
SENTINEL_KEY = cancel_key("https://idp.example#alice", "session-1", "sentinel")


@pytest.fixture(params=STORE_BACKENDS)
def space(request: pytest.FixtureRequest) -> RedisSpace | None:
    """None for the in-memory router; the test Redis for the Redis one."""
    return shared_space(request)


@pytest.fixture
async def replicas(space: RedisSpace | None) -> AsyncIterator[tuple[SignalRouter, SignalRouter]]:
    """Two replicas' routers (for the in-memory router, one process: the same one twice)."""
    if space is None:
        memory = InMemorySignalRouter()
        yield memory, memory
        return
    routers = [RedisSignalRouter(space.connect(), prefix=space.prefix) for _ in range(2)]
    for router in routers:
        await router.start()
    try:
        yield routers[0], routers[1]
    finally:
        for router in routers:
            await router.aclose()


@pytest.fixture
def router(replicas: tuple[SignalRouter, SignalRouter]) -> SignalRouter:
    return replicas[0]


async def _sentinel_through(publisher: SignalRouter, listener_side: SignalRouter) -> None:
    """Wait until a signal published now has reached `listener_side` (so earlier ones did too)."""
    got: list[bytes] = []
    stop = listener_side.listen(SENTINEL_KEY, got.append)
    try:
        await publisher.publish(SENTINEL_KEY, b"sentinel")
        await eventually(lambda: got == [b"sentinel"])
    finally:
        stop()


async def test_a_listener_gets_every_payload_published_under_its_key_in_order(
    router: SignalRouter,
) -> None:
    got: list[bytes] = []
    stop = router.listen(KEY, got.append)
    for payload in (b"1", b'{"result": {}}', b"\x00\xff\n"):
        await router.publish(KEY, payload)
    await eventually(lambda: len(got) == 3)
    stop()
    assert got == [b"1", b'{"result": {}}', b"\x00\xff\n"]


async def test_every_listener_of_a_key_gets_the_payload(router: SignalRouter) -> None:
    first: list[bytes] = []
    second: list[bytes] = []
    stops = [router.listen(KEY, first.append), router.listen(KEY, second.append)]
    await router.publish(KEY, b"both")
    await eventually(lambda: first == second == [b"both"])
    for stop in stops:
        stop()


async def test_listeners_of_other_keys_get_nothing(router: SignalRouter) -> None:
    other: list[bytes] = []
    stop = router.listen(OTHER_KEY, other.append)
    await router.publish(KEY, b"not for bob")
    await _sentinel_through(router, router)
    stop()
    assert other == []


async def test_a_stopped_listener_gets_nothing_more(router: SignalRouter) -> None:
    stopped: list[bytes] = []
    stop = router.listen(KEY, stopped.append)
    await router.publish(KEY, b"before")
    await eventually(lambda: stopped == [b"before"])
    stop()
    stop()  # stopping twice is harmless
    await router.publish(KEY, b"after")
    await _sentinel_through(router, router)
    assert stopped == [b"before"]


async def test_stopping_one_listener_leaves_the_others_of_its_key(router: SignalRouter) -> None:
    kept: list[bytes] = []
    gone: list[bytes] = []
    keep_stop = router.listen(KEY, kept.append)
    router.listen(KEY, gone.append)()
    await router.publish(KEY, b"still here")
    await eventually(lambda: kept == [b"still here"])
    keep_stop()
    assert gone == []


async def test_a_signal_nobody_listens_for_is_dropped_not_kept_for_later_listeners(
    router: SignalRouter,
) -> None:
    await router.publish(KEY, b"into the void")
    await _sentinel_through(router, router)  # it has been delivered to nobody by now
    got: list[bytes] = []
    stop = router.listen(KEY, got.append)
    await _sentinel_through(router, router)
    stop()
    assert got == []


async def test_a_signal_published_at_one_replica_reaches_listeners_at_another(
    replicas: tuple[SignalRouter, SignalRouter],
) -> None:
    waiting, answering = replicas
    got: list[bytes] = []
    stop = waiting.listen(KEY, got.append)
    await answering.publish(KEY, b'{"jsonrpc": "2.0", "id": 7, "result": {}}')
    await eventually(lambda: got == [b'{"jsonrpc": "2.0", "id": 7, "result": {}}'])
    stop()


async def _listen_then_answer(waiting: SignalRouter, answering: SignalRouter, n: int) -> None:
    got: list[bytes] = []
    key = response_key("https://idp.example#alice", "session-1", n)
    stop = waiting.listen(key, got.append)
    await answering.publish(key, b"%d" % n)
    await eventually(lambda: got == [b"%d" % n])
    stop()


async def test_a_signal_published_right_after_listen_returns_is_not_missed(
    replicas: tuple[SignalRouter, SignalRouter],
) -> None:
    waiting, answering = replicas
    for n in range(20):
        await _listen_then_answer(waiting, answering, n)
