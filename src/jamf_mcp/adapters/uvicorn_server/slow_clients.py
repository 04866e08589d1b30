"""uvicorn's HTTP protocol with deadlines for slow clients (no reverse proxy is assumed in front).

uvicorn times out an idle keep-alive connection, but nothing else: a client can open a connection
and never send a request, trickle its headers a byte at a time, send endless header lines, or
announce a body and never finish it — each holding a socket, and the request's task, for as long
as it likes (slowloris). This protocol adds, per connection:

- a header deadline: a request's line and headers must arrive within `header_timeout` seconds
  of the connection opening (first request) or of their first byte (later ones), else `408`;
- a header size cap: more than `max_header_bytes` of request line and headers is refused `400`
  (uvicorn's answer to a request it cannot parse);
- a body deadline: an announced body must arrive in full within `body_timeout` seconds of the
  headers, else the connection is closed (the application sees the client leave).

In the common case — a whole request in one read — no timer is set at all.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

_IDLE, _HEADERS, _BODY, _APP = "idle", "headers", "body", "app"
_TIMEOUT_408 = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: 34\r\nconnection: close\r\n\r\nThe request took too long to send.\n"
)


class HeadersTooLarge(Exception):
    """The request line and headers exceed the cap (uvicorn answers 400 and closes)."""


class SlowClientGuard(HttpToolsProtocol):
    """`HttpToolsProtocol` with the deadlines described in the module docstring.

    Configure a subclass with `slow_client_guard(...)`; uvicorn instantiates it per connection.
    """

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_header_bytes: int = 64 * 1024

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stage = _IDLE
        self._header_bytes = 0
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Arm the deadline of the first request's headers."""
        super().connection_made(transport)
        self._arm(self.header_timeout)

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the deadline."""
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        """Parse, then arm the deadline of whatever is still incomplete."""
        super().data_received(data)
        if self._timer is None and not self.transport.is_closing():
            if self._stage == _HEADERS:
                self._arm(self.header_timeout)
            elif self._stage == _BODY:
                self._arm(self.body_timeout)

    # parser callbacks ---------------------------------------------------------------------

    def on_message_begin(self) -> None:
        """A request starts: its headers are being read."""
        super().on_message_begin()
        self._stage = _HEADERS
        self._header_bytes = 0

    def on_url(self, url: bytes) -> None:
        """Count the request line against the header cap."""
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        """Count each header against the cap."""
        self._count(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        """The headers arrived in time: a body, if any, is being read."""
        self._disarm()
        self._stage = _BODY
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        """The whole request arrived in time."""
        self._disarm()
        self._stage = _APP
        super().on_message_complete()

    def on_response_complete(self) -> None:
        """The answer went out: uvicorn's keep-alive timeout covers the wait for the next."""
        self._stage = _IDLE
        super().on_response_complete()

    # deadlines ------------------------------------------------------------------------------

    def _count(self, size: int) -> None:
        self._header_bytes += size
        if self._header_bytes > self.max_header_bytes:
            raise HeadersTooLarge()

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expired(self) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if self._stage in (_IDLE, _HEADERS) and (cycle is None or cycle.response_complete):
            self.transport.write(_TIMEOUT_408)
        elif self._stage == _BODY and cycle is not None and not cycle.response_started:
            self.transport.write(_TIMEOUT_408)  # the application then sees the client leave
        self.transport.close()


def slow_client_guard(
    *, header_timeout: float, body_timeout: float, max_header_bytes: int
) -> type[SlowClientGuard]:
    """A `SlowClientGuard` class with these limits, for `uvicorn.Config(http=...)`."""
    return type(
        "ConfiguredSlowClientGuard",
        (SlowClientGuard,),
        {
            "header_timeout": header_timeout,
            "body_timeout": body_timeout,
            "max_header_bytes": max_header_bytes,
        },
    )
