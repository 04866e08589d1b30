"""How a tool call's work runs: to completion, or as a `Stream` — resumable or plain.

A call answered whole runs in the caller's task; interim messages are dropped, or written the
moment they are sent when the transport gives a sink (stdio).

Handshake-era requests in a session are resumable: the work runs detached from the HTTP
connection, writing every message to a `StreamBroker` stream the response follows. If the client
drops the connection it can resume with `GET` + `Last-Event-ID`; if nobody follows the stream for
`resume_grace_seconds`, the work is told to stop (and cancelled outright if it does not). Requests
without a session, and 2026-07-28 requests (where closing the stream *is* the cancellation), are
streamed plainly: closing the stream tells the work to wind down (and cancels it
`ABANDON_GRACE_SECONDS` later).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.replies import RequestSink, Stream
from jamf_mcp.adapters.mcp.signals import SignalRouter
from jamf_mcp.adapters.mcp.streams import StreamBroker, StreamEvent, new_stream_id, presence_key
from jamf_mcp.adapters.mcp.tool_methods import ToolCall

_log = logging.getLogger(__name__)

ABANDON_GRACE_SECONDS = 10.0
"""How long work may run on after its client went away, to finish what it started cleanly."""
RESUME_GRACE_SECONDS = 10.0
"""How long detached work waits for a client to resume its stream before winding down."""


def stream_owner(principal_key: str, session_id: str | None) -> str:
    """Whose streams these are: one principal within one session (or sessionless)."""
    return f"{principal_key}|{session_id or '-'}"


class _DiscardingSink:
    """A whole answer: interim messages cannot reach the client and are dropped."""

    streaming = False

    async def send(self, message: bytes) -> None:
        return None


DISCARDING_SINK: RequestSink = _DiscardingSink()


class _QueueSink:
    """A plain stream: interim messages are queued for it."""

    streaming = True

    def __init__(self, queue: asyncio.Queue[bytes | None]) -> None:
        self._queue = queue

    async def send(self, message: bytes) -> None:
        await self._queue.put(message)


class _BrokerSink:
    """A `RequestSink` writing into one broker stream."""

    streaming = True

    def __init__(self, broker: StreamBroker, owner: str, stream_id: str) -> None:
        self._broker = broker
        self._owner = owner
        self._stream_id = stream_id

    async def send(self, message: bytes) -> None:
        await self._broker.send(self._owner, self._stream_id, message)


class ReplyDelivery:
    """Streams tool calls, resumably where the protocol and the transport allow.

    Args:
        broker: resumable streams.
        router: presence signals of followers (across replicas when shared).
        resume_grace_seconds: see the module docstring.
    """

    def __init__(
        self,
        broker: StreamBroker,
        router: SignalRouter,
        resume_grace_seconds: float = RESUME_GRACE_SECONDS,
    ) -> None:
        self._broker = broker
        self._router = router
        self._grace = resume_grace_seconds
        self._running: set[asyncio.Task[None]] = set()

    async def drain(self, within: float) -> None:
        """Wait up to `within` seconds for detached work to finish (shutdown)."""
        if self._running:
            await asyncio.wait(set(self._running), timeout=within)

    @property
    def broker(self) -> StreamBroker:
        """The stream broker (resumptions follow its streams)."""
        return self._broker

    def stream(self, call: ToolCall, resumable: bool) -> Stream:
        """Start streaming `call`: resumably when `resumable` and its request is in a
        handshake-era session, plainly otherwise."""
        scope = call.scope
        session_id = scope.session_id
        if not resumable or session_id is None or revisions.is_modern(scope.protocol_version):
            return Stream(_plain(call), None, call.primes_stream)
        owner = stream_owner(scope.principal.key, session_id)
        stream_id = new_stream_id()
        task = asyncio.get_running_loop().create_task(self._run(call, owner, stream_id))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return Stream(self._broker.follow(owner, stream_id), stream_id, call.primes_stream)

    async def _run(self, call: ToolCall, owner: str, stream_id: str) -> None:
        followers = 0
        abandon: asyncio.TimerHandle | None = None
        current = asyncio.current_task()
        assert current is not None

        def give_up() -> None:
            call.cancellation.cancel()
            asyncio.get_running_loop().call_later(ABANDON_GRACE_SECONDS, current.cancel)

        def presence(payload: bytes) -> None:
            nonlocal followers, abandon
            followers += 1 if payload == b"+" else -1
            if followers > 0 and abandon is not None:
                abandon.cancel()
                abandon = None
            elif followers <= 0 and abandon is None:
                abandon = asyncio.get_running_loop().call_later(self._grace, give_up)

        stop = self._router.listen(presence_key(owner, stream_id), presence)
        abandon = asyncio.get_running_loop().call_later(self._grace, give_up)  # until followed
        try:
            await self._broker.send(owner, stream_id, b"")  # event 1: primes Last-Event-ID
            response = await call.run(_BrokerSink(self._broker, owner, stream_id))
            await self._broker.send(owner, stream_id, response)
        except asyncio.CancelledError:
            _log.info("Abandoned work on stream %s was cancelled", stream_id)
        finally:
            stop()
            if abandon is not None:
                abandon.cancel()
            await self._broker.finish(owner, stream_id)


async def _plain(call: ToolCall) -> AsyncGenerator[StreamEvent, None]:
    """Notifications as the work produces them, then the response.

    Closing the iterator early (the client went away) tells the work to wind down and cancels
    it if it has not finished within `ABANDON_GRACE_SECONDS`.
    """
    queue: asyncio.Queue[bytes | None] = asyncio.Queue()

    async def run() -> bytes:
        try:
            return await call.run(_QueueSink(queue))
        finally:
            queue.put_nowait(None)

    task = asyncio.create_task(run())
    try:
        while (item := await queue.get()) is not None:
            yield StreamEvent(None, item)
        yield StreamEvent(None, await task)
    finally:
        if not task.done():
            # Never await here: the stream may be closing inside a cancelled scope.
            call.cancellation.cancel()
            asyncio.get_running_loop().call_later(ABANDON_GRACE_SECONDS, task.cancel)
