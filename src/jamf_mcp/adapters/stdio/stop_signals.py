"""SIGINT and SIGTERM as a clean stop: the work is cancelled, its clean-up runs, exit is normal."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def run_until_signalled(work: Coroutine[Any, Any, None]) -> bool:
    """Run `work` to the end, or until SIGINT/SIGTERM cancels it.

    MCP clients stop a stdio server by closing its stdin and, if it does not exit soon enough,
    with SIGTERM; either way the server should release its resources before it goes. Where
    the event loop cannot handle signals (Windows, a thread other than the main one) the
    default handling stays.

    Returns:
        True when a signal stopped the work, False when it ended by itself.
    """
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for signum in STOP_SIGNALS:
        try:
            loop.add_signal_handler(signum, task.cancel)
        except (NotImplementedError, RuntimeError, ValueError):
            continue
        installed.append(signum)
    try:
        await task
    except asyncio.CancelledError:
        current = asyncio.current_task()
        if not task.cancelled() or (current is not None and current.cancelling()):
            raise  # cancelled from outside, not by a signal
        return True
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)
    return False
