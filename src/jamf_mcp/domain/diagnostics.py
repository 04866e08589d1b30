"""What `jamf-mcp doctor` finds: one result per check, each failure with its fix."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import attrs


class CheckStatus(StrEnum):
    """How one check came out."""

    PASSED = "passed"
    FAILED = "failed"
    """Something users will meet: the fix is needed."""
    WARNING = "warning"
    """Works today, but worth fixing (or could not be confirmed)."""
    SKIPPED = "skipped"
    """Not applicable here, or not checkable because an earlier check failed."""


@attrs.frozen
class CheckResult:
    """One check of the configuration.

    Attributes:
        area: What it belongs to, e.g. `Jamf Pro`, `Sign-in`, `Storage`.
        title: What was checked, e.g. `Credentials accepted`.
        status: The outcome.
        detail: What was found (never a secret).
        fix: What to do about a failure or warning.
    """

    area: str
    title: str
    status: CheckStatus
    detail: str = ""
    fix: str = ""

    @property
    def failed(self) -> bool:
        """True for a failure."""
        return self.status is CheckStatus.FAILED


def passed(area: str, title: str, detail: str = "") -> CheckResult:
    """A check that passed."""
    return CheckResult(area, title, CheckStatus.PASSED, detail)


def failed(area: str, title: str, detail: str, fix: str) -> CheckResult:
    """A check that failed, with its fix."""
    return CheckResult(area, title, CheckStatus.FAILED, detail, fix)


def warning(area: str, title: str, detail: str, fix: str = "") -> CheckResult:
    """A check that found something worth fixing, or could not be confirmed."""
    return CheckResult(area, title, CheckStatus.WARNING, detail, fix)


def skipped(area: str, title: str, detail: str) -> CheckResult:
    """A check that does not apply, or could not run."""
    return CheckResult(area, title, CheckStatus.SKIPPED, detail)


@attrs.frozen
class Diagnosis:
    """Every check's result, in the order they ran.

    Attributes:
        results: The results.
    """

    results: tuple[CheckResult, ...] = ()

    @classmethod
    def of(cls, *groups: Iterable[CheckResult]) -> Diagnosis:
        """One diagnosis from several groups of results."""
        return cls(tuple(result for group in groups for result in group))

    @property
    def failures(self) -> tuple[CheckResult, ...]:
        """The results that failed."""
        return tuple(result for result in self.results if result.failed)

    @property
    def healthy(self) -> bool:
        """True when no check failed (warnings allowed)."""
        return not self.failures


@attrs.frozen
class GrantedPrivileges:
    """The Jamf Pro privileges this server's account holds, as Jamf reports them.

    Attributes:
        names: The privilege names, e.g. `Read Computers`.
        everything: The account holds every privilege (Jamf's Administrator privilege set).
        account_kind: `API client` or `user account`, for messages.
    """

    names: frozenset[str] = frozenset()
    everything: bool = False
    account_kind: str = "API client"

    def holds(self, privilege: str) -> bool:
        """True when the account has `privilege`."""
        return self.everything or privilege in self.names


class Reachability(StrEnum):
    """How an attempt to reach a server over the network went."""

    REACHED = "reached"
    NOT_TLS = "not_tls"
    """Reached, but over plain HTTP."""
    CERTIFICATE_REJECTED = "certificate_rejected"
    TLS_FAILED = "tls_failed"
    UNREACHABLE = "unreachable"
    TIMED_OUT = "timed_out"
    EMBEDDED = "embedded"
    """No network: the embedded demo tenant."""


class IdentityProviderProblem(Exception):
    """The identity provider's documents could not be read or did not fit (see the message)."""


class StoreProblem(Exception):
    """A store did not answer or refused (see the message; never a secret)."""
