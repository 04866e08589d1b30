"""A real HTTP listener on loopback that records every request: the attacker's redirect URI.

Where the attack must fail, the test asserts that nothing at all reached it — no code, no error,
no request — rather than trusting what a page shows.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import attrs


@attrs.define
class Listener:
    """Where it listens, and the requests (path and query) it received."""

    url: str
    requests: list[str] = attrs.field(factory=list)

    def codes(self) -> list[str]:
        """Every `code` parameter that arrived."""
        found: list[str] = []
        for request in self.requests:
            found.extend(parse_qs(urlsplit(request).query).get("code", []))
        return found


@contextmanager
def listening(path: str = "/callback") -> Iterator[Listener]:
    """Serve on a free loopback port until the block ends; every GET is answered 200."""
    received: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            received.append(self.path)
            body = b"<!doctype html><title>client</title><p>Back at the client</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Listener(f"http://127.0.0.1:{server.server_address[1]}{path}", received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
