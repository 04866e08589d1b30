"""The development IdP's state port, and its in-process implementation.

Every `take_*` removes what it returns in one step (a code or refresh token works once even when
two replicas race for it). Codes and refresh tokens are passed as digests. Times are seconds since
the epoch by the provider's clock; records expire at their own `expires_at`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import attrs

from jamf_mcp.adapters.dev_idp.grants import CodeGrant, ExpiringStore, PendingLogin, RefreshRecord
from jamf_mcp.application.ports.clock import Clock

CAPACITY = 10_000


class DevIdpState(Protocol):
    """Login forms, authorization codes and refresh tokens of the development IdP."""

    async def save_login(self, login: PendingLogin) -> None:
        """Remember a login form until its `expires_at`."""
        ...

    async def login(self, login_id: str) -> PendingLogin | None:
        """The live login form with this id (with its failed attempts so far)."""
        ...

    async def count_failure(self, login_id: str) -> int:
        """Count one wrong password on the form; the attempts so far (0: the form is gone)."""
        ...

    async def take_login(self, login_id: str) -> PendingLogin | None:
        """Remove and return the login form (it is spent)."""
        ...

    async def save_code(self, code_digest: str, grant: CodeGrant) -> None:
        """Remember an authorization code until its `expires_at`."""
        ...

    async def take_code(self, code_digest: str) -> CodeGrant | None:
        """Remove and return a live code."""
        ...

    async def save_refresh(self, token_digest: str, record: RefreshRecord) -> None:
        """Remember a refresh token until its `expires_at`."""
        ...

    async def take_refresh(self, token_digest: str) -> RefreshRecord | None:
        """Remove and return a live refresh token."""
        ...


class InMemoryDevIdpState:
    """Implements `DevIdpState` in this process (bounded; the oldest entries go first).

    Args:
        clock: the time source for expiry.
        capacity: the most entries of each kind.
    """

    def __init__(self, clock: Clock, capacity: int = CAPACITY) -> None:
        self._clock = clock
        self._logins: ExpiringStore[PendingLogin] = ExpiringStore(capacity)
        self._codes: ExpiringStore[CodeGrant] = ExpiringStore(capacity)
        self._refresh: ExpiringStore[RefreshRecord] = ExpiringStore(capacity)

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def save_login(self, login: PendingLogin) -> None:
        """Remember a login form."""
        self._logins.put(login.login_id, login, now=self._now())

    async def login(self, login_id: str) -> PendingLogin | None:
        """The live login form."""
        return self._logins.get(login_id, now=self._now())

    async def count_failure(self, login_id: str) -> int:
        """Count a wrong password."""
        login = self._logins.get(login_id, now=self._now())
        if login is None:
            return 0
        counted = attrs.evolve(login, failed_attempts=login.failed_attempts + 1)
        self._logins.replace(login_id, counted)
        return counted.failed_attempts

    async def take_login(self, login_id: str) -> PendingLogin | None:
        """Remove and return the login form."""
        return self._logins.pop(login_id, now=self._now())

    async def save_code(self, code_digest: str, grant: CodeGrant) -> None:
        """Remember a code."""
        self._codes.put(code_digest, grant, now=self._now())

    async def take_code(self, code_digest: str) -> CodeGrant | None:
        """Remove and return a code."""
        return self._codes.pop(code_digest, now=self._now())

    async def save_refresh(self, token_digest: str, record: RefreshRecord) -> None:
        """Remember a refresh token."""
        self._refresh.put(token_digest, record, now=self._now())

    async def take_refresh(self, token_digest: str) -> RefreshRecord | None:
        """Remove and return a refresh token."""
        return self._refresh.pop(token_digest, now=self._now())


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_dev_idp_state: type[DevIdpState] = InMemoryDevIdpState
