"""Graceful shutdown of long-lived streams: on SIGTERM, tell them to go elsewhere and end them.

A replica that is stopping (ECS sends SIGTERM, the load balancer deregisters it) stops accepting
connections; requests in flight finish within the grace period. Idle server-to-client streams
(`GET /mcp`, legacy `GET /sse`) would otherwise hold the shutdown until the grace runs out, so
each receives a short `retry:` hint — reconnect soon, to another replica — and is closed.
"""

from __future__ import annotations

import asyncio
from typing import Final

DRAIN: Final = object()
"""Put into a registered stream's queue when draining begins."""

RECONNECT_MILLISECONDS = 1000


class Draining:
    """Whether the server is shutting down, and the streams to end when it starts."""

    def __init__(self) -> None:
        self._draining = False
        self._queues: set[asyncio.Queue[object]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def active(self) -> bool:
        """True once shutdown began."""
        return self._draining

    def register(self, queue: asyncio.Queue[object]) -> None:
        """Have `DRAIN` put into `queue` when shutdown begins (at once if it already has)."""
        self._loop = asyncio.get_running_loop()
        if self._draining:
            queue.put_nowait(DRAIN)
        else:
            self._queues.add(queue)

    def unregister(self, queue: asyncio.Queue[object]) -> None:
        """Forget a stream that ended."""
        self._queues.discard(queue)

    def begin(self) -> None:
        """Start draining (idempotent). Safe from a signal handler in the loop's thread."""
        if self._draining:
            return
        self._draining = True
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._notify)
        else:
            self._notify()

    def _notify(self) -> None:
        for queue in list(self._queues):
            queue.put_nowait(DRAIN)
        self._queues.clear()
