"""How a streamed reply reaches the client: resumable (session streams) or plain.

Handshake-era requests in a session are resumable: the work runs detached from the HTTP
connection, writing every message to a `StreamBroker` stream the response follows. If the client
drops the connection it can resume with `GET` + `Last-Event-ID`; if nobody follows the stream for
`resume_grace_seconds`, the work is told to stop (and cancelled outright if it does not). Requests
without a session, and 2026-07-28 requests (where closing the stream *is* the cancellation), are
streamed plainly and stop as soon as the client goes away.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.replies import ABANDON_GRACE_SECONDS, Reply
from jamf_mcp.adapters.mcp.signals import SignalRouter
from jamf_mcp.adapters.mcp.streams import StreamBroker, StreamEvent, new_stream_id, presence_key

_log = logging.getLogger(__name__)

RESUME_GRACE_SECONDS = 10.0
"""How long detached work waits for a client to resume its stream before winding down."""


def stream_owner(principal_key: str, session_id: str | None) -> str:
    """Whose streams these are: one principal within one session (or sessionless)."""
    return f"{principal_key}|{session_id or '-'}"


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
    """Streams replies, resumably where the protocol allows.

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

    def stream(
        self, reply: Reply, principal_key: str, session_id: str | None, protocol_version: str
    ) -> tuple[str | None, AsyncGenerator[StreamEvent, None]]:
        """Start streaming `reply`: the stream id (None when not resumable) and its events."""
        if session_id is None or revisions.is_modern(protocol_version) or reply.deferred is None:
            return None, _plain(reply)
        owner = stream_owner(principal_key, session_id)
        stream_id = new_stream_id()
        task = asyncio.get_running_loop().create_task(self._run(reply, owner, stream_id))
        self._running.add(task)
        task.add_done_callback(self._running.discard)
        return stream_id, self._broker.follow(owner, stream_id)

    async def _run(self, reply: Reply, owner: str, stream_id: str) -> None:
        assert reply.deferred is not None
        followers = 0
        abandon: asyncio.TimerHandle | None = None
        current = asyncio.current_task()
        assert current is not None

        def give_up() -> None:
            if reply.on_abandon is not None:
                reply.on_abandon()
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
            response = await reply.deferred(_BrokerSink(self._broker, owner, stream_id))
            await self._broker.send(owner, stream_id, response)
        except asyncio.CancelledError:
            _log.info("Abandoned work on stream %s was cancelled", stream_id)
        finally:
            stop()
            if abandon is not None:
                abandon.cancel()
            await self._broker.finish(owner, stream_id)


async def _plain(reply: Reply) -> AsyncGenerator[StreamEvent, None]:
    async for message in reply.stream():
        yield StreamEvent(None, message)
