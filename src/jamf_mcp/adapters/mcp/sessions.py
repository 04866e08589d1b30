"""MCP sessions (handshake era): what `initialize` negotiated, and where it is kept."""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import attrs

DEFAULT_MAX_PER_PRINCIPAL = 32
"""Sessions one signed-in user may hold; a new one beyond this ends their oldest."""

DEFAULT_MAX_SESSIONS = 10_000
"""Sessions the server holds in all; beyond this a new one is refused."""


class TooManySessions(Exception):
    """The server holds as many sessions as it may: a new one is refused (answered 503)."""

    message = "The server has too many open sessions; try again in a minute."


MAX_CLIENT_NAME = 100
MAX_CLIENT_VERSION = 50
_ELICITATION_MODES = ("form", "url")


def _short_text(value: object, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) else None


def kept_client_info(value: object) -> dict[str, str]:
    """What a session keeps of `clientInfo`: its `name` and `version`, each size-limited.

    A client's `initialize` may carry up to the body limit (1 MB); storing it as sent let a
    flood of them grow the server without bound. Only what the server uses is kept.
    """
    if not isinstance(value, Mapping):
        return {}
    kept = {
        "name": _short_text(value.get("name"), MAX_CLIENT_NAME),
        "version": _short_text(value.get("version"), MAX_CLIENT_VERSION),
    }
    return {key: text for key, text in kept.items() if text is not None}


def kept_capabilities(value: object) -> dict[str, Any]:
    """What a session keeps of the client's `capabilities`: whether (and how) it can elicit.

    `elicitation` is the only client capability the server acts on; it keeps its `form` and
    `url` modes as empty objects, and nothing else.
    """
    if not isinstance(value, Mapping):
        return {}
    elicitation = value.get("elicitation")
    if not isinstance(elicitation, Mapping):
        return {}
    return {"elicitation": {mode: {} for mode in _ELICITATION_MODES if mode in elicitation}}


def new_session_id() -> str:
    """A cryptographically random session id of visible ASCII (URL-safe base64, 43 chars)."""
    return secrets.token_urlsafe(32)


@attrs.frozen
class Session:
    """One client connection's negotiated state.

    Attributes:
        id: the `Mcp-Session-Id` value.
        principal_key: `Principal.key` of the user who initialized it; nobody else may use it.
        protocol_version: the negotiated revision.
        client_info: what is kept of the client's `clientInfo` (`kept_client_info`).
        client_capabilities: what is kept of its `capabilities` (`kept_capabilities`).
        created_at: when `initialize` ran.
        last_seen_at: when the session was last used.
        log_level: the least severe log notification the client asked for (None: none).
    """

    id: str
    principal_key: str
    protocol_version: str
    client_info: Mapping[str, Any]
    client_capabilities: Mapping[str, Any]
    created_at: datetime
    last_seen_at: datetime
    log_level: str | None = None


class SessionStore(Protocol):
    """Keeps sessions between requests, within limits.

    Implementations expire idle sessions on their own; an expired session behaves exactly like
    an unknown one. Each principal holds at most a fixed number of sessions (a new one ends
    that principal's oldest), and the store at most a fixed total (a new one is refused). All
    methods are safe to call concurrently.
    """

    async def add(self, session: Session) -> None:
        """Store a session, replacing the one with the same id (ids are random).

        Raises:
            TooManySessions: it is new and the store is full (nothing was stored).
        """

    async def get(self, session_id: str) -> Session | None:
        """Return the live session with this id and mark it as seen now, or None."""

    async def remove(self, session_id: str) -> bool:
        """Forget a session; True if it existed and was live."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class InMemorySessionStore:
    """A process-local `SessionStore` (one worker, or sticky routing).

    Args:
        idle_timeout: a session unused for this long is gone.
        clock: the time source, injectable for tests.
        max_per_principal: sessions one principal may hold (a new one ends their oldest).
        max_sessions: sessions held in all (a new one beyond is refused).
    """

    def __init__(
        self,
        idle_timeout: timedelta = timedelta(hours=1),
        clock: Callable[[], datetime] = _utc_now,
        *,
        max_per_principal: int = DEFAULT_MAX_PER_PRINCIPAL,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
    ) -> None:
        if max_per_principal < 1 or max_sessions < 1:
            raise ValueError("session limits must be at least 1")
        self._idle_timeout = idle_timeout
        self._clock = clock
        self._max_per_principal = max_per_principal
        self._max_sessions = max_sessions
        self._sessions: dict[str, Session] = {}
        self._owned: dict[str, OrderedDict[str, None]] = {}  # oldest first, per principal
        self._next_sweep = clock()

    def __len__(self) -> int:
        return len(self._sessions)

    def _expired(self, session: Session, now: datetime) -> bool:
        return now - session.last_seen_at >= self._idle_timeout

    def _forget(self, session_id: str) -> Session | None:
        session = self._sessions.pop(session_id, None)
        if session is not None:
            owned = self._owned.get(session.principal_key)
            if owned is not None:
                owned.pop(session_id, None)
                if not owned:
                    del self._owned[session.principal_key]
        return session

    def _sweep(self, now: datetime, *, force: bool = False) -> None:
        # Bounded work: at most one full pass per minute keeps abandoned sessions from piling up.
        if now < self._next_sweep and not force:
            return
        self._next_sweep = now + timedelta(minutes=1)
        for session_id in [s.id for s in self._sessions.values() if self._expired(s, now)]:
            self._forget(session_id)

    async def add(self, session: Session) -> None:
        """Store a session: a new one within the limits (ending the principal's oldest)."""
        now = self._clock()
        self._sweep(now)
        if session.id in self._sessions:
            self._sessions[session.id] = session
            return
        if len(self._sessions) >= self._max_sessions:
            self._sweep(now, force=True)
            if len(self._sessions) >= self._max_sessions:
                raise TooManySessions()
        owned = self._owned.setdefault(session.principal_key, OrderedDict())
        while len(owned) >= self._max_per_principal:
            self._forget(next(iter(owned)))
            owned = self._owned.setdefault(session.principal_key, OrderedDict())
        self._sessions[session.id] = session
        owned[session.id] = None

    async def get(self, session_id: str) -> Session | None:
        """Return the live session and refresh its last-seen time, or None."""
        session = self._sessions.get(session_id)
        if session is None:
            return None
        now = self._clock()
        if self._expired(session, now):
            self._forget(session_id)
            return None
        session = attrs.evolve(session, last_seen_at=now)
        self._sessions[session_id] = session
        return session

    async def remove(self, session_id: str) -> bool:
        """Forget a session; True if it existed and was live."""
        return await self.get(session_id) is not None and self._forget(session_id) is not None
