"""Jamf Pro policies: reading them, running them on chosen computers, and what computers report."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from jamf_mcp.domain.jamf_operations import (
    CheckInSettings,
    PolicyRun,
    ScopeChange,
    ScopeGroup,
)
from jamf_mcp.domain.policies import Policy, PolicyRef


class PolicyCatalogue(Protocol):
    """Read access to Jamf Pro policies (idempotent; same errors as `DeviceInventory`)."""

    async def list_policies(self) -> Sequence[PolicyRef]:
        """Every policy's id and name."""
        ...

    async def get_policy(self, policy_id: int) -> Policy:
        """One policy in full.

        Raises:
            PolicyNotFound: no policy has this id.
        """
        ...

    async def policy_named(self, name: str) -> Policy | None:
        """The policy whose name is exactly `name`, in full (one request), or None."""
        ...


class PolicyRunner(Protocol):
    """Jamf's real way of running a policy on chosen computers (Jamf has no "run now" API).

    The computers join a static group dedicated to this server and the policy; the group is in
    the policy's scope, so the policy runs at their next check-in when its frequency allows.
    Nothing is retried once sent: an unknown outcome raises `JamfOutcomeUnknown` and stays
    unknown.
    """

    async def scope_group(self, policy_id: int) -> ScopeGroup:
        """The policy's dedicated group, created and added to its scope if missing.

        Idempotent: the group is created once and added to the scope once; the policy's other
        scope entries are kept as they are. The result carries the group's current members.

        Raises:
            PolicyNotFound: no policy has this id.
            JamfRequestRejected: Jamf refused a change, with its reason.
        """
        ...

    async def add_to_group(self, group: ScopeGroup, computer_ids: Sequence[str]) -> ScopeChange:
        """Add the computers that are not members yet (one request; none if all are members).

        Raises:
            InvalidRequest: a computer id is not a Jamf id.
            JamfRequestRejected: Jamf refused the change (e.g. an unknown computer).
            JamfOutcomeUnknown: the change was sent but no definite answer came back.
        """
        ...

    async def remove_from_group(self, group_id: str, computer_ids: Sequence[str]) -> None:
        """Take the computers out of the group (one request; removing a non-member is a no-op).

        Raises:
            JamfRequestRejected / JamfOutcomeUnknown: as `add_to_group`.
        """
        ...

    async def group_members(self, group_id: str) -> frozenset[str]:
        """The computer ids in a group now (an idempotent read)."""
        ...

    async def release_scope(self, policy_id: int, group_id: str) -> None:
        """Take the (empty) dedicated group out of the policy's scope; the rest stays as it is.

        Idempotent: nothing is sent when the group is not in the scope.

        Raises:
            PolicyNotFound: no policy has this id.
            JamfRequestRejected / JamfOutcomeUnknown: as `add_to_group`.
        """
        ...

    async def flush_computer_logs(self, computer_ids: Sequence[str]) -> None:
        """Flush ALL policy logs of these computers (Jamf's documented computer form).

        Every "Once per …" policy in their scope runs again at their next check-in: Jamf cannot
        flush one policy's logs on one computer. The caller must have had that confirmed.

        Raises:
            InvalidRequest: a computer id is not a Jamf id.
            JamfRequestRejected: Jamf refused the flush (e.g. an unknown computer).
            JamfOutcomeUnknown: the flush was sent but no definite answer came back.
        """
        ...


class CheckInSchedule(Protocol):
    """The tenant's recurring check-in settings (an idempotent read; may be cached briefly)."""

    async def settings(self) -> CheckInSettings:
        """The check-in frequency; Jamf's default (15 minutes, `known` False) when unreadable."""
        ...


class PolicyHistory(Protocol):
    """What computers report about the policies they ran (idempotent reads)."""

    async def history(self, computer_id: str) -> Sequence[PolicyRun]:
        """Every readable entry of the computer's policy log, oldest first (one request).

        Raises:
            DeviceNotFound: no computer has this id.
        """
        ...

    async def runs(self, computer_id: str, policy_id: int, since: datetime) -> Sequence[PolicyRun]:
        """The runs of `policy_id` on the computer that completed at or after `since`, oldest first.

        Raises:
            DeviceNotFound: no computer has this id.
        """
        ...
