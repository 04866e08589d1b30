"""Streams that belong to a session rather than to one request: the GET stream and legacy SSE.

- `GET /mcp` opens a standalone server-to-client stream (also without a session, as ChatGPT
  does), or — with `Last-Event-ID` — resumes one of the owner's streams where the client lost it.
- The 2024-11-05 HTTP+SSE transport: `GET /sse` opens the session's only stream; every response
  and notification of the messages the client POSTs to `/messages?session_id=…` travels on it.

Messages for a session's open streams are published under its outbox key through the
`SignalRouter`, so the POST that produced them may be served by another replica.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from datetime import UTC, datetime

import attrs

from jamf_mcp.adapters.mcp.delivery import stream_owner
from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, RpcError
from jamf_mcp.adapters.mcp.replies import Outcome, Result, refused
from jamf_mcp.adapters.mcp.sessions import Session, SessionStore, new_session_id
from jamf_mcp.adapters.mcp.signals import SignalRouter
from jamf_mcp.adapters.mcp.streams import (
    StreamBroker,
    StreamEvent,
    UnknownStream,
    new_stream_id,
    parse_event_id,
)
from jamf_mcp.domain.principal import Principal

_log = logging.getLogger(__name__)
_END = b"\x00end"
LEGACY_SSE_VERSION = "2024-11-05"


def outbox_key(owner: str) -> str:
    """Where messages for an owner's open session streams are published."""
    return f"outbox|{owner}"


@attrs.frozen
class OpenedStream:
    """A stream ready to be sent: its events, and whether to open with a priming event."""

    events: AsyncGenerator[StreamEvent, None]
    resumed: bool = False


class SessionStreams:
    """Opens, resumes and feeds session streams.

    Args:
        sessions: the session store (streams of unknown or foreign sessions are refused).
        broker: resumable streams.
        router: outbox delivery (across replicas when shared).
    """

    def __init__(self, sessions: SessionStore, broker: StreamBroker, router: SignalRouter) -> None:
        self._sessions = sessions
        self._broker = broker
        self._router = router
        self._relays: set[asyncio.Task[None]] = set()

    async def _owned(self, principal: Principal, session_id: str | None) -> Session | None:
        if session_id is None:
            return None
        session = await self._sessions.get(session_id)
        if session is None or session.principal_key != principal.key:
            raise _NotFound()
        return session

    async def open(
        self, principal: Principal, session_id: str | None, last_event_id: str | None
    ) -> OpenedStream | Result:
        """`GET /mcp`: resume the stream `last_event_id` names, or open a standalone stream."""
        try:
            await self._owned(principal, session_id)
        except _NotFound:
            error = RpcError(ErrorCode.SESSION_NOT_FOUND, "Session not found or expired")
            return refused(Outcome.UNKNOWN_SESSION, error)
        owner = stream_owner(principal.key, session_id)
        if last_event_id is not None:
            parsed = parse_event_id(last_event_id)
            if parsed is None or not await self._broker.exists(owner, parsed[0]):
                error = RpcError(
                    ErrorCode.INVALID_REQUEST,
                    "Last-Event-ID names no stream of this session that can still be resumed",
                )
                return refused(Outcome.UNKNOWN_STREAM, error)
            stream_id, after = parsed
            return OpenedStream(self._broker.follow(owner, stream_id, after), resumed=True)
        return OpenedStream(self._standalone(owner))

    async def _standalone(self, owner: str) -> AsyncGenerator[StreamEvent, None]:
        stream_id = new_stream_id()
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        stop = self._router.listen(outbox_key(owner), queue.put_nowait)
        try:
            yield await self._broker.send(owner, stream_id, b"")
            while (message := await queue.get()) != _END:
                yield await self._broker.send(owner, stream_id, message)
        finally:
            stop()

    async def send(self, principal_key: str, session_id: str | None, message: bytes) -> None:
        """Deliver a server-initiated message to the owner's open session streams."""
        await self._router.publish(outbox_key(stream_owner(principal_key, session_id)), message)

    async def close_all(self, principal_key: str, session_id: str) -> None:
        """End every open session stream of a session (it was deleted)."""
        await self.send(principal_key, session_id, _END)

    # the 2024-11-05 HTTP+SSE transport -----------------------------------------------------

    async def open_legacy(self, principal: Principal) -> tuple[str, AsyncGenerator[bytes, None]]:
        """`GET /sse`: a new session and its stream of messages (the transport's only stream)."""
        now = datetime.now(UTC)
        session = Session(
            id=new_session_id(),
            principal_key=principal.key,
            protocol_version=LEGACY_SSE_VERSION,
            client_info={},
            client_capabilities={},
            created_at=now,
            last_seen_at=now,
        )
        await self._sessions.add(session)
        return session.id, self._legacy_messages(principal.key, session.id)

    async def _legacy_messages(
        self, principal_key: str, session_id: str
    ) -> AsyncGenerator[bytes, None]:
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        owner = stream_owner(principal_key, session_id)
        stop = self._router.listen(outbox_key(owner), queue.put_nowait)
        try:
            while (message := await queue.get()) != _END:
                yield message
        finally:
            stop()
            await self._sessions.remove(session_id)
            _log.info("Legacy SSE stream closed; its session ended")

    async def legacy_session(self, principal: Principal, session_id: str) -> bool:
        """Whether `session_id` is a live legacy-SSE session of this principal."""
        try:
            return await self._owned(principal, session_id) is not None
        except _NotFound:
            return False

    async def drain(self, within: float) -> None:
        """Wait up to `within` seconds for replies still being relayed (shutdown)."""
        if self._relays:
            await asyncio.wait(set(self._relays), timeout=within)

    def forward(
        self, events: AsyncGenerator[StreamEvent, None], principal_key: str, session_id: str
    ) -> None:
        """Send every message of an answer to the session's stream, from a background task."""

        async def relay() -> None:
            try:
                async for event in events:
                    await self.send(principal_key, session_id, event.data)
            except Exception:
                _log.exception("Relaying a reply to a legacy SSE stream failed")

        task = asyncio.get_running_loop().create_task(relay())
        self._relays.add(task)
        task.add_done_callback(self._relays.discard)


class _NotFound(Exception):
    pass


__all__ = ["LEGACY_SSE_VERSION", "OpenedStream", "SessionStreams", "UnknownStream", "outbox_key"]
