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
from collections.abc import Iterator
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

from jamf_mcp.domain.errors import CallTimedOut

_current: ContextVar[CallDeadline | None] = ContextVar("jamf_mcp_call_deadline", default=None)


class CallDeadline:
    """A budget of `seconds` for the work of one call; see the module docstring.

    `async with CallDeadline(s).running():` runs the block under it, as `asyncio.timeout` would
    (on which it is modelled, with less per-call work: one timer, no generator), and makes it the
    current deadline for the block and the tasks it starts.

    Args:
        seconds: how long the call may wait without a pause or progress restarting the clock.
    """

    def __init__(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("a deadline needs a positive budget")
        self.seconds = seconds
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._when: float | None = None
        self._cancelling = 0
        self._paused = 0
        self._token: Token[CallDeadline | None] | None = None
        self.expired = False

    def running(self) -> CallDeadline:
        """This deadline, to enter with `async with`.

        Raises (on leaving the block):
            CallTimedOut: the budget ran out; the block was cancelled.
        """
        return self

    async def __aenter__(self) -> CallDeadline:
        self._loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        if task is None:
            raise RuntimeError("a call deadline runs inside a task")
        self._task = task
        self._cancelling = task.cancelling()
        self._token = _current.set(self)
        self._schedule(self._loop.time() + self.seconds)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._schedule(None)
        if self._token is not None:
            _current.reset(self._token)
            self._token = None
        # Our cancellation becomes the call's answer (unless someone else cancelled it too).
        if (
            self.expired
            and self._task is not None
            and self._task.uncancel() <= self._cancelling
            and exc_type is asyncio.CancelledError
        ):
            raise CallTimedOut(self.seconds) from None

    def _schedule(self, when: float | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._when = when
        if when is not None and self._loop is not None:
            self._timer = self._loop.call_at(when, self._expire)

    def _expire(self) -> None:
        self._timer = None
        self.expired = True
        if self._task is not None:
            self._task.cancel()

    def remaining(self) -> float:
        """Seconds left (infinite while paused or outside `running`)."""
        if self._when is None or self._paused or self._loop is None:
            return math.inf
        return max(0.0, self._when - self._loop.time())

    def restart(self) -> None:
        """Give the call its whole budget again from now (progress was reported)."""
        if self._when is not None and not self._paused and not self.expired and self._loop:
            self._schedule(self._loop.time() + self.seconds)

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Stop the clock while the block waits on the person; restart it in full afterwards."""
        if self._when is None or self.expired:
            yield
            return
        self._paused += 1
        self._schedule(None)
        self._when = math.inf  # still running, but not counting
        try:
            yield
        finally:
            self._paused -= 1
            if not self._paused and not self.expired and self._loop is not None:
                self._schedule(self._loop.time() + self.seconds)


def current_deadline() -> CallDeadline | None:
    """The deadline of the call being served, if any (stdio and HTTP tool calls have one)."""
    return _current.get()
