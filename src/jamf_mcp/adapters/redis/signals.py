"""Signals between replicas over Redis Pub/Sub (implements `SignalRouter`).

A process holds one subscription — a pattern over every signal channel of the prefix — read by
one background task that hands each message to this process's listeners of its key. `listen`
only touches a dictionary, so it stays synchronous and cheap; it can promise that nothing
published after it returns is missed because the pattern subscription is already active (it is
confirmed before `start` returns, and again after each reconnection).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import TimeoutError as RedisTimeoutError

from jamf_mcp.adapters.mcp.signals import Listener
from jamf_mcp.adapters.redis.connection import DEFAULT_TIMEOUT_SECONDS, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, KeySpace
from jamf_mcp.domain.errors import StateUnavailable

if TYPE_CHECKING:
    from jamf_mcp.adapters.mcp.signals import SignalRouter

logger = logging.getLogger(__name__)

_POLL_SECONDS = 1.0


class RedisSignalRouter:
    """A `SignalRouter` whose signals reach listeners in every replica sharing the Redis.

    Call `start()` before use and `aclose()` at shutdown (or use it as an async context manager).
    Channels are `<prefix>signal:<SHA-256 of the key>`, so they name nobody. Every replica
    receives every signal and drops those it has no listener for; a quiet subscription is
    pinged every `health_interval` seconds, and one that stops answering, or drops, is replaced
    (retrying with back-off up to `max_backoff` seconds). Signals published while the
    subscription is being replaced are lost (delivery is best effort) and `listen` raises
    `StateUnavailable` meanwhile.

    Args:
        redis: the shared client (the subscription takes one connection of its pool).
        prefix: the key prefix.
        timeout: seconds allowed for a subscription to be confirmed.
        health_interval: seconds of silence after which the subscription is pinged.
        max_backoff: the longest wait between attempts to subscribe again.
    """

    def __init__(
        self,
        redis: Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        health_interval: float = 5.0,
        max_backoff: float = 2.0,
    ) -> None:
        self._redis = redis
        self._keys = KeySpace(prefix)
        self._pattern = self._keys.pattern("signal")
        self._timeout = timeout
        self._health_interval = health_interval
        self._max_backoff = max_backoff
        self._listeners: dict[bytes, list[Listener]] = {}
        self._reader: asyncio.Task[None] | None = None
        self._subscribed = False

    def __len__(self) -> int:
        return len(self._listeners)

    @property
    def subscribed(self) -> bool:
        """True while the pattern subscription is active (signals are being received)."""
        return self._subscribed

    async def start(self) -> None:
        """Subscribe and start the reader; once this returns, no signal published is missed.

        Raises:
            StateUnavailable: Redis cannot be reached (nothing is left running).
            RuntimeError: the router was started already.
        """
        if self._reader is not None:
            raise RuntimeError("the signal router is already started")
        pubsub = await self._subscribe()
        self._subscribed = True
        self._reader = asyncio.get_running_loop().create_task(
            self._read(pubsub), name="redis-signal-reader"
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
            pubsub = await self._subscribe_again()
            self._subscribed = True
            logger.info("The Redis signal subscription is active")
            await self._read(pubsub)

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

    def _channel(self, key: str) -> bytes:
        return self._keys.of("signal", key).encode()

    def listen(self, key: str, listener: Listener) -> Callable[[], None]:
        """Call `listener` for every signal published under `key` from now on, in any replica.

        Raises:
            StateUnavailable: the subscription is not active (not started, or being replaced),
                so signals would be missed.
        """
        if not self._subscribed:
            raise StateUnavailable("redis: the signal subscription is down")
        channel = self._channel(key)
        self._listeners.setdefault(channel, []).append(listener)

        def stop() -> None:
            listeners = self._listeners.get(channel)
            if listeners is None:
                return
            if listener in listeners:
                listeners.remove(listener)
            if not listeners:
                del self._listeners[channel]

        return stop

    async def publish(self, key: str, payload: bytes) -> None:
        """Send `payload` to the listeners of `key` in every replica (delivered asynchronously)."""
        with reaching_redis():
            await self._redis.publish(self._channel(key), payload)

    def _dispatch(self, channel: bytes, payload: bytes) -> None:
        for listener in list(self._listeners.get(channel, ())):
            try:
                listener(payload)
            except Exception:
                logger.exception("A signal listener failed")

    async def _subscribe(self) -> PubSub:
        """A pattern subscription the server has confirmed (`StateUnavailable` otherwise)."""
        pubsub = self._redis.pubsub()
        try:
            # `reaching_redis` also turns the deadline's TimeoutError into StateUnavailable.
            with reaching_redis():
                async with asyncio.timeout(self._timeout):
                    await pubsub.psubscribe(self._pattern)
                    while not _is_confirmation(await pubsub.get_message(timeout=self._timeout)):
                        pass
        except BaseException:
            await _discard(pubsub)
            raise
        return pubsub

    async def _read(self, pubsub: PubSub) -> None:
        try:
            while True:
                try:
                    await self._pump(pubsub)
                except Exception as error:  # the reader must outlive any failure of Redis
                    self._subscribed = False
                    logger.warning(
                        "The Redis signal subscription was lost (%s); subscribing again",
                        type(error).__name__,
                    )
                await _discard(pubsub)
                pubsub = await self._subscribe_again()
                self._subscribed = True
                logger.info("The Redis signal subscription is active again")
        finally:
            await _discard(pubsub)

    async def _pump(self, pubsub: PubSub) -> None:
        """Deliver messages until the subscription fails (pinging it when it is quiet)."""
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
            if message["type"] == "pmessage":
                self._dispatch(message["channel"], message["data"])

    async def _subscribe_again(self) -> PubSub:
        delay = 0.05
        while True:
            try:
                return await self._subscribe()
            except StateUnavailable:
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._max_backoff)


def _is_confirmation(message: dict[str, Any] | None) -> bool:
    return message is not None and message.get("type") in ("psubscribe", b"psubscribe")


async def _discard(pubsub: PubSub) -> None:
    with contextlib.suppress(Exception):
        await pubsub.aclose()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_signal_router: type[SignalRouter] = RedisSignalRouter
