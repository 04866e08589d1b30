"""The process's standard streams as async line reader and writer (threads, so any OS and pipe)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import os
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator

from jamf_mcp.adapters.stdio.framing import Frame, LineSplitter, encode_line

_log = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
_QUEUED_BATCHES = 16  # how far the reading thread may run ahead of the server

ReadChunk = Callable[[int, int], bytes]
"""`os.read`-like: up to n bytes from a file descriptor, b"" at end of input."""


class PipeReader:
    """Frames read from a file descriptor (stdin) by a daemon thread.

    A thread rather than an event-loop pipe transport: it works for pipes, files and consoles
    on every platform, and the loop never blocks on input. Raw `os.read` calls hold no Python
    buffer lock, so a thread still waiting for input when the process exits is harmless.

    Args:
        fd: where to read.
        max_line_bytes: longer lines become `OversizedLine` frames.
        read: the read function (`os.read`; injectable for tests).
    """

    def __init__(self, fd: int, max_line_bytes: int, *, read: ReadChunk = os.read) -> None:
        self._fd = fd
        self._max_line_bytes = max_line_bytes
        self._read = read

    def __aiter__(self) -> AsyncIterator[Frame]:
        """Every frame until the input ends."""
        return self._frames()

    async def _frames(self) -> AsyncIterator[Frame]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[list[Frame] | None] = asyncio.Queue(_QUEUED_BATCHES)
        thread = threading.Thread(
            target=self._pump, args=(loop, queue), name="jamf-mcp-stdin", daemon=True
        )
        thread.start()
        while (batch := await queue.get()) is not None:
            for frame in batch:
                yield frame

    def _pump(
        self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[list[Frame] | None]
    ) -> None:
        splitter = LineSplitter(self._max_line_bytes)
        try:
            while chunk := self._read(self._fd, CHUNK_BYTES):
                frames = splitter.feed(chunk)
                if frames and not _hand_over(loop, queue, frames):
                    return
            if frames := splitter.finish():
                _hand_over(loop, queue, frames)
        except OSError as error:
            _log.warning("Reading standard input failed (%s); treating it as closed", error)
        finally:
            _hand_over(loop, queue, None)


def _hand_over(
    loop: asyncio.AbstractEventLoop,
    queue: asyncio.Queue[list[Frame] | None],
    item: list[Frame] | None,
) -> bool:
    """Queue `item` on the loop, waiting while the queue is full; False once the loop is gone."""
    put = queue.put(item)
    try:
        asyncio.run_coroutine_threadsafe(put, loop).result()
    except RuntimeError:  # the loop is closed
        put.close()
        return False
    except concurrent.futures.CancelledError:  # the loop is shutting down
        return False
    return True


class PipeWriter:
    """Writes each JSON-RPC message as one line to a file descriptor (stdout).

    Writes are serialised by a lock and never interleave, even when the writing task is
    cancelled halfway (the lock is held until the bytes are out). If the other end has gone
    away, later messages are dropped.

    Args:
        fd: where to write.
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._lock = asyncio.Lock()
        self._open = True

    @property
    def is_open(self) -> bool:
        """False once a write failed (the reader of the pipe went away)."""
        return self._open

    async def write(self, message: bytes) -> None:
        """Write one message and its line ending."""
        line = encode_line(message)
        async with self._lock:
            if not self._open:
                return
            written = asyncio.ensure_future(asyncio.to_thread(self._write_all, line))
            try:
                self._open = await asyncio.shield(written)
            except asyncio.CancelledError:
                await asyncio.wait({written})
                self._open = written.result()
                raise

    def _write_all(self, data: bytes) -> bool:
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError as error:
            _log.warning("Writing standard output failed (%s); dropping further messages", error)
            return False
        return True


@contextlib.contextmanager
def claim_stdout() -> Iterator[int]:
    """Reserve the process's stdout for protocol messages; yields the descriptor to write them to.

    For the duration, file descriptor 1 (and so `print`, warnings and any C library writing to
    stdout) points at stderr: nothing but JSON-RPC can reach the client.
    """
    _flush_stdout()
    protocol = os.dup(1)
    os.dup2(2, 1)
    try:
        yield protocol
    finally:
        _flush_stdout()
        os.dup2(protocol, 1)
        os.close(protocol)


def _flush_stdout() -> None:
    # Python-level buffered output must land where it was meant to before fd 1 is swapped.
    if sys.stdout is not None:
        with contextlib.suppress(ValueError, OSError):
            sys.stdout.flush()
