"""A bare ASGI harness: drive one HTTP request through an app and keep what it sent."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import attrs

Message = dict[str, Any]
App = Callable[
    [dict[str, Any], Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]],
    Awaitable[None],
]


@attrs.define
class Exchange:
    """What the app sent back."""

    messages: list[Message] = attrs.Factory(list)

    @property
    def start(self) -> Message:
        return next(m for m in self.messages if m["type"] == "http.response.start")

    @property
    def status(self) -> int:
        return int(self.start["status"])

    def header(self, name: str) -> list[str]:
        wanted = name.lower().encode()
        return [v.decode() for k, v in self.start["headers"] if k.lower() == wanted]

    @property
    def body(self) -> bytes:
        return b"".join(
            m.get("body", b"") for m in self.messages if m["type"] == "http.response.body"
        )


def http_scope(
    method: str = "GET",
    path: str = "/things",
    *,
    headers: Sequence[tuple[str, str]] = (),
    query: str = "",
    path_template: str | None = None,
) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    if path_template is not None:
        scope["path_template"] = path_template
    return scope


async def drive(
    app: App,
    scope: dict[str, Any],
    *,
    body: bytes = b"",
    disconnect: asyncio.Event | None = None,
) -> Exchange:
    """Run `app` for one request; the client disconnects when `disconnect` is set."""
    exchange = Exchange()
    delivered = False

    async def receive() -> Message:
        nonlocal delivered
        if not delivered:
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}
        if disconnect is None:
            await asyncio.Event().wait()
        else:
            await disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        exchange.messages.append(message)

    await app(scope, receive, send)
    return exchange


def responding(
    status: int = 200,
    body: bytes = b"ok",
    *,
    headers: Sequence[tuple[bytes, bytes]] = ((b"content-type", b"text/plain"),),
    before: Callable[[], Awaitable[None]] | None = None,
    read_body: bool = True,
) -> App:
    """An app that (optionally) reads the body, runs `before`, then answers."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if read_body:
            await receive()
        if before is not None:
            await before()
        await send({"type": "http.response.start", "status": status, "headers": list(headers)})
        await send({"type": "http.response.body", "body": body, "more_body": False})

    return app
