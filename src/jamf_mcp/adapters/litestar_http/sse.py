"""Server-Sent Events framing for MCP response streams."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncGenerator, AsyncIterator

RETRY_MILLISECONDS = 3000


def _event(
    event_id: str, data: bytes, *, event: str | None = None, retry: int | None = None
) -> bytes:
    lines = [f"id: {event_id}".encode()]
    if event is not None:
        lines.append(f"event: {event}".encode())
    if retry is not None:
        lines.append(f"retry: {retry}".encode())
    lines.extend(b"data: " + line for line in data.split(b"\n"))
    return b"\n".join(lines) + b"\n\n"


async def sse_events(messages: AsyncGenerator[bytes, None], *, prime: bool) -> AsyncIterator[bytes]:
    """Frame JSON-RPC messages as `message` events with ids unique to this stream.

    Args:
        messages: encoded JSON-RPC messages, the response last.
        prime: open with an empty event carrying an id and `retry:`, as 2025-11-25 clients
            expect (older ones cannot parse it).
    """
    stream_id = secrets.token_urlsafe(9)
    if prime:
        yield _event(f"{stream_id}-0", b"", retry=RETRY_MILLISECONDS)
    number = 0
    # aclosing: when the client goes away, closing this stream must close (and so cancel) the
    # work behind `messages` at once rather than whenever it is garbage-collected.
    async with contextlib.aclosing(messages):
        async for message in messages:
            number += 1
            yield _event(f"{stream_id}-{number}", message, event="message")
