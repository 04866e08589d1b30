"""Pending confirmations: single-use tokens bound to one principal, one action digest and a deadline."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import attrs

from jamf_mcp.domain.errors import (
    ConfirmationAlreadyUsed,
    ConfirmationExpired,
    ConfirmationMismatch,
    ConfirmationNotYours,
)
from jamf_mcp.domain.principal import Principal

DEFAULT_TTL = timedelta(minutes=5)
TOKEN_BYTES = 32
"""256 random bits per token (at least 128 are required)."""


@attrs.frozen
class PendingConfirmation:
    """A confirmation the user has been asked for and may redeem once, before `expires_at`.

    Make new ones with `new_confirmation`; the token is the only secret and must not be logged.
    `digest` is the action's keyed binding to this very token (`DigestKey.binding`), so what a
    store keeps tells nothing about the action's secret parameters without the token.
    """

    token: str = attrs.field(repr=False)
    principal_key: str
    digest: str
    created_at: datetime
    expires_at: datetime
    redeemed: bool = False

    @property
    def record_id(self) -> str:
        """The id of this confirmation's audit record (see `audit_record_id`)."""
        return audit_record_id(self.token)

    def check_redeem(self, principal: Principal, digest: str, now: datetime) -> None:
        """Succeed silently when `principal` may now redeem this confirmation for `digest`.

        Raises:
            ConfirmationNotYours: another principal asked for it (whose is never said).
            ConfirmationAlreadyUsed: it was redeemed before.
            ConfirmationExpired: `now` is at or after `expires_at`.
            ConfirmationMismatch: it was issued for different arguments.
        """
        if principal.key != self.principal_key:
            raise ConfirmationNotYours()
        if self.redeemed:
            raise ConfirmationAlreadyUsed()
        if now >= self.expires_at:
            raise ConfirmationExpired()
        if not secrets.compare_digest(digest, self.digest):
            raise ConfirmationMismatch()

    def redeem(self, principal: Principal, digest: str, now: datetime) -> PendingConfirmation:
        """The redeemed copy of this confirmation, after `check_redeem` passes."""
        self.check_redeem(principal, digest, now)
        return attrs.evolve(self, redeemed=True)


def new_confirmation_token() -> str:
    """An unguessable confirmation token (URL-safe text)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_confirmation(
    principal: Principal,
    digest: str,
    now: datetime,
    ttl: timedelta = DEFAULT_TTL,
    *,
    token: str | None = None,
) -> PendingConfirmation:
    """A confirmation valid for `ttl` from `now`, with `token` (a fresh one by default)."""
    if ttl <= timedelta(0):
        raise ValueError("a confirmation needs a positive lifetime")
    return PendingConfirmation(
        token=token if token is not None else new_confirmation_token(),
        principal_key=principal.key,
        digest=digest,
        created_at=now,
        expires_at=now + ttl,
    )


def audit_record_id(token: str) -> str:
    """The audit record id of the confirmation with `token`: 128 bits of a SHA-256 of it.

    Every replica derives the same id from the token alone, so the request, its approval and any
    refused attempt land on one record wherever they are served, and the store of pending
    confirmations needs no extra field. The token (256 random bits) cannot be recovered from it.
    """
    return hashlib.sha256(b"jamf-mcp audit record\0" + token.encode()).hexdigest()[:32]
