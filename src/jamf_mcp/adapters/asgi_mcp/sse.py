"""Server-Sent Events framing for MCP streams: ids, `retry:` hints and `:ping` keep-alives."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncGenerator, AsyncIterator

from jamf_mcp.adapters.asgi_mcp.draining import DRAIN, RECONNECT_MILLISECONDS, Draining
from jamf_mcp.adapters.asgi_mcp.stream_limits import EVICTED, StreamSlot
from jamf_mcp.adapters.mcp.streams import StreamEvent

RETRY_MILLISECONDS = 3000
KEEPALIVE = b":ping\n\n"


def sse_event(
    event_id: str | None, data: bytes, *, event: str | None = None, retry: int | None = None
) -> bytes:
    """One SSE event (multi-line data split into `data:` lines)."""
    lines = []
    if event_id is not None:
        lines.append(f"id: {event_id}".encode())
    if event is not None:
        lines.append(f"event: {event}".encode())
    if retry is not None:
        lines.append(f"retry: {retry}".encode())
    lines.extend(b"data: " + line for line in data.split(b"\n"))
    return b"\n".join(lines) + b"\n\n"


def retry_hint(milliseconds: int = RETRY_MILLISECONDS) -> bytes:
    """A `retry:` field on its own, telling the client how soon to reconnect."""
    return f"retry: {milliseconds}\n\n".encode()


async def with_keepalive(
    frames: AsyncIterator[bytes],
    interval: float,
    draining: Draining | None = None,
    slot: StreamSlot | None = None,
) -> AsyncGenerator[bytes, None]:
    """`frames`, with a `:ping` comment whenever nothing was sent for `interval` seconds.

    A producer task reads `frames` into a queue, so waiting with a timeout never cancels the
    stream's own iterator; closing this one closes (and so stops) the producer. With `draining`,
    the stream ends with a short `retry:` hint once the server starts shutting down; with
    `slot`, it ends when a newer stream of the same user evicts it.
    """
    queue: asyncio.Queue[object] = asyncio.Queue(maxsize=64)

    async def produce() -> None:
        try:
            async for frame in frames:
                await queue.put(frame)
        finally:
            await queue.put(None)

    producer = asyncio.create_task(produce())
    if draining is not None:
        draining.register(queue)
    if slot is not None:
        slot.attach(queue)
    try:
        while True:
            try:
                async with asyncio.timeout(interval):
                    frame = await queue.get()
            except TimeoutError:
                yield KEEPALIVE
                continue
            if frame is DRAIN:
                yield retry_hint(RECONNECT_MILLISECONDS)
                return
            if frame is EVICTED:
                return
            if not isinstance(frame, bytes):
                break
            yield frame
        await producer  # re-raise what the stream raised, if anything
    finally:
        if draining is not None:
            draining.unregister(queue)
        if not producer.done():
            producer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await producer


async def sse_frames(
    events: AsyncGenerator[StreamEvent, None],
    *,
    prime: bool,
    stream_id: str | None = None,
    event_name: str | None = "message",
) -> AsyncGenerator[bytes, None]:
    """Frame stream events as SSE.

    Args:
        events: the stream's events (ids from the broker when resumable, else None).
        prime: the client's revision expects (2025-11-25) — and older ones choke on — an opening
            event with an id, empty data and a `retry:` hint; without it empty events are skipped.
        stream_id: for a stream whose events carry no ids: ids are made up per stream.
        event_name: the SSE `event:` of message events.
    """
    local_id = stream_id or secrets.token_hex(8)
    number = 0
    primed = False
    async with contextlib.aclosing(events):
        async for item in events:
            event_id = item.event_id
            if event_id is None:
                event_id = f"{local_id}.{number}"
                number += 1
            if not item.data:
                if prime and not primed:
                    primed = True
                    yield sse_event(event_id, b"", retry=RETRY_MILLISECONDS)
                continue
            if prime and not primed:
                primed = True
                yield sse_event(f"{local_id}.p", b"", retry=RETRY_MILLISECONDS)
            yield sse_event(event_id, item.data, event=event_name)
