"""An in-process `OAuthStateStore`: dictionaries with expiry, for one server process and for tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from jamf_mcp.adapters.oauth_server.records import (
    AuthorizationCode,
    PendingAuthorization,
    RefreshGrant,
    RegisteredClient,
    UpstreamAuthorization,
)
from jamf_mcp.application.ports import Clock

V = TypeVar("V")

MAX_ENTRIES = 100_000  # per kind: a flood of registrations or sign-ins cannot exhaust memory
REVOKED_FAMILY_SECONDS = 30 * 24 * 3600.0


class _Expiring(Generic[V]):
    """A dict whose entries disappear after their time to live."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._items: dict[str, tuple[float, V]] = {}

    def _now(self) -> float:
        return self._clock.now().timestamp()

    def put(self, key: str, value: V, ttl: float) -> None:
        if len(self._items) >= MAX_ENTRIES:
            self.purge()
            if len(self._items) >= MAX_ENTRIES:
                self._items.pop(next(iter(self._items)))
        self._items[key] = (self._now() + ttl, value)

    def get(self, key: str) -> V | None:
        entry = self._items.get(key)
        if entry is None:
            return None
        if entry[0] <= self._now():
            del self._items[key]
            return None
        return entry[1]

    def pop(self, key: str) -> V | None:
        value = self.get(key)
        self._items.pop(key, None)
        return value

    def expiry(self, key: str) -> float | None:
        entry = self._items.get(key)
        return entry[0] if entry else None

    def drop_where(self, predicate: Callable[[V], bool]) -> None:
        for key in [k for k, (_, value) in self._items.items() if predicate(value)]:
            del self._items[key]

    def purge(self) -> None:
        now = self._now()
        for key in [k for k, (expires, _) in self._items.items() if expires <= now]:
            del self._items[key]


class InMemoryOAuthStateStore:
    """Implements `OAuthStateStore` in memory; every method completes without awaiting, so each
    `take_*` is atomic within the event loop. State is lost on restart (clients re-register).

    Args:
        clock: the time source for expiry.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._clients: dict[str, RegisteredClient] = {}
        self._pending: _Expiring[PendingAuthorization] = _Expiring(clock)
        self._upstream: _Expiring[UpstreamAuthorization] = _Expiring(clock)
        self._codes: _Expiring[AuthorizationCode] = _Expiring(clock)
        self._spent_codes: _Expiring[str] = _Expiring(clock)
        self._refresh: _Expiring[RefreshGrant] = _Expiring(clock)
        self._spent_refresh: _Expiring[str] = _Expiring(clock)
        self._revoked_families: _Expiring[bool] = _Expiring(clock)

    async def save_client(self, client: RegisteredClient) -> None:
        """Remember a client."""
        if len(self._clients) >= MAX_ENTRIES and client.client_id not in self._clients:
            self._clients.pop(next(iter(self._clients)))
        self._clients[client.client_id] = client

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The client with this id."""
        return self._clients.get(client_id)

    async def save_pending(self, pending: PendingAuthorization, ttl: float) -> None:
        """Remember a pending authorization."""
        self._pending.put(pending.transaction_id, pending, ttl)

    async def take_pending(self, transaction_id: str) -> PendingAuthorization | None:
        """Remove and return a pending authorization."""
        return self._pending.pop(transaction_id)

    async def save_upstream(self, upstream: UpstreamAuthorization, ttl: float) -> None:
        """Remember an upstream round trip."""
        self._upstream.put(upstream.state, upstream, ttl)

    async def take_upstream(self, state: str) -> UpstreamAuthorization | None:
        """Remove and return an upstream round trip."""
        return self._upstream.pop(state)

    async def save_code(self, code_digest: str, code: AuthorizationCode, ttl: float) -> None:
        """Remember a code."""
        self._codes.put(code_digest, code, ttl)

    async def take_code(self, code_digest: str) -> AuthorizationCode | None:
        """Remove and return a code, remembering that it was spent."""
        expires = self._codes.expiry(code_digest)
        code = self._codes.pop(code_digest)
        if code is not None and expires is not None:
            # Remember the spend well past the code's own expiry: a replay an hour later must still
            # be recognised as one.
            self._spent_codes.put(code_digest, code.family_id, 3600.0)
        return code

    async def spent_code_family(self, code_digest: str) -> str | None:
        """The family of a spent code."""
        return self._spent_codes.get(code_digest)

    async def save_refresh(self, token_digest: str, grant: RefreshGrant, ttl: float) -> None:
        """Remember a refresh token (ignored for a revoked family)."""
        if self._revoked_families.get(grant.family_id):
            return
        self._refresh.put(token_digest, grant, ttl)

    async def take_refresh(self, token_digest: str) -> RefreshGrant | None:
        """Remove and return a refresh token, remembering that it was rotated away."""
        expires = self._refresh.expiry(token_digest)
        grant = self._refresh.pop(token_digest)
        if grant is None or expires is None:
            return None
        self._spent_refresh.put(token_digest, grant.family_id, expires - self._now())
        if self._revoked_families.get(grant.family_id):
            return None
        return grant

    async def spent_refresh_family(self, token_digest: str) -> str | None:
        """The family of a rotated refresh token."""
        return self._spent_refresh.get(token_digest)

    async def revoke_family(self, family_id: str) -> None:
        """Drop every live refresh token of the family and refuse new ones."""
        self._revoked_families.put(family_id, True, REVOKED_FAMILY_SECONDS)
        self._refresh.drop_where(lambda grant: grant.family_id == family_id)

    def _now(self) -> float:
        return self._clock.now().timestamp()
