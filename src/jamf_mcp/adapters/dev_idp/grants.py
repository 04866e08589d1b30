"""What the development IdP remembers between requests: login forms, codes, refresh tokens.

The records live behind the `DevIdpState` port (`state.py`): in this process by default, in Redis
when the deployment shares state, so every step of a sign-in works whichever replica it reaches.
Codes and refresh tokens are kept under their SHA-256 only.
"""

from __future__ import annotations

import hashlib
from typing import Generic, TypeVar

import attrs

from jamf_mcp.adapters.dev_idp.authorization import AuthorizationRequest

MAX_FAILED_ATTEMPTS = 10


@attrs.frozen
class PendingLogin:
    """A login form that has been shown: its request, and who may post it.

    Attributes:
        login_id: the handle carried by the form.
        request: the checked authorization request.
        csrf_token: posted back with the form.
        browser_digest: SHA-256 of the browser-binding cookie of the browser that opened the
            form; only that browser may sign in on it.
        expires_at: when the form stops working.
        failed_attempts: wrong passwords tried on it so far (as the store last counted).
    """

    login_id: str = attrs.field(repr=False)
    request: AuthorizationRequest
    csrf_token: str = attrs.field(repr=False)
    browser_digest: str = attrs.field(repr=False)
    expires_at: float
    failed_attempts: int = 0

    @property
    def exhausted(self) -> bool:
        """True when too many wrong passwords were tried on this form."""
        return self.failed_attempts >= MAX_FAILED_ATTEMPTS


@attrs.frozen
class CodeGrant:
    """What an authorization code stands for, checked and spent at the token endpoint."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    username: str
    scopes: tuple[str, ...]
    audience: str | None
    auth_time: int
    expires_at: float


@attrs.frozen
class RefreshRecord:
    """What a refresh token of the development IdP stands for (issued for `offline_access`).

    Attributes:
        client_id: the client it was issued to.
        username: the demo user.
        scopes: the scopes granted at sign-in (a refresh gets these, less any the user lost).
        audience: the access tokens' audience.
        auth_time: when the user signed in.
        expires_at: when the token stops working.
    """

    client_id: str
    username: str
    scopes: tuple[str, ...]
    audience: str | None
    auth_time: int
    expires_at: float


T = TypeVar("T", PendingLogin, CodeGrant, RefreshRecord)


class ExpiringStore(Generic[T]):
    """A bounded map whose entries vanish after their `expires_at`; the oldest go first when full.

    Args:
        capacity: the most entries kept at once.
        hash_keys: store entries under the SHA-256 of their key (for bearer secrets like codes).
    """

    def __init__(self, capacity: int, *, hash_keys: bool = False) -> None:
        self._entries: dict[str, T] = {}
        self._capacity = capacity
        self._hash_keys = hash_keys

    def _key(self, key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest() if self._hash_keys else key

    def put(self, key: str, entry: T, *, now: float) -> None:
        """Keep `entry` under `key` until it expires."""
        for stale in [k for k, v in self._entries.items() if v.expires_at <= now]:
            del self._entries[stale]
        while len(self._entries) >= self._capacity:
            del self._entries[next(iter(self._entries))]
        self._entries[self._key(key)] = entry

    def get(self, key: str, *, now: float) -> T | None:
        """The live entry under `key`, or None."""
        entry = self._entries.get(self._key(key))
        return entry if entry is not None and entry.expires_at > now else None

    def replace(self, key: str, entry: T) -> None:
        """Replace an entry that is still kept (no-op otherwise)."""
        if self._key(key) in self._entries:
            self._entries[self._key(key)] = entry

    def pop(self, key: str, *, now: float) -> T | None:
        """Remove the entry under `key` and return it if it was still live (single use)."""
        entry = self._entries.pop(self._key(key), None)
        return entry if entry is not None and entry.expires_at > now else None

    def __len__(self) -> int:
        return len(self._entries)
