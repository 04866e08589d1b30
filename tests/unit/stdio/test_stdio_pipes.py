"""The stdio pipe ends: the threaded line reader, the serialised writer, claiming stdout."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from jamf_mcp.adapters.stdio import OversizedLine, PipeReader, PipeWriter
from jamf_mcp.adapters.stdio.framing import Frame


class Pipe:
    """An OS pipe whose ends are closed exactly once (a reused descriptor is never closed twice)."""

    def __init__(self) -> None:
        self.read_end, self.write_end = os.pipe()
        self._open = {self.read_end, self.write_end}

    def close(self, fd: int) -> None:
        if fd in self._open:
            self._open.remove(fd)
            os.close(fd)

    def close_all(self) -> None:
        for fd in list(self._open):
            self.close(fd)


@pytest.fixture
def pipe() -> Iterator[Pipe]:
    made = Pipe()
    yield made
    made.close_all()


async def collect(reader: PipeReader) -> list[Frame]:
    async with asyncio.timeout(5):
        return [frame async for frame in reader]


async def test_reads_lines_as_they_are_written_until_the_input_ends(
    pipe: Pipe,
) -> None:
    frames = aiter(PipeReader(pipe.read_end, 100))

    os.write(pipe.write_end, b'{"id":1}\n{"id"')
    async with asyncio.timeout(5):
        assert await anext(frames) == b'{"id":1}'
    os.write(pipe.write_end, b":2}\n" + b"x" * 200 + b"\nlast")
    pipe.close(pipe.write_end)

    async with asyncio.timeout(5):
        rest = [frame async for frame in frames]
    assert rest == [b'{"id":2}', OversizedLine(200, 100), b"last"]


async def test_many_small_reads_still_give_whole_lines(pipe: Pipe) -> None:
    data = b"".join(b'{"id":%d}\n' % n for n in range(50))

    def one_byte_at_a_time(fd: int, _: int) -> bytes:
        return os.read(fd, 1)

    os.write(pipe.write_end, data)
    pipe.close(pipe.write_end)

    frames = await collect(PipeReader(pipe.read_end, 100, read=one_byte_at_a_time))
    assert frames == [b'{"id":%d}' % n for n in range(50)]


async def test_concurrent_writes_come_out_as_whole_lines(pipe: Pipe) -> None:
    writer = PipeWriter(pipe.write_end)
    big = "y" * 20_000
    received = asyncio.ensure_future(collect(PipeReader(pipe.read_end, 1 << 20)))

    await asyncio.gather(
        *(writer.write(json.dumps({"id": n, "big": big}).encode()) for n in range(20))
    )
    pipe.close(pipe.write_end)

    lines = await received
    assert sorted(json.loads(line)["id"] for line in lines if isinstance(line, bytes)) == list(
        range(20)
    )
    assert all(json.loads(line)["big"] == big for line in lines if isinstance(line, bytes))


async def test_a_write_cancelled_halfway_still_finishes_its_line_before_the_next(
    pipe: Pipe,
) -> None:
    writer = PipeWriter(pipe.write_end)
    big = b'{"big":"' + b"z" * 300_000 + b'"}'  # far more than a pipe buffer holds

    first = asyncio.ensure_future(writer.write(big))
    await asyncio.sleep(0.05)  # the pipe is full: the write is stuck halfway
    first.cancel()
    second = asyncio.ensure_future(writer.write(b'{"after":true}'))
    await asyncio.sleep(0.05)
    assert not first.done() and not second.done()

    received = asyncio.ensure_future(collect(PipeReader(pipe.read_end, 1 << 20)))
    await second
    pipe.close(pipe.write_end)

    assert await received == [big, b'{"after":true}']
    assert first.cancelled()


async def test_drops_messages_once_the_reading_end_has_gone(pipe: Pipe) -> None:
    writer = PipeWriter(pipe.write_end)
    pipe.close(pipe.read_end)

    await writer.write(b'{"id":1}')
    await writer.write(b'{"id":2}')

    assert writer.is_open is False


def test_claimed_stdout_sends_stray_output_to_stderr_and_protocol_lines_to_stdout() -> None:
    program = """
import os
from jamf_mcp.adapters.stdio import claim_stdout

with claim_stdout() as protocol:
    print("a stray print")
    os.write(1, b"a C library writing to fd 1\\n")
    os.write(protocol, b'{"jsonrpc":"2.0"}\\n')
print("stdout is back")
"""
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, timeout=30, check=True
    )

    assert done.stdout == b'{"jsonrpc":"2.0"}\nstdout is back\n'
    assert b"a stray print" in done.stderr
    assert b"a C library writing to fd 1" in done.stderr
