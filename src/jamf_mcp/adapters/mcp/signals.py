"""Signals between the request that waits and the request that answers: client responses and cancellations.

A tool call that asked the client something (`elicitation/create`) waits for the client's response,
which arrives as a separate HTTP POST — possibly at another replica. A `notifications/cancelled`
also arrives separately. Both are published under a key that names the principal, the session and
the request, and delivered to whoever listens under that key. Keys always start with the
principal's key, so one user can never answer or cancel another user's request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Listener = Callable[[bytes], None]
"""Called (synchronously, on the event loop) with the payload of a signal."""


def response_key(principal_key: str, session_id: str | None, request_id: str | int) -> str:
    """Where the client's response to the server's request `request_id` is published."""
    return f"response|{principal_key}|{session_id or '-'}|{request_id!r}"


def cancel_key(principal_key: str, session_id: str | None, request_id: str | int) -> str:
    """Where a cancellation of the client's request `request_id` is published."""
    return f"cancel|{principal_key}|{session_id or '-'}|{request_id!r}"


class SignalRouter(Protocol):
    """Delivers signals to listeners, in this process or (for shared implementations) any replica.

    Delivery is best effort: a signal nobody listens for is dropped.
    """

    def listen(self, key: str, listener: Listener) -> Callable[[], None]:
        """Call `listener` for every signal published under `key`; returns the way to stop."""
        ...

    async def publish(self, key: str, payload: bytes) -> None:
        """Deliver `payload` to the listeners of `key`."""
        ...


class InMemorySignalRouter:
    """A `SignalRouter` for one process (one replica, or sticky routing)."""

    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = {}

    def listen(self, key: str, listener: Listener) -> Callable[[], None]:
        """Register `listener` under `key`."""
        self._listeners.setdefault(key, []).append(listener)

        def stop() -> None:
            listeners = self._listeners.get(key)
            if listeners is None:
                return
            if listener in listeners:
                listeners.remove(listener)
            if not listeners:
                del self._listeners[key]

        return stop

    async def publish(self, key: str, payload: bytes) -> None:
        """Call every listener of `key` now."""
        for listener in list(self._listeners.get(key, ())):
            listener(payload)

    def __len__(self) -> int:
        return len(self._listeners)
