"""Slow and abusive HTTP clients get a deadline, not a socket for as long as they like.

Against the real `jamf-mcp serve` (uvicorn with the slow-client guard), over raw sockets: a
connection that never sends a request, headers trickled too slowly, a body announced and never
finished, and endless header lines. A normal request on the same server still works.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import RunningServer, start_server, stop_server

LIMIT_SECONDS = 1.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(
        Path(tmp_path_factory.mktemp("slow-clients")),
        {
            "JAMF_MCP_HTTP_HEADER_TIMEOUT_SECONDS": str(LIMIT_SECONDS),
            "JAMF_MCP_HTTP_BODY_TIMEOUT_SECONDS": str(LIMIT_SECONDS),
            "JAMF_MCP_HTTP_MAX_HEADER_BYTES": "8192",
        },
    )
    yield running
    stop_server(running)


def connect(server: RunningServer) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=LIMIT_SECONDS + 10)
    return sock


def read_until_closed(sock: socket.socket) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received, time.monotonic() - started


def test_a_connection_that_never_sends_a_request_is_closed_with_408(
    server: RunningServer,
) -> None:
    with connect(server) as sock:
        answer, waited = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408")
    assert waited < LIMIT_SECONDS + 5


def test_headers_trickled_slower_than_the_deadline_are_cut_off(server: RunningServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(LIMIT_SECONDS / 2)
        sock.sendall(b"X-Slow: 1\r\n")  # still no blank line: the headers never end
        answer, _ = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408")


def test_a_body_announced_and_never_finished_ends_the_connection(server: RunningServer) -> None:
    with connect(server) as sock:
        sock.sendall(
            b"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Accept: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":'
        )
        answer, waited = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 408")
    assert waited < LIMIT_SECONDS + 5


def test_endless_header_lines_are_refused_before_they_fill_memory(server: RunningServer) -> None:
    filler = "".join(f"X-Filler-{n}: {'a' * 100}\r\n" for n in range(90))  # ~10 KB, no end
    with connect(server) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + filler.encode())
        answer, _ = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 400")  # at the cap (the deadline would answer 408)


def test_a_normal_request_is_served_as_always(server: RunningServer) -> None:
    assert httpx.get(f"{server.base_url}/health", timeout=5).status_code == 200
    with connect(server) as sock:  # one request split over two writes, well within time
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        time.sleep(0.1)
        sock.sendall(b"Connection: close\r\n\r\n")
        answer, _ = read_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 200")
