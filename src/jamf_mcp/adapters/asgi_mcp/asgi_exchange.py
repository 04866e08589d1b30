"""One HTTP request/response on the raw ASGI interface: the request as it arrived, and the answer.

The MCP endpoints are served by plain ASGI code ahead of Litestar's router (ADR 0012): on a
`ping` Litestar's request, signature and response machinery cost several times what the MCP
core does. `HttpExchange` gives that code what it needs and no more — the method, path, headers
(read once into a dict), the query string on demand, the body under a size limit — and sends
`Answer`s (whole JSON bodies) or SSE streams, ending a stream when the client goes away.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

import attrs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

JSON = "application/json"


@attrs.frozen
class Answer:
    """A complete HTTP answer: status, body and headers (`Content-Type` from `media_type`).

    Used by the raw MCP endpoints and (through `litestar_http.answers.litestar_response`) by
    Litestar routes and exception handlers, so an error reads the same whichever serves it.
    """

    status: int
    body: bytes = b""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    media_type: str | None = JSON


class BodyTooLarge(Exception):
    """The request body is over the limit."""


class ClientGone(Exception):
    """The client disconnected before the request body arrived."""


def _decoded_headers(raw: Any) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in raw:
        name = key.decode("latin-1").lower()
        text = value.decode("latin-1").strip(" \t")  # optional whitespace is not the value
        headers[name] = f"{headers[name]}, {text}" if name in headers else text
    return headers


class HttpExchange:
    """One request on the raw ASGI interface and the means to answer it.

    Attributes:
        method: the request method, upper case.
        path: the path (no query string).
        headers: lower-case names; repeated headers joined with `, ` (as HTTP allows).
        started: whether the response has begun (an error can no longer become an answer).
    """

    __slots__ = ("_query", "_receive", "_send", "headers", "method", "path", "scope", "started")

    def __init__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.scope = scope
        self._receive = receive
        self._send = send
        self.method: str = scope["method"]
        self.path: str = scope["path"]
        self.headers = _decoded_headers(scope.get("headers", ()))
        self._query: dict[str, str] | None = None
        self.started = False

    @property
    def query_params(self) -> Mapping[str, str]:
        """The query parameters (the first value of each), parsed on first use."""
        if self._query is None:
            raw = bytes(self.scope.get("query_string", b"")).decode("latin-1")
            self._query = {}
            for name, value in parse_qsl(raw, keep_blank_values=True):
                self._query.setdefault(name, value)
        return self._query

    async def body(self, limit: int) -> bytes:
        """The whole request body.

        Raises:
            BodyTooLarge: it is (or announces being) over `limit` bytes.
            ClientGone: the client disconnected first.
        """
        declared = self.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await self._receive()
            if message["type"] == "http.disconnect":
                raise ClientGone
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _start(self, status: int, headers: Mapping[str, str], length: int | None) -> Message:
        raw = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in headers.items()
        ]
        if length is not None:
            raw.append((b"content-length", str(length).encode()))
        self.started = True
        return {"type": "http.response.start", "status": status, "headers": raw}

    async def answer(self, answer: Answer) -> None:
        """Send a complete answer."""
        headers = dict(answer.headers)
        if answer.media_type is not None:
            headers["content-type"] = answer.media_type
        bodiless = answer.status in (204, 304)  # no Content-Length either (RFC 9110)
        length = None if bodiless else len(answer.body)
        await self._send(self._start(answer.status, headers, length))
        body = b"" if bodiless else answer.body
        await self._send({"type": "http.response.body", "body": body, "more_body": False})

    async def stream(
        self, status: int, headers: Mapping[str, str], frames: AsyncGenerator[bytes, None]
    ) -> None:
        """Send `frames` as a streamed body until they end or the client disconnects.

        Either way `frames` is closed (so whatever produces them stops); an error raised by
        `frames` propagates once the response is ended.
        """
        await self._send(self._start(status, headers, None))
        pump = asyncio.ensure_future(self._pump(frames))
        gone = asyncio.ensure_future(self._disconnected())
        client_left = False
        try:
            await asyncio.wait({pump, gone}, return_when=asyncio.FIRST_COMPLETED)
            client_left = gone.done() and not gone.cancelled() and gone.exception() is None
        finally:
            gone.cancel()
            pump.cancel()
            try:
                await asyncio.wait({pump, gone})
            finally:
                await frames.aclose()
        if not pump.cancelled() and (error := pump.exception()) is not None:
            raise error
        if not client_left:
            await self._send({"type": "http.response.body", "body": b"", "more_body": False})

    async def _pump(self, frames: AsyncGenerator[bytes, None]) -> None:
        async for frame in frames:
            await self._send({"type": "http.response.body", "body": frame, "more_body": True})

    async def _disconnected(self) -> None:
        while (await self._receive())["type"] != "http.disconnect":
            pass
