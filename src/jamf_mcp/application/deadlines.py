"""The time budget of the call being served: how long it may still wait on Jamf Pro.

MCP clients give up on a call after a while (often 30 to 60 s). A hung Jamf Pro must not hold a call
past that — through retries and queueing for the few in-flight slots, a call used to wait about six
times the request timeout. So the inbound adapter runs every tool call inside a `CallDeadline`:
when it runs out, whatever the call still waits for is cancelled and the caller gets a clear error.
Outbound adapters read `current_deadline()` to retry only while the budget lasts.

Waiting on the person (a confirmation asked through the client) does not count: the deadline is
paused meanwhile and restarts in full when the answer arrives. A call that reports progress to
its client restarts it too, since clients that follow progress reset their own timeouts on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar

from jamf_mcp.domain.errors import CallTimedOut

_current: ContextVar[CallDeadline | None] = ContextVar("jamf_mcp_call_deadline", default=None)


class CallDeadline:
    """A budget of `seconds` for the work of one call; see the module docstring.

    Args:
        seconds: how long the call may wait without a pause or progress restarting the clock.
    """

    def __init__(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("a deadline needs a positive budget")
        self.seconds = seconds
        self._timeout: asyncio.Timeout | None = None
        self._paused = 0

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[CallDeadline]:
        """Run the block under this deadline (the current one for it and the tasks it starts).

        Raises:
            CallTimedOut: the budget ran out; the block was cancelled.
        """
        token = _current.set(self)
        try:
            async with asyncio.timeout(self.seconds) as timeout:
                self._timeout = timeout
                yield self
        except TimeoutError:
            if self._timeout is not None and self._timeout.expired():
                raise CallTimedOut(self.seconds) from None
            raise
        finally:
            self._timeout = None
            _current.reset(token)

    def remaining(self) -> float:
        """Seconds left (infinite while paused or outside `running`)."""
        timeout = self._timeout
        when = timeout.when() if timeout is not None else None
        if when is None or self._paused:
            return math.inf
        return max(0.0, when - asyncio.get_running_loop().time())

    def restart(self) -> None:
        """Give the call its whole budget again from now (progress was reported)."""
        timeout = self._timeout
        if timeout is not None and not self._paused and not timeout.expired():
            timeout.reschedule(asyncio.get_running_loop().time() + self.seconds)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the clock while the block waits on the person; restart it in full afterwards."""
        timeout = self._timeout
        if timeout is None or timeout.expired():
            yield
            return
        self._paused += 1
        timeout.reschedule(None)
        try:
            yield
        finally:
            self._paused -= 1
            if not self._paused and not timeout.expired():
                timeout.reschedule(asyncio.get_running_loop().time() + self.seconds)


def current_deadline() -> CallDeadline | None:
    """The deadline of the call being served, if any (stdio and HTTP tool calls have one)."""
    return _current.get()
