"""Newline-delimited JSON-RPC framing: bytes in, one frame per line; one line out per message."""

from __future__ import annotations

from typing import TypeAlias

import attrs


@attrs.frozen
class OversizedLine:
    """A line longer than the limit: dropped unread, so only its size is known.

    Attributes:
        size: how many bytes the line had (without its line ending).
        limit: the longest line accepted.
    """

    size: int
    limit: int


Frame: TypeAlias = bytes | OversizedLine
"""One incoming line: the message's bytes, or the marker of a line too long to accept."""


def encode_line(message: bytes) -> bytes:
    """One encoded JSON-RPC message as one output line.

    A raw CR or LF can only be insignificant whitespace in valid JSON (inside strings they are
    escaped), so dropping them keeps the message intact and the framing unambiguous.
    """
    return message.replace(b"\r", b"").replace(b"\n", b"") + b"\n"


class LineSplitter:
    """Cuts a byte stream into lines, as they arrive in chunks of any size.

    Lines end with LF; a CR before it is dropped (CRLF from Windows clients). Blank lines are
    skipped. A line longer than `max_line_bytes` is not kept in memory: it becomes one
    `OversizedLine` when its end arrives.

    Args:
        max_line_bytes: the longest line accepted, without its line ending.
    """

    def __init__(self, max_line_bytes: int) -> None:
        if max_line_bytes < 1:
            raise ValueError("max_line_bytes must be at least 1")
        self._max = max_line_bytes
        self._buffer = bytearray()
        self._dropped: int | None = None  # bytes of the current line seen while discarding it

    def feed(self, chunk: bytes) -> list[Frame]:
        """The lines that `chunk` completes, in order."""
        frames: list[Frame] = []
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            self._end_line(chunk[start:end], frames)
            start = end + 1
        self._keep(chunk[start:])
        return frames

    def finish(self) -> list[Frame]:
        """The last line when the stream ended without a final line ending."""
        frames: list[Frame] = []
        if self._dropped is not None or self._buffer:
            self._end_line(b"", frames)
        return frames

    def _keep(self, partial: bytes) -> None:
        if self._dropped is not None:
            self._dropped += len(partial)
            return
        self._buffer += partial
        if len(self._buffer) > self._max:
            self._dropped = len(self._buffer)
            self._buffer.clear()

    def _end_line(self, tail: bytes, frames: list[Frame]) -> None:
        if self._dropped is not None:
            frames.append(OversizedLine(self._dropped + len(tail.removesuffix(b"\r")), self._max))
            self._dropped = None
            return
        line = bytes(self._buffer + tail).removesuffix(b"\r")
        self._buffer.clear()
        if len(line) > self._max:
            frames.append(OversizedLine(len(line), self._max))
        elif line.strip():
            frames.append(line)
