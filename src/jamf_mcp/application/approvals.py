"""Ports of the approval page: the approvals themselves, and the browser sessions of its pages.

(A module of its own rather than more of `ports.py`: the approval page is one feature, and its
ports change together.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import attrs

from jamf_mcp.domain.approvals import Approval


class ApprovalStore(Protocol):
    """Approvals, each decided at most once and claimed (run) at most once, across replicas.

    Ids are unguessable but implementations never log them.
    """

    async def put(self, approval: Approval) -> None:
        """Keep `approval` until a while after it expires, and remember it under its `lookup`
        (a later `put` with the same lookup takes its place there).

        Raises:
            ValueError: an approval with this id is already stored.
            StateUnavailable: a shared store cannot be reached.
        """
        ...

    async def get(self, approval_id: str) -> Approval | None:
        """The approval with this id as it stands now, or None (never stored, or forgotten)."""
        ...

    async def find(self, lookup: str) -> Approval | None:
        """The latest approval put under `lookup`, or None."""
        ...

    async def decide(self, approval_id: str, approve: bool, now: datetime) -> Approval:
        """Approve or decline a pending approval in one atomic step; return the decided copy.

        Of any number of concurrent decisions (two tabs, two replicas) exactly one wins.

        Raises:
            ApprovalClosed: it is not pending (decided, used) or it expired; nothing changed.
            KeyError: no approval has this id.
        """
        ...

    async def claim(self, approval_id: str) -> bool:
        """Move an approved (or declined) approval to used in one atomic step; True for the one
        caller that did it (for an approved one, that caller runs the action; a declined one is
        reported once this way), False for everyone else and for pending or unknown ones."""
        ...


@attrs.frozen
class PageSession:
    """A browser signed in to this server's own pages (never a bearer token).

    Attributes:
        issuer, subject: who signed in, at the identity provider.
        display_name: their name, when the provider gave one.
        csrf: the token every form of the session must carry.
        expires_at: when the session ends (bounded; it is not renewed by use).
    """

    issuer: str
    subject: str
    display_name: str | None
    csrf: str = attrs.field(repr=False)
    expires_at: datetime


@attrs.frozen
class PageSignIn:
    """A sign-in round trip for the pages, between leaving for the identity provider and
    coming back.

    Attributes:
        nonce, code_verifier: our OpenID Connect nonce and PKCE verifier.
        browser_digest: SHA-256 of the session cookie set on the browser that left.
        return_to: the page to show after sign-in (a path of this server).
    """

    nonce: str = attrs.field(repr=False)
    code_verifier: str = attrs.field(repr=False)
    browser_digest: str
    return_to: str


class PageSessions(Protocol):
    """Sessions and sign-in round trips of this server's pages, shared by every replica.

    Keys are digests of the cookie or `state` (never the values themselves). Everything expires.
    """

    async def start_sign_in(self, state: str, sign_in: PageSignIn, ttl_seconds: int) -> None:
        """Keep a round trip under `state` for `ttl_seconds`."""
        ...

    async def take_sign_in(self, state: str) -> PageSignIn | None:
        """Remove and return the round trip of `state` (once: a second take gets None)."""
        ...

    async def put(self, cookie_digest: str, session: PageSession) -> None:
        """Keep `session` under the digest of its cookie until it expires."""
        ...

    async def get(self, cookie_digest: str, now: datetime) -> PageSession | None:
        """The live session of this cookie digest, or None."""
        ...
