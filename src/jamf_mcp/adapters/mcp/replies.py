"""What the transport hands the core (`RequestContext`) and what it gets back (`Reply`)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from typing import Any, Protocol

import attrs

from jamf_mcp.domain.principal import Principal

ABANDON_GRACE_SECONDS = 10.0
"""How long work may run on after its client went away, to finish what it started cleanly."""


class RequestSink(Protocol):
    """Where a request's interim messages go (notifications, and server-to-client requests)."""

    @property
    def streaming(self) -> bool:
        """True when messages reach the client as they are sent (an SSE response)."""
        ...

    async def send(self, message: bytes) -> None:
        """Send one encoded JSON-RPC message ahead of the response (dropped when not streaming)."""
        ...


DeferredWork = Callable[[RequestSink], Awaitable[bytes]]
"""Does the work of a request, sending interim messages as it goes, and returns the response."""


class _DiscardingSink:
    """A JSON reply: interim messages cannot reach the client and are dropped."""

    streaming = False

    async def send(self, message: bytes) -> None:
        return None


class _QueueSink:
    """An SSE reply: interim messages are queued for the stream."""

    streaming = True

    def __init__(self, queue: asyncio.Queue[bytes | None]) -> None:
        self._queue = queue

    async def send(self, message: bytes) -> None:
        await self._queue.put(message)


@attrs.frozen
class RequestContext:
    """Transport facts about one incoming HTTP message.

    Attributes:
        principal: the authenticated caller.
        session_id: the `Mcp-Session-Id` header, if sent.
        protocol_version: the `MCP-Protocol-Version` header, if sent.
        method_header: the `Mcp-Method` header (2026-07-28), if sent.
        name_header: the `Mcp-Name` header (2026-07-28), if sent.
        has_headers: False for transports without HTTP headers (stdio): the 2026-07-28 header
            checks are skipped there.
        legacy_sse: the message came through the 2024-11-05 HTTP+SSE transport, whose session
            (`session_id`) exists before `initialize`.
    """

    principal: Principal
    session_id: str | None = None
    protocol_version: str | None = None
    method_header: str | None = None
    name_header: str | None = None
    has_headers: bool = True
    legacy_sse: bool = False


@attrs.frozen
class RequestScope:
    """A request after the core resolved its session and protocol revision.

    Attributes:
        principal: the authenticated caller.
        session_id: the live session, or None for a stateless request.
        protocol_version: the revision the request is served under.
        client_capabilities: from `initialize`, or the request's `_meta` (2026-07-28); empty
            for stateless handshake-era requests.
        log_level: the least severe `notifications/message` level the client wants (None:
            none at all).
        server_info: `serverInfo`, repeated in the `_meta` of every 2026-07-28 result.
        client_info: the client's `clientInfo` (from `initialize`, or the request's `_meta`);
            empty when it did not say.
    """

    principal: Principal
    session_id: str | None
    protocol_version: str
    client_capabilities: Mapping[str, Any]
    log_level: str | None = None
    server_info: Mapping[str, Any] | None = None
    client_info: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class Reply:
    """The core's answer to one message, in transport-neutral terms.

    Either `message` is the complete response, or `deferred` still has to run (tool calls);
    both are reached through `body()` (answer as one JSON document, interim notifications are
    dropped) or `stream()` (every message as it happens, the response last). 202/204 replies
    have neither.

    Attributes:
        status: the HTTP status to answer with (200, 202, 204, 400, 404).
        message: the encoded response, when already known.
        session_id: a newly created session to announce in `Mcp-Session-Id`.
        deferred: the pending work of a request whose answer is not computed yet.
        wants_stream: the client asked for progress, or the work may ask the client something,
            so streaming is worth it.
        primes_stream: the client's revision expects an SSE stream to open with an event that
            has an id and empty data (older clients cannot parse one).
        on_abandon: called when the client goes away before the response: tells the work to
            wind down; it is cancelled outright `ABANDON_GRACE_SECONDS` later.
        scope: the request the reply answers (for streams that can be resumed).
    """

    status: int
    message: bytes | None = None
    session_id: str | None = None
    deferred: DeferredWork | None = attrs.field(default=None, eq=False)
    wants_stream: bool = False
    primes_stream: bool = False
    on_abandon: Callable[[], None] | None = attrs.field(default=None, eq=False)
    scope: RequestScope | None = attrs.field(default=None, eq=False)

    @property
    def has_body(self) -> bool:
        """False for 202/204-style replies that carry no JSON-RPC message."""
        return self.message is not None or self.deferred is not None

    async def body(self) -> bytes | None:
        """Run any pending work and return the single response message."""
        if self.deferred is not None:
            return await self.deferred(_DiscardingSink())
        return self.message

    async def stream(self) -> AsyncGenerator[bytes, None]:
        """Yield notifications as the work produces them, then the response.

        Closing the iterator early (the client went away) tells the work to wind down
        (`on_abandon`) and cancels it if it has not finished within the grace period.
        """
        if self.deferred is None:
            if self.message is not None:
                yield self.message
            return
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        deferred = self.deferred

        async def run() -> bytes:
            try:
                return await deferred(_QueueSink(queue))
            finally:
                queue.put_nowait(None)

        task = asyncio.create_task(run())
        try:
            while (item := await queue.get()) is not None:
                yield item
            yield await task
        finally:
            if not task.done():
                # Never await here: the stream may be closing inside a cancelled scope.
                if self.on_abandon is not None:
                    self.on_abandon()
                    asyncio.get_running_loop().call_later(ABANDON_GRACE_SECONDS, task.cancel)
                else:
                    task.cancel()
