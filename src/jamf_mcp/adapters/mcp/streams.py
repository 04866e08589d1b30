"""Resumable SSE streams: every event is stored under its stream and owner before it is delivered.

A stream belongs to an owner (the principal and the session); its events are numbered 1, 2, …
and their SSE ids read `<stream id>.<number>`, unique across a session's streams and naming the
stream they belong to. A client that lost a stream reconnects with `Last-Event-ID` and gets the
events it missed, then whatever follows — live events travel through the `SignalRouter`, so the
work and the reconnected client need not be in the same process once both the event store and the
router are shared. A `Last-Event-ID` of another owner's stream is simply unknown.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import time
from collections.abc import AsyncGenerator
from typing import Protocol

import attrs

from jamf_mcp.adapters.mcp.signals import SignalRouter

_EVENT_ID = re.compile(r"(?P<stream>[0-9a-f]{16})\.(?P<seq>[0-9]{1,12})")
_END = b"end"


@attrs.frozen
class StreamEvent:
    """One SSE event: its id (None when the stream is not resumable) and its JSON-RPC message."""

    event_id: str | None
    data: bytes


@attrs.frozen
class StoredEvents:
    """What an event store holds for a stream after a given event."""

    events: tuple[tuple[int, bytes], ...]
    closed: bool


class UnknownStream(Exception):
    """No stream of this owner has this id (never existed, expired, or someone else's)."""


class EventStore(Protocol):
    """Keeps each stream's events long enough for a client to resume it.

    Implementations bound what they keep (events per stream, time since last use) and forget
    streams on their own; a forgotten stream is unknown.
    """

    async def append(self, owner: str, stream_id: str, data: bytes) -> int:
        """Store the next event of a stream (creating it); return its number (1, 2, …)."""
        ...

    async def close(self, owner: str, stream_id: str) -> None:
        """Mark the stream complete: a resumption replays it and ends."""
        ...

    async def read_after(self, owner: str, stream_id: str, after: int) -> StoredEvents | None:
        """The events numbered above `after`, or None for an unknown stream."""
        ...


def new_stream_id() -> str:
    """A random stream id (64 bits, hex)."""
    return secrets.token_hex(8)


def event_id(stream_id: str, number: int) -> str:
    """The SSE id of event `number` of a stream."""
    return f"{stream_id}.{number}"


def parse_event_id(value: str) -> tuple[str, int] | None:
    """`(stream id, number)` of an id made by `event_id`, else None."""
    match = _EVENT_ID.fullmatch(value.strip())
    if match is None:
        return None
    return match.group("stream"), int(match.group("seq"))


@attrs.define
class _Log:
    events: list[tuple[int, bytes]] = attrs.field(factory=list)
    next_seq: int = 1
    closed: bool = False
    touched: float = attrs.field(factory=time.monotonic)


class InMemoryEventStore:
    """An `EventStore` in this process.

    Args:
        max_events: events kept per stream (the oldest are dropped beyond it).
        ttl_seconds: a stream unused for this long is forgotten.
    """

    def __init__(self, max_events: int = 5000, ttl_seconds: float = 900.0) -> None:
        self._max_events = max_events
        self._ttl = ttl_seconds
        self._logs: dict[tuple[str, str], _Log] = {}
        self._next_sweep = time.monotonic() + 60

    def __len__(self) -> int:
        return len(self._logs)

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60
        for key in [k for k, log in self._logs.items() if now - log.touched > self._ttl]:
            del self._logs[key]

    async def append(self, owner: str, stream_id: str, data: bytes) -> int:
        """Store one event."""
        now = time.monotonic()
        self._sweep(now)
        log = self._logs.setdefault((owner, stream_id), _Log())
        seq = log.next_seq
        log.next_seq += 1
        log.events.append((seq, data))
        if len(log.events) > self._max_events:
            del log.events[0]
        log.touched = now
        return seq

    async def close(self, owner: str, stream_id: str) -> None:
        """Mark a stream complete."""
        log = self._logs.setdefault((owner, stream_id), _Log())
        log.closed = True
        log.touched = time.monotonic()

    async def read_after(self, owner: str, stream_id: str, after: int) -> StoredEvents | None:
        """The stored events after `after`."""
        log = self._logs.get((owner, stream_id))
        if log is None or time.monotonic() - log.touched > self._ttl:
            return None
        return StoredEvents(tuple((s, d) for s, d in log.events if s > after), log.closed)


@attrs.define
class _Writer:
    """Orders the sends to one stream: the lock, and how many sends hold or wait for it."""

    lock: asyncio.Lock = attrs.Factory(asyncio.Lock)
    users: int = 0


def _live_key(owner: str, stream_id: str) -> str:
    return f"stream|{owner}|{stream_id}"


def presence_key(owner: str, stream_id: str) -> str:
    """Where followers of a stream announce themselves (`+`) and leave (`-`)."""
    return f"presence|{owner}|{stream_id}"


class StreamBroker:
    """Writes events to streams and lets clients follow (or resume) them.

    Args:
        store: where events are kept for resumption.
        router: carries live events and presence signals (across replicas when shared).
        resync_seconds: how long a follower waits on a quiet router before reading the store.
    """

    def __init__(
        self, store: EventStore, router: SignalRouter, resync_seconds: float = 5.0
    ) -> None:
        self._store = store
        self._router = router
        self._resync_seconds = resync_seconds
        self._background: set[asyncio.Task[None]] = set()
        self._writers: dict[tuple[str, str], _Writer] = {}

    def _publish_later(self, key: str, payload: bytes) -> None:
        """Publish without awaiting (safe while a cancelled stream is being closed)."""
        task = asyncio.get_running_loop().create_task(self._router.publish(key, payload))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def send(self, owner: str, stream_id: str, data: bytes) -> StreamEvent:
        """Store one event, then deliver it to whoever follows the stream.

        Concurrent sends to one stream are numbered in the order they were called (progress
        reported by concurrent chunks must not overtake one another on the way to a shared
        store, where each append may travel over a different connection).
        """
        key = (owner, stream_id)
        writer = self._writers.get(key)
        if writer is None:
            writer = self._writers[key] = _Writer()
        writer.users += 1
        try:
            async with writer.lock:
                seq = await self._store.append(owner, stream_id, data)
                await self._router.publish(_live_key(owner, stream_id), b"%d\n" % seq + data)
        finally:
            writer.users -= 1
            if writer.users == 0:
                del self._writers[key]
        return StreamEvent(event_id(stream_id, seq), data)

    async def finish(self, owner: str, stream_id: str) -> None:
        """Close the stream: followers stop after its last event."""
        await self._store.close(owner, stream_id)
        await self._router.publish(_live_key(owner, stream_id), _END)

    async def exists(self, owner: str, stream_id: str) -> bool:
        """Whether the owner has this stream (so a resumption can be refused up front)."""
        return await self._store.read_after(owner, stream_id, 1 << 62) is not None

    async def follow(
        self, owner: str, stream_id: str, after: int = 0
    ) -> AsyncGenerator[StreamEvent, None]:
        """The stream's events numbered above `after`, then live ones until it is finished.

        Live events come through the router; when it stays quiet for `resync_seconds` the store
        is read again, so a live event lost on the way (a shared router reconnecting) only
        delays delivery, never loses it.

        Raises:
            UnknownStream: the owner has no such stream.
        """
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        stop = self._router.listen(_live_key(owner, stream_id), queue.put_nowait)
        presence = presence_key(owner, stream_id)
        try:
            stored = await self._store.read_after(owner, stream_id, after)
            if stored is None:
                raise UnknownStream(stream_id)
            await self._router.publish(presence, b"+")
            try:
                last = after
                while True:
                    for seq, data in stored.events:
                        if seq > last:
                            last = seq
                            yield StreamEvent(event_id(stream_id, seq), data)
                    if stored.closed:
                        return
                    try:
                        async with asyncio.timeout(self._resync_seconds):
                            payload = await queue.get()
                    except TimeoutError:
                        stored = await self._store.read_after(owner, stream_id, last)
                        if stored is None:
                            return  # expired meanwhile
                        continue
                    if payload == _END:
                        stored = await self._store.read_after(owner, stream_id, last)
                        if stored is None:
                            return
                        stored = StoredEvents(stored.events, closed=True)
                        continue
                    head, _, data = payload.partition(b"\n")
                    seq = int(head)
                    if seq == last + 1:
                        last = seq
                        yield StreamEvent(event_id(stream_id, seq), data)
                        stored = StoredEvents((), closed=False)
                    elif seq > last + 1:  # a gap: some live events were lost; read them back
                        stored = await self._store.read_after(owner, stream_id, last)
                        if stored is None:
                            return
                    else:
                        stored = StoredEvents((), closed=False)
            finally:
                self._publish_later(presence, b"-")
        finally:
            stop()
