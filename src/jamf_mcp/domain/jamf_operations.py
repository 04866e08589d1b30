"""Values Jamf's device-changing mechanisms report: scope changes and MDM command receipts/status."""

from __future__ import annotations

from datetime import datetime

import attrs


@attrs.frozen
class ScopeGroup:
    """The static computer group this server keeps in one policy's scope.

    Attributes:
        policy_id: The policy it belongs to.
        group_id: Jamf's id of the group.
        members: Computer ids in the group when it was read.
        name: The group's name in Jamf Pro.
    """

    policy_id: int
    group_id: str
    members: frozenset[str] = frozenset()
    name: str = ""


@attrs.frozen
class PolicyRun:
    """One line of a computer's policy history.

    Attributes:
        policy_id: The policy that ran.
        completed_at: When the run finished.
        status: Jamf's status text, e.g. `Completed` or `Failed`.
        policy_name: The policy's name as the log records it, when known.
    """

    policy_id: int
    completed_at: datetime
    status: str
    policy_name: str = ""

    @property
    def succeeded(self) -> bool:
        """True unless Jamf reported the run as failed."""
        return self.status.strip().lower() != "failed"


@attrs.frozen
class CheckInSettings:
    """The tenant's recurring check-in (`GET /api/v3/check-in`).

    Attributes:
        frequency_minutes: How often each Mac's jamf binary checks in (Jamf: 5 to 60, default
            15). A policy queued through check-in runs within about this long of a Mac that is
            online.
        known: False when the tenant's setting could not be read and Jamf's default is assumed.
    """

    frequency_minutes: int = 15
    known: bool = True


@attrs.frozen
class ScopeChange:
    """What making computers part of a policy's scope changed.

    Attributes:
        group_id: The static computer group dedicated to this server and the policy.
        added: Computer ids added to that group by this call.
        already_members: Computer ids that were members already (nothing was sent for them).
    """

    group_id: str
    added: tuple[str, ...] = ()
    already_members: tuple[str, ...] = ()


@attrs.frozen
class CommandRef:
    """An MDM command Jamf queued: its uuid and, when Jamf's answer allows pairing, the device."""

    uuid: str
    management_id: str | None = None


@attrs.frozen
class CommandStatus:
    """Where one MDM command stands.

    Attributes:
        uuid: The command's uuid.
        state: Jamf's `commandState`: PENDING, ACKNOWLEDGED, NOT_NOW, ERROR or
            COMMAND_FORMAT_ERROR (passed through as Jamf reports it).
        command_type: e.g. `RESTART_DEVICE`.
        management_id: The device the command was sent to, if Jamf says.
        sent_at: When Jamf queued it.
        completed_at: When the device answered, if it has.
    """

    uuid: str
    state: str
    command_type: str
    management_id: str | None = None
    sent_at: datetime | None = None
    completed_at: datetime | None = None
