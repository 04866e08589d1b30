"""Ports of `jamf-mcp doctor`: the facts its use cases read about Jamf Pro, sign-in and storage.

Each port states what it raises; the use cases turn facts and errors into `CheckResult`s with a
fix for each failure. None of these is used while serving requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

import attrs

from jamf_mcp.domain.diagnostics import GrantedPrivileges, Reachability


class JamfFeature(StrEnum):
    """What this server does with Jamf Pro, grouped by the privileges it needs."""

    DEVICE_READS = "device search and details"
    COMPLIANCE = "compliance and fleet summary"
    POLICY_READS = "policy reads"
    POLICY_RUNS = "policy runs"
    MOBILE_INVENTORY = "mobile inventory updates"
    MDM_COMMANDS = "MDM commands"
    COMMAND_STATUS = "MDM command status"


@attrs.frozen
class PrivilegeNeed:
    """One Jamf Pro privilege a feature needs.

    Attributes:
        feature: The feature.
        privilege: Jamf's name for it, e.g. `Update Static Computer Groups`.
        condition: When it is needed, if not always (e.g. `ERASE_DEVICE on computers`).
        documented: False when no Jamf document names it for this call (an inference, say from
            the privilege catalogue's names): missing it is then a warning, not a failure.
    """

    feature: JamfFeature
    privilege: str
    condition: str = ""
    documented: bool = True


@attrs.frozen
class ReachAttempt:
    """How reaching a server over the network went, without signing in.

    Attributes:
        outcome: The outcome.
        detail: What was seen (a status, a TLS error's gist).
    """

    outcome: Reachability
    detail: str = ""


class JamfAccess(Protocol):
    """This server's access to Jamf Pro, as Jamf reports it."""

    @property
    def target(self) -> str:
        """Where Jamf Pro is, for messages (its base URL, or the embedded demo tenant)."""
        ...

    @property
    def account(self) -> str:
        """Who this server signs in as, for messages (`API client "…"`, never a secret)."""
        ...

    async def reach(self) -> ReachAttempt:
        """Reach Jamf Pro without credentials (TLS handshake and an unauthenticated GET)."""
        ...

    async def server_version(self) -> str:
        """Sign in and read Jamf Pro's version string (e.g. `11.30.1-t1784555528405`).

        Raises:
            JamfCredentialsRejected: the credentials were refused.
            JamfUnavailable: Jamf Pro did not answer usefully.
        """
        ...

    async def granted_privileges(self) -> GrantedPrivileges:
        """The privileges of the signed-in account (Jamf's `GET /api/v1/auth`).

        Raises:
            JamfCredentialsRejected / JamfUnavailable / JamfRequestRejected.
        """
        ...

    def privilege_needs(self) -> Sequence[PrivilegeNeed]:
        """Every privilege each feature needs with the Jamf calls this adapter makes."""
        ...

    async def check_in_frequency_minutes(self) -> int:
        """How often computers check in (Jamf's `checkInFrequency`, in minutes).

        Raises:
            JamfPermissionDenied: the account cannot read the check-in settings.
            JamfUnavailable / JamfRequestRejected.
        """
        ...


@attrs.frozen
class ProviderFacts:
    """What an identity provider publishes.

    Attributes:
        discovery_url: Where its metadata was found.
        authorization_endpoint: Its authorization endpoint, if published.
        token_endpoint: Its token endpoint, if published.
        code_challenge_methods: The PKCE methods it advertises (empty: not advertised).
        signing_keys: How many keys its JWKS holds.
    """

    discovery_url: str
    authorization_endpoint: str | None
    token_endpoint: str | None
    code_challenge_methods: tuple[str, ...]
    signing_keys: int


class IdentityProviderInfo(Protocol):
    """The upstream OpenID provider's published documents."""

    async def discover(self) -> ProviderFacts:
        """Fetch the discovery document and the JWKS.

        Raises:
            IdentityProviderProblem (domain.diagnostics): unreachable, not a metadata document, an issuer other than
                the configured one, or a JWKS that cannot be read (the message says which).
        """
        ...


class PublicEndpoint(Protocol):
    """This server as clients will reach it at its public URL."""

    async def advertised_resource(self) -> str | None:
        """The `resource` of the protected-resource metadata served at the public URL, or None
        when nothing answers there (the server is not running yet, or DNS/proxy not set up)."""
        ...


class StoreCheck(Protocol):
    """One store answers (Redis, the audit store)."""

    @property
    def name(self) -> str:
        """What it is, for messages (`Redis`, `Audit store (SQLite)`)."""
        ...

    async def check(self) -> str:
        """Reach it and return a short description of what answered.

        Raises:
            StoreProblem (domain.diagnostics): it does not answer or refuses (the message says why, no secret).
        """
        ...


@attrs.frozen
class PathFacts:
    """Ownership and permissions of a file or directory.

    Attributes:
        path: The path, for messages.
        exists: Whether it exists.
        writable: Whether this process can write it (a directory: create files in it).
        mode: Its permission bits (e.g. `0o700`), 0 when it does not exist.
        owned_by_me: Whether this process's user owns it.
    """

    path: str
    exists: bool
    writable: bool = False
    mode: int = 0
    owned_by_me: bool = False


class LocalFiles(Protocol):
    """The data directory and the signing key on this machine."""

    def data_directory(self) -> PathFacts:
        """Facts about the data directory (a missing one is reported, not created)."""
        ...

    def signing_key(self) -> tuple[PathFacts, str | None]:
        """Facts about the signing key file, and why it cannot be used (None: it can)."""
        ...
