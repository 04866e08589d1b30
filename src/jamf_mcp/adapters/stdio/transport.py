"""The stdio transport: one MCP session over newline-delimited JSON-RPC on a pair of pipes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterable, Coroutine
from typing import Any

from jamf_mcp.adapters.mcp import ErrorCode, Forbidden, McpServer, RequestContext, RpcError, Stream
from jamf_mcp.adapters.stdio.framing import Frame, OversizedLine
from jamf_mcp.adapters.stdio.pipes import PipeWriter
from jamf_mcp.domain.principal import Principal

_log = logging.getLogger(__name__)

DEFAULT_GRACE_SECONDS = 5.0
"""How long answers still being worked on when the input ends may take to finish."""


class _LineSink:
    """A `RequestSink` on the pipe: interim messages go out at once, so the client can be asked."""

    streaming = True

    def __init__(self, writer: PipeWriter) -> None:
        self._writer = writer

    async def send(self, message: bytes) -> None:
        await self._writer.write(message)


class StdioTransport:
    """Serves one client over a pipe pair; no sign-in, so every message acts as `principal`.

    Each message goes `parse` → `authorize` (a refusal is written as its JSON-RPC error) →
    `dispatch`. The input is read continuously and every message is handled in a task of its own: neither
    a long tool call nor a slow read inside the core (a resource, a completion) holds up the
    client's answers to `elicitation/create`, its `notifications/cancelled` or other requests.
    Interim messages (progress, server-to-client requests) are written as they happen, the
    response last. The session id minted by `initialize` is used for every later message: the
    pipe pair is one session (clients wait for the `initialize` result before sending more).

    Args:
        server: the MCP protocol core.
        principal: who every message acts as.
        writer: where output lines go.
        grace_seconds: how long answers still being worked on when the input ends may take
            before they are cancelled.
    """

    def __init__(
        self,
        server: McpServer,
        principal: Principal,
        writer: PipeWriter,
        *,
        grace_seconds: float = DEFAULT_GRACE_SECONDS,
    ) -> None:
        self._server = server
        self._principal = principal
        self._writer = writer
        self._sink = _LineSink(writer)
        self._grace_seconds = grace_seconds
        self._session_id: str | None = None
        self._running: set[asyncio.Task[None]] = set()

    @property
    def session_id(self) -> str | None:
        """The session the client initialized, once it has."""
        return self._session_id

    async def serve(self, frames: AsyncIterable[Frame]) -> None:
        """Handle frames until the input ends, then give unfinished answers the grace period.

        Cancelling `serve` cancels the unfinished answers at once.
        """
        try:
            async for frame in frames:
                self._start(self._answer(frame))
            if self._running:
                _log.info(
                    "Input closed; waiting up to %.0f s for %d unfinished answer(s)",
                    self._grace_seconds,
                    len(self._running),
                )
                await asyncio.wait(set(self._running), timeout=self._grace_seconds)
        finally:
            await self._cancel_running()

    async def _answer(self, frame: Frame) -> None:
        if isinstance(frame, OversizedLine):
            refusal = RpcError(
                ErrorCode.INVALID_REQUEST,
                f"Message too large: {frame.size} bytes; the limit is {frame.limit} bytes per line",
            )
            await self._writer.write(refusal.encode())
            return
        server = self._server
        verdict = server.authorize(server.parse(frame), self._principal)
        if isinstance(verdict, Forbidden):
            await self._writer.write(verdict.error.encode())
            return
        # With a sink the work runs right in this task (interim messages written as they are
        # sent), so cancelling the task cancels the work itself and its clean-up runs before
        # the resources close.
        context = RequestContext(
            self._principal, self._session_id, has_headers=False, sink=self._sink
        )
        answer = await server.dispatch(verdict, context)
        if isinstance(answer, Stream):
            async for event in answer.events:
                await self._writer.write(event.data)
            return
        if answer.session_id is not None:
            self._session_id = answer.session_id
        if answer.message is not None:
            await self._writer.write(answer.message)

    def _start(self, step: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(step)
        self._running.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._running.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            # The core answers every message itself; this is a bug, and the session goes on.
            _log.error("Answering a message failed unexpectedly", exc_info=error)

    async def _cancel_running(self) -> None:
        running = set(self._running)
        if not running:
            return
        _log.info("Cancelling %d unfinished answer(s)", len(running))
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
