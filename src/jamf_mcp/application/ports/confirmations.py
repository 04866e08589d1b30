"""Confirmations: pending confirmation tokens, the digest key they are bound to, and asking the person."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Protocol

from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.confirmations import PendingConfirmation
from jamf_mcp.domain.principal import Principal


class ConfirmationStore(Protocol):
    """Pending confirmations, each redeemable exactly once.

    Tokens are secrets: implementations never log them.
    """

    async def put(self, confirmation: PendingConfirmation) -> None:
        """Keep `confirmation` at least until it expires.

        Raises:
            ValueError: a confirmation with this token is already stored.
        """
        ...

    async def redeem(
        self, token: str, principal: Principal, digest: str, now: datetime
    ) -> PendingConfirmation:
        """Check the confirmation and mark it used in one atomic step; return the redeemed copy.

        Of any number of concurrent calls for one token, at most one succeeds. A refused attempt
        leaves the confirmation as it was.

        Raises:
            ConfirmationUnknown: no confirmation has this token.
            ConfirmationNotYours / ConfirmationAlreadyUsed / ConfirmationExpired /
            ConfirmationMismatch: as `PendingConfirmation.check_redeem`.
        """
        ...


class DigestKeys(Protocol):
    """The server's secret key for action digests (`DigestKey`), the same in every replica.

    Confirmations issued by one replica are redeemed by another, so every replica must compute
    the same digests. Implementations load or create the key once and keep it in memory (at
    most an occasional re-check, never I/O on every call); they never log it.
    """

    async def key(self) -> DigestKey:
        """The current key.

        Raises:
            StateUnavailable: a shared implementation cannot reach its store (and has no key yet).
        """
        ...


class ConfirmationAnswer(StrEnum):
    """What the person said when asked to confirm an action through their client."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    DISMISSED = "dismissed"
    TIMED_OUT = "timed_out"
    """The question was shown but no answer came before the deadline."""
    UNAVAILABLE = "unavailable"
    """The client could not ask (it failed, or has no way back to the user)."""


class Confirmer(Protocol):
    """Asks the person behind the current request to confirm, through their client's own UI.

    The question and the answer travel outside the model's reach (MCP elicitation), which is what
    makes the answer trustworthy. Implementations never raise for a client that cannot ask: they
    answer `UNAVAILABLE`.
    """

    async def ask(self, summary: str) -> ConfirmationAnswer:
        """Show `summary` and return the person's answer."""
        ...
