"""Use case: check where state lives — the data directory, the signing key, Redis and the audit
store."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from jamf_mcp.application.ports.doctor import LocalFiles, PathFacts, StoreCheck
from jamf_mcp.domain.diagnostics import (
    CheckResult,
    StoreProblem,
    failed,
    passed,
    skipped,
    warning,
)

AREA = "Storage"
_GROUP_OR_OTHER = 0o077
_WRITABLE_BY_OTHERS = 0o022


@attrs.frozen
class DiagnoseStorageRequest:
    """What the deployment uses.

    Attributes:
        signs_tokens: Sign-in is on, so the server signs tokens with its key.
        shared_state: Redis is configured (several replicas may run).
    """

    signs_tokens: bool
    shared_state: bool


class DiagnoseStorage:
    """Check the data directory, the signing key and every configured store.

    Rules:
    - The data directory must be writable by this server and not writable by others; readable by
      others warns (it holds the signing key and the audit trail). Missing: created at start.
    - The signing key must be a private RSA JWK, owner-only (0600). Missing is fine for one
      replica (created at first start); with shared state (several replicas) every replica needs
      the same key, so a missing one warns.
    - Each store (Redis, the audit store) must answer.
    """

    def __init__(self, files: LocalFiles, stores: Sequence[StoreCheck]) -> None:
        self._files = files
        self._stores = tuple(stores)

    async def execute(self, request: DiagnoseStorageRequest) -> list[CheckResult]:
        """Run the checks in order."""
        results = [_data_directory(self._files.data_directory())]
        results.append(self._signing_key(request))
        if not request.shared_state:
            results.append(
                passed(AREA, "Redis", "not configured: state stays in this process (one replica)")
            )
        for store in self._stores:
            try:
                results.append(passed(AREA, store.name, await store.check()))
            except StoreProblem as error:
                results.append(
                    failed(
                        AREA, store.name, str(error), f"Check {store.name}'s address and access."
                    )
                )
        return results

    def _signing_key(self, request: DiagnoseStorageRequest) -> CheckResult:
        title = "Signing key"
        if not request.signs_tokens:
            return skipped(AREA, title, "sign-in is off: no tokens are signed")
        facts, problem = self._files.signing_key()
        if not facts.exists:
            if request.shared_state:
                return warning(
                    AREA,
                    title,
                    f"{facts.path} does not exist: each replica would create its own key and "
                    "refuse the others' tokens",
                    "Give every replica the same key file (docs/deploy/aws.md, signing key).",
                )
            return passed(AREA, title, f"{facts.path} will be created at first start")
        if problem is not None:
            return failed(
                AREA,
                title,
                f"{facts.path} {problem}",
                "Replace it with a private RSA JWK, or delete it to have a new one created "
                "(tokens signed with the old key stop working).",
            )
        if facts.mode & _GROUP_OR_OTHER:
            return failed(
                AREA,
                title,
                f"{facts.path} is readable by others (mode {facts.mode:04o})",
                f"chmod 600 {facts.path}",
            )
        return passed(AREA, title, f"{facts.path}: private RSA key, mode {facts.mode:04o}")


def _data_directory(facts: PathFacts) -> CheckResult:
    title = "Data directory"
    if not facts.exists:
        return passed(AREA, title, f"{facts.path} will be created at first start (mode 0700)")
    if not facts.writable:
        return failed(
            AREA,
            title,
            f"{facts.path} is not writable by this user",
            f"chown the directory to the server's user, or set JAMF_MCP_DATA_DIR: {facts.path}",
        )
    if facts.mode & _WRITABLE_BY_OTHERS:
        return failed(
            AREA,
            title,
            f"{facts.path} is writable by others (mode {facts.mode:04o})",
            f"chmod 700 {facts.path}",
        )
    if facts.mode & _GROUP_OR_OTHER:
        return warning(
            AREA,
            title,
            f"{facts.path} is readable by others (mode {facts.mode:04o}); it holds the signing "
            "key and the audit trail",
            f"chmod 700 {facts.path}",
        )
    return passed(AREA, title, f"{facts.path}, mode {facts.mode:04o}")
