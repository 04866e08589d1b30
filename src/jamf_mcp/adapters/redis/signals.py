"""Signals between replicas over Redis Pub/Sub (implements `SignalRouter`).

Every signal travels on one channel per deployment (`<prefix>signals`), framed with a fresh id
and its key's digest (`signal_frames`). A process holds one subscription to it, read by one
background task that hands each frame to this process's listeners of its key, once (a publish
the client sent twice is recognised by its id). `listen` only touches a dictionary, so it stays
synchronous and cheap; it can promise that nothing published after it returns is missed because
the subscription is already active (it is confirmed before `start` returns, and again after each
reconnection).

On one server this is classic `PUBLISH`/`SUBSCRIBE`. On a cluster it is sharded Pub/Sub
(`SPUBLISH`/`SSUBSCRIBE`, Redis 7+): the channel `<prefix>{signals}` lives in one slot, the
subscription is held on the primary that owns it, and a frame travels to that shard only, not
over the whole cluster bus. When that slot moves (resharding, failover) Redis ends the
subscription (`sunsubscribe`, or a dropped connection) and the router subscribes again wherever
the slot is now.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from redis.asyncio.client import PubSub
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.connection import ConnectionPool
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from jamf_mcp.adapters.mcp.signals import Listener
from jamf_mcp.adapters.redis.connection import DEFAULT_TIMEOUT_SECONDS, RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space
from jamf_mcp.adapters.redis.once import RESULT_SECONDS
from jamf_mcp.adapters.redis.signal_frames import RecentIds, frame, key_digest, unframe
from jamf_mcp.domain.errors import StateUnavailable

if TYPE_CHECKING:
    from jamf_mcp.adapters.mcp.signals import SignalRouter

logger = logging.getLogger(__name__)

_POLL_SECONDS = 1.0
_RECENT_IDS = 65_536
"""Frame ids remembered to drop a replayed publish (for `RESULT_SECONDS`, at most this many)."""


class RedisSignalRouter:
    """A `SignalRouter` whose signals reach listeners in every replica sharing the Redis.

    Call `start()` before use and `aclose()` at shutdown (or use it as an async context manager).
    Every replica receives every signal and drops those it has no listener for; a quiet
    subscription is pinged every `health_interval` seconds, and one that stops answering, or
    drops, is replaced (retrying with back-off up to `max_backoff` seconds). Signals published
    while the subscription is being replaced are lost (delivery is best effort) and `listen`
    raises `StateUnavailable` meanwhile.

    Args:
        redis: the shared client (on one server the subscription takes one connection of its
            pool; on a cluster it opens its own to the primary of the channel's slot).
        prefix: the key prefix.
        timeout: seconds allowed for a subscription to be confirmed.
        health_interval: seconds of silence after which the subscription is pinged.
        max_backoff: the longest wait between attempts to subscribe again.
    """

    def __init__(
        self,
        redis: RedisClient,
        *,
        prefix: str = DEFAULT_PREFIX,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        health_interval: float = 5.0,
        max_backoff: float = 2.0,
    ) -> None:
        self._redis = redis
        self._channel = key_space(redis, prefix).grouped("signals", "").encode()
        self._timeout = timeout
        self._health_interval = health_interval
        self._max_backoff = max_backoff
        self._listeners: dict[bytes, list[Listener]] = {}
        self._recent = RecentIds(RESULT_SECONDS, _RECENT_IDS)
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = False

    def __len__(self) -> int:
        return len(self._listeners)

    @property
    def subscribed(self) -> bool:
        """True while the subscription is active (signals are being received)."""
        return self._subscribed

    async def start(self) -> None:
        """Subscribe and start the reader; once this returns, no signal published is missed.

        Raises:
            StateUnavailable: Redis cannot be reached (nothing is left running).
            RuntimeError: the router was started already.
        """
        if self._reader is not None:
            raise RuntimeError("the signal router is already started")
        subscription = await self._subscribe()
        self._subscribed = True
        self._reader = asyncio.get_running_loop().create_task(
            self._read(subscription), name="redis-signal-reader"
        )

    def start_in_background(self) -> None:
        """Start without waiting for Redis: subscribe (retrying with back-off) in the background.

        Until the subscription is active, `listen` raises `StateUnavailable` (so requests that
        need signals get 503 rather than silently missing them) — the way to start a replica
        while Redis is briefly unreachable without crash-looping.
        """
        if self._reader is not None:
            raise RuntimeError("the signal router is already started")

        async def subscribe_then_read() -> None:
            subscription = await self._subscribe_again()
            self._subscribed = True
            logger.info("The Redis signal subscription is active")
            await self._read(subscription)

        self._reader = asyncio.get_running_loop().create_task(
            subscribe_then_read(), name="redis-signal-reader"
        )

    async def aclose(self) -> None:
        """Stop the reader and drop the subscription (listeners are kept; nothing is delivered)."""
        self._subscribed = False
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader

    async def __aenter__(self) -> RedisSignalRouter:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def listen(self, key: str, listener: Listener) -> Callable[[], None]:
        """Call `listener` for every signal published under `key` from now on, in any replica.

        Raises:
            StateUnavailable: the subscription is not active (not started, or being replaced),
                so signals would be missed.
        """
        if not self._subscribed:
            raise StateUnavailable("redis: the signal subscription is down")
        digest = key_digest(key)
        self._listeners.setdefault(digest, []).append(listener)

        def stop() -> None:
            listeners = self._listeners.get(digest)
            if listeners is None:
                return
            if listener in listeners:
                listeners.remove(listener)
            if not listeners:
                del self._listeners[digest]

        return stop

    async def publish(self, key: str, payload: bytes) -> None:
        """Send `payload` to the listeners of `key` in every replica (delivered asynchronously).

        Safe to send twice: listeners get a frame once, whatever the client's retry did.
        """
        data = frame(key, payload)
        with reaching_redis():
            if isinstance(self._redis, RedisCluster):
                await self._redis.spublish(self._channel, data)
            else:
                await self._redis.publish(self._channel, data)

    def _dispatch(self, data: bytes) -> None:
        parts = unframe(data)
        if parts is None:
            return  # not a frame this version publishes
        frame_id, digest, payload = parts
        listeners = self._listeners.get(digest)
        if not self._recent.first(frame_id, asyncio.get_running_loop().time()) or not listeners:
            return
        for listener in list(listeners):
            try:
                listener(payload)
            except Exception:
                logger.exception("A signal listener failed")

    async def _subscribe(self, *, relearn: bool = False) -> _Subscription:
        """A subscription the server has confirmed (`StateUnavailable` otherwise)."""
        subscription: _Subscription | None = None
        try:
            # `reaching_redis` also turns the deadline's TimeoutError into StateUnavailable.
            with reaching_redis():
                async with asyncio.timeout(self._timeout):
                    subscription = await _Subscription.open(self._redis, self._channel, relearn)
                    await subscription.subscribe()
                    pubsub = subscription.pubsub
                    while not _is_confirmation(await pubsub.get_message(timeout=self._timeout)):
                        pass
        except BaseException:
            if subscription is not None:
                await subscription.close()
            raise
        return subscription

    async def _read(self, subscription: _Subscription) -> None:
        try:
            while True:
                try:
                    await self._pump(subscription.pubsub)
                except Exception as error:  # the reader must outlive any failure of Redis
                    self._subscribed = False
                    logger.warning(
                        "The Redis signal subscription was lost (%s); subscribing again",
                        type(error).__name__,
                    )
                await subscription.close()
                subscription = await self._subscribe_again()
                self._subscribed = True
                logger.info("The Redis signal subscription is active again")
        finally:
            await subscription.close()

    async def _pump(self, pubsub: PubSub) -> None:
        """Deliver frames until the subscription fails (pinging it when it is quiet)."""
        loop = asyncio.get_running_loop()
        heard = loop.time()
        pinged = False
        while True:
            with reaching_redis():
                message = await pubsub.get_message(timeout=_POLL_SECONDS)
                silent = loop.time() - heard
                if message is None:
                    if silent > 2 * self._health_interval + self._timeout:
                        raise RedisTimeoutError("the subscription stopped answering pings")
                    if silent > self._health_interval and not pinged:
                        await pubsub.ping()
                        pinged = True
                    continue
            heard = loop.time()
            pinged = False
            kind = _text(message.get("type"))
            if kind in ("message", "smessage"):
                self._dispatch(message["data"])
            elif kind in ("unsubscribe", "sunsubscribe"):
                # Redis ends a shard subscription whose slot moved to another node.
                raise RedisConnectionError("the server ended the subscription")

    async def _subscribe_again(self) -> _Subscription:
        delay = 0.05
        while True:
            try:
                return await self._subscribe(relearn=True)
            except StateUnavailable:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_backoff)


class _Subscription:
    """A `PubSub` for the signal channel, and what must be closed with it."""

    def __init__(self, pubsub: PubSub, channel: bytes, pool: ConnectionPool | None) -> None:
        self.pubsub = pubsub
        self._channel = channel
        self._pool = pool

    @classmethod
    async def open(cls, redis: RedisClient, channel: bytes, relearn: bool) -> _Subscription:
        """Not subscribed yet: classic Pub/Sub on one server, sharded on a cluster's primary."""
        if not isinstance(redis, RedisCluster):
            return cls(redis.pubsub(), channel, None)
        # Shard channels are served by the primary of their slot: learn where it is now (after
        # a failure it may have moved) and hold one connection of our own to it.
        if relearn:
            await redis.nodes_manager.initialize()
        else:
            await redis.initialize()
        node = redis.get_node_from_key(channel.decode())
        if node is None:
            raise RedisConnectionError("no primary serves the signal channel's slot")
        pool = ConnectionPool(
            connection_class=node.connection_class,
            max_connections=1,
            # A dropped subscription is the router's to replace (on the slot's current primary).
            retry=Retry(NoBackoff(), retries=0),
            **node.connection_kwargs,
        )
        return cls(PubSub(pool), channel, pool)

    async def subscribe(self) -> None:
        """Ask for the channel (the caller waits for the server's confirmation)."""
        if self._pool is None:
            await self.pubsub.subscribe(self._channel)
        else:
            await self.pubsub.ssubscribe(self._channel)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.pubsub.aclose()  # type: ignore[no-untyped-call]  # left unannotated
        if self._pool is not None:
            with contextlib.suppress(Exception):
                await self._pool.aclose()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _is_confirmation(message: dict[str, Any] | None) -> bool:
    return message is not None and _text(message.get("type")) in ("subscribe", "ssubscribe")


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_signal_router: type[SignalRouter] = RedisSignalRouter
