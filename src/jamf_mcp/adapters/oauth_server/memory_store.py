"""An in-process `OAuthStateStore`: dictionaries with expiry, for one server process and for tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from jamf_mcp.adapters.oauth_server.records import (
    AuthorizationCode,
    PendingAuthorization,
    RefreshGrant,
    RegisteredClient,
    UpstreamAuthorization,
)
from jamf_mcp.adapters.oauth_server.store import ClientLease
from jamf_mcp.application.ports.clock import Clock

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server.store import OAuthStateStore

V = TypeVar("V")

MAX_ENTRIES = 100_000  # per kind: a flood of registrations or sign-ins cannot exhaust memory
REVOKED_FAMILY_SECONDS = 30 * 24 * 3600.0
SPENT_CODE_SECONDS = 3600.0


class _Expiring(Generic[V]):
    """A dict whose entries disappear after their time to live (the oldest go first when full)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._items: dict[str, tuple[float, V]] = {}

    def _now(self) -> float:
        return self._clock.now().timestamp()

    def put(self, key: str, value: V, ttl: float) -> None:
        if len(self._items) >= MAX_ENTRIES and key not in self._items:
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


class _FamilyIndex:
    """Families by subject or client, each remembered until its last refresh token's expiry."""

    def __init__(self, clock: Clock) -> None:
        self._by_key: _Expiring[dict[str, float]] = _Expiring(clock)
        self._clock = clock

    def add(self, key: str, family_id: str, until: float) -> None:
        now = self._clock.now().timestamp()
        families = {f: end for f, end in (self._by_key.get(key) or {}).items() if end > now}
        families[family_id] = max(until, families.get(family_id, 0.0))
        self._by_key.put(key, families, max(families.values()) - now)

    def families(self, key: str) -> list[str]:
        now = self._clock.now().timestamp()
        return sorted(f for f, end in (self._by_key.get(key) or {}).items() if end > now)


class InMemoryOAuthStateStore:
    """Implements `OAuthStateStore` in memory; every method completes without awaiting, so each
    `take_*` is atomic within the event loop. State is lost on restart (clients re-register).

    Args:
        clock: the time source for expiry.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._clients: dict[str, tuple[RegisteredClient, ClientLease]] = {}
        self._pending: _Expiring[PendingAuthorization] = _Expiring(clock)
        self._upstream: _Expiring[UpstreamAuthorization] = _Expiring(clock)
        self._codes: _Expiring[AuthorizationCode] = _Expiring(clock)
        self._spent_codes: _Expiring[str] = _Expiring(clock)
        self._refresh: _Expiring[RefreshGrant] = _Expiring(clock)
        self._spent_refresh: _Expiring[str] = _Expiring(clock)
        self._revoked_families: _Expiring[bool] = _Expiring(clock)
        self._by_subject = _FamilyIndex(clock)
        self._by_client = _FamilyIndex(clock)

    async def save_client(
        self, client: RegisteredClient, lease: ClientLease, capacity: int
    ) -> bool:
        """Remember a client, making room by forgetting the longest-unused one if need be."""
        self._forget_idle_clients(lease.now)
        if client.client_id not in self._clients and len(self._clients) >= capacity:
            oldest = min(self._clients, key=lambda cid: self._clients[cid][1].in_use_until)
            if self._clients[oldest][1].in_use_until > lease.now:
                return False
            del self._clients[oldest]
        self._clients[client.client_id] = (client, lease)
        return True

    async def client_in_use(self, client_id: str, lease: ClientLease) -> None:
        """Extend a kept client's lease."""
        kept = self._clients.get(client_id)
        if kept is not None and kept[1].in_use_until < lease.in_use_until:
            self._clients[client_id] = (kept[0], lease)

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The client with this id, unless it idled past its lease."""
        kept = self._clients.get(client_id)
        if kept is None:
            return None
        if _lease_end(kept[1]) <= self._now():
            del self._clients[client_id]
            return None
        return kept[0]

    def _forget_idle_clients(self, now: float) -> None:
        for client_id in [c for c, (_, lease) in self._clients.items() if _lease_end(lease) <= now]:
            del self._clients[client_id]

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
            self._spent_codes.put(code_digest, code.family_id, SPENT_CODE_SECONDS)
        return code

    async def spent_code_family(self, code_digest: str) -> str | None:
        """The family of a spent code."""
        return self._spent_codes.get(code_digest)

    async def save_refresh(self, token_digest: str, grant: RefreshGrant, ttl: float) -> None:
        """Remember a refresh token (ignored for a revoked family) and index its family."""
        if self._revoked_families.get(grant.family_id):
            return
        self._refresh.put(token_digest, grant, ttl)
        until = self._now() + ttl
        self._by_subject.add(grant.identity.subject, grant.family_id, until)
        self._by_client.add(grant.client_id, grant.family_id, until)

    async def peek_refresh(self, token_digest: str) -> RefreshGrant | None:
        """A live refresh token's grant, left in place."""
        grant = self._refresh.get(token_digest)
        if grant is None or self._revoked_families.get(grant.family_id):
            return None
        return grant

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

    async def subject_families(self, subject: str) -> list[str]:
        """Families of this subject with refresh tokens that may still live."""
        return self._by_subject.families(subject)

    async def client_families(self, client_id: str) -> list[str]:
        """Families of this client with refresh tokens that may still live."""
        return self._by_client.families(client_id)

    def _now(self) -> float:
        return self._clock.now().timestamp()


def _lease_end(lease: ClientLease) -> float:
    return lease.in_use_until + lease.idle_seconds


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_oauth_state_store: type[OAuthStateStore] = InMemoryOAuthStateStore
