"""MCP connections as operators see them: a log line when one opens and one when it ends (with
how long it lasted), and how many sessions are open now (a gauge in /metrics).

A *connection* is a session (`initialize` until `DELETE`, or until it has been idle as long as
the session store keeps idle sessions) or a stream (`GET /mcp`, legacy `GET /sse`, from open to
close). Each replica counts the connections opened through it; a session used through another
replica ages here as if idle (so the fleet's total is the sum over replicas, roughly). Nothing
here stores secrets: the session id is kept in memory only to match the end to the start, and is
never logged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import attrs

logger = logging.getLogger("jamf_mcp.connections")

MAX_TRACKED = 20_000
"""Sessions tracked at most (the session store's own default limit is 10,000)."""
_SWEEP_SECONDS = 30.0


@attrs.define
class _Connection:
    subject: str
    client: str
    oauth_client: str
    transport: str
    protocol_version: str
    kind: str
    opened_at: float
    last_seen: float


def transport_name(*, legacy_sse: bool, has_headers: bool) -> str:
    """The transport a message came through: `streamable-http`, `legacy-sse` or `stdio`."""
    if legacy_sse:
        return "legacy-sse"
    return "streamable-http" if has_headers else "stdio"


class McpConnections:
    """Tracks open sessions and streams; logs `MCP connection established` and `… ended`.

    Args:
        idle_seconds: a session not seen for this long has ended (the session store's idle
            timeout).
        clock: monotonic seconds (tests inject their own).
    """

    def __init__(
        self, idle_seconds: float = 3600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._idle = idle_seconds
        self._clock = clock
        self._open: dict[str, _Connection] = {}
        self._next_sweep = 0.0

    def opened(
        self,
        connection_id: str,
        *,
        kind: str,
        subject: str,
        client: str,
        oauth_client: str | None,
        transport: str,
        protocol_version: str,
    ) -> None:
        """A session or stream opened (`kind` is `session` or `stream`)."""
        now = self._clock()
        self._sweep(now)
        if len(self._open) >= MAX_TRACKED:
            oldest = min(self._open, key=lambda key: self._open[key].last_seen)
            self._end(oldest, "limit", now)
        connection = _Connection(
            subject=subject,
            client=client,
            oauth_client=oauth_client or "",
            transport=transport,
            protocol_version=protocol_version,
            kind=kind,
            opened_at=now,
            last_seen=now,
        )
        self._open[connection_id] = connection
        logger.info("MCP connection established", extra={"fields": self._fields(connection)})

    def seen(self, connection_id: str) -> None:
        """A request of this session arrived (it is not idle)."""
        connection = self._open.get(connection_id)
        if connection is not None:
            connection.last_seen = self._clock()

    def closed(self, connection_id: str, reason: str) -> None:
        """A session or stream ended (`reason`: `client`, `disconnected`, `draining`, …)."""
        self._end(connection_id, reason, self._clock())

    def active_sessions(self) -> int:
        """Sessions open now (idle ones are ended and logged first)."""
        self._sweep(self._clock(), force=True)
        return sum(1 for c in self._open.values() if c.kind == "session")

    def _sweep(self, now: float, *, force: bool = False) -> None:
        if now < self._next_sweep and not force:
            return
        self._next_sweep = now + _SWEEP_SECONDS
        idle = [
            key
            for key, c in self._open.items()
            if c.kind == "session" and now - c.last_seen >= self._idle
        ]
        for key in idle:
            self._end(key, "idle", self._open[key].last_seen)

    def _end(self, connection_id: str, reason: str, at: float) -> None:
        connection = self._open.pop(connection_id, None)
        if connection is None:
            return
        fields = self._fields(connection) | {
            "reason": reason,
            "duration_seconds": round(max(0.0, at - connection.opened_at), 3),
        }
        logger.info("MCP connection ended", extra={"fields": fields})

    @staticmethod
    def _fields(connection: _Connection) -> dict[str, object]:
        return {
            "subject": connection.subject,
            "client": connection.client,
            "oauth_client": connection.oauth_client,
            "transport": connection.transport,
            "protocol_version": connection.protocol_version,
            "connection": connection.kind,
        }
