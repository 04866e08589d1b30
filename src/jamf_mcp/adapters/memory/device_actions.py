"""In-memory fakes of the device-changing ports, with inspectable calls and injectable failures."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

import attrs

from jamf_mcp.domain.errors import (
    DeviceNotFound,
    InvalidRequest,
    JamfMcpError,
    JamfRequestRejected,
    PolicyNotFound,
)
from jamf_mcp.domain.jamf_operations import (
    CheckInSettings,
    CommandRef,
    CommandStatus,
    PolicyRun,
    ScopeChange,
    ScopeGroup,
)

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_commands import ManagementCommands, MobileInventoryUpdates
    from jamf_mcp.application.ports.jamf_policies import (
        CheckInSchedule,
        PolicyHistory,
        PolicyRunner,
    )


def _computer_ids(computer_ids: Sequence[str]) -> tuple[str, ...]:
    """Distinct Jamf computer ids (ASCII digits only) in the order given, as Jamf's adapter reads
    them (tests/contract/test_policy_runner_contract.py holds the two to the same cases)."""
    seen: dict[str, None] = {}
    for raw in computer_ids:
        cid = str(raw).strip()
        if not cid.isdigit() or not cid.isascii():
            raise InvalidRequest(f"'{raw}' is not a Jamf computer id (a number is expected).")
        seen.setdefault(str(int(cid)), None)
    return tuple(seen)


@attrs.define
class InMemoryPolicyRunner:
    """Implements `PolicyRunner` with one set of members per policy's group.

    Attributes:
        policies: ids of the policies that exist.
        computers: ids of the computers that exist (Jamf refuses others); None accepts any id.
        groups: the dedicated group's members, per policy id.
        calls: every call as `(method, policy_or_group, ids)`, in order.
        failures: an error to raise from a method, by method name; a callable receives the ids
            and returns the error to raise (or None to succeed).
        forget: computer ids that `add_to_group` "accepts" but the group never keeps.
        released: policies whose group left the scope.
        before: a coroutine awaited with the ids at the start of a method, by method name
            (to make Jamf slow, or hang, for one call).
    """

    policies: set[int] = attrs.field(factory=set)
    groups: dict[int, set[str]] = attrs.field(factory=dict)
    calls: list[tuple[str, str, tuple[str, ...]]] = attrs.field(factory=list)
    failures: dict[str, object] = attrs.field(factory=dict)
    forget: set[str] = attrs.field(factory=set)
    released: set[int] = attrs.field(factory=set)
    before: dict[str, Callable[[Sequence[str]], Awaitable[None]]] = attrs.field(factory=dict)
    computers: set[str] | None = None

    def _known_computers(self, computer_ids: Sequence[str]) -> tuple[str, ...]:
        ids = _computer_ids(computer_ids)
        unknown = [cid for cid in ids if self.computers is not None and cid not in self.computers]
        if unknown:
            raise JamfRequestRejected(f"Jamf Pro has no computer {unknown[0]}.")
        return ids

    def _maybe_fail(self, method: str, ids: Sequence[str]) -> None:
        failure = self.failures.get(method)
        error = failure(ids) if callable(failure) else failure
        if isinstance(error, JamfMcpError):
            raise error

    def _known(self, policy_id: int) -> None:
        if policy_id not in self.policies:
            raise PolicyNotFound(str(policy_id))

    def calls_to(self, method: str) -> list[tuple[str, ...]]:
        """The ids passed to every call of `method`."""
        return [ids for name, _, ids in self.calls if name == method]

    async def scope_group(self, policy_id: int) -> ScopeGroup:
        """The group of `policy_id`, made on first use."""
        self.calls.append(("scope_group", str(policy_id), ()))
        self._known(policy_id)
        self._maybe_fail("scope_group", ())
        members = self.groups.setdefault(policy_id, set())
        return ScopeGroup(
            policy_id, str(policy_id), frozenset(members), f"jamf-mcp: policy {policy_id}"
        )

    async def add_to_group(self, group: ScopeGroup, computer_ids: Sequence[str]) -> ScopeChange:
        """Add the non-members (unless a failure is injected)."""
        ids = _computer_ids(computer_ids)
        wanted = tuple(cid for cid in ids if cid not in group.members)
        already = tuple(cid for cid in ids if cid in group.members)
        if "add_to_group" in self.before:
            await self.before["add_to_group"](computer_ids)
        self.calls.append(("add_to_group", group.group_id, wanted))
        self._maybe_fail("add_to_group", wanted)
        self._known_computers(wanted)
        members = self.groups.setdefault(group.policy_id, set())
        members.update(cid for cid in wanted if cid not in self.forget)
        return ScopeChange(group.group_id, wanted, already)

    async def group_members(self, group_id: str) -> frozenset[str]:
        """The members now."""
        self.calls.append(("group_members", group_id, ()))
        if int(group_id) not in self.groups:
            raise JamfRequestRejected(f"Jamf Pro has no computer group {group_id}.")
        return frozenset(self.groups[int(group_id)])

    async def remove_from_group(self, group_id: str, computer_ids: Sequence[str]) -> None:
        """Remove them (unless a failure is injected)."""
        computer_ids = _computer_ids(computer_ids)
        self.calls.append(("remove_from_group", group_id, tuple(computer_ids)))
        self._maybe_fail("remove_from_group", computer_ids)
        self.groups.get(int(group_id), set()).difference_update(computer_ids)

    async def release_scope(self, policy_id: int, group_id: str) -> None:
        """Record that the group left the policy's scope."""
        self.calls.append(("release_scope", str(policy_id), (group_id,)))
        self._known(policy_id)
        self._maybe_fail("release_scope", ())
        self.released.add(policy_id)

    async def flush_computer_logs(self, computer_ids: Sequence[str]) -> None:
        """Record the flush of ALL these computers' policy logs (unless a failure is injected)."""
        computer_ids = _computer_ids(computer_ids)
        self.calls.append(("flush_computer_logs", "", tuple(computer_ids)))
        self._maybe_fail("flush_computer_logs", computer_ids)
        self._known_computers(computer_ids)


@attrs.define
class InMemoryCheckInSchedule:
    """Implements `CheckInSchedule` with a fixed answer."""

    current: CheckInSettings = attrs.field(factory=lambda: CheckInSettings(15))

    async def settings(self) -> CheckInSettings:
        """The configured settings."""
        return self.current


@attrs.define
class InMemoryPolicyHistory:
    """Implements `PolicyHistory`; tests append runs to `logged[(computer_id, policy_id)]`."""

    logged: dict[tuple[str, int], list[PolicyRun]] = attrs.field(factory=dict)
    reads: int = 0

    def log(self, computer_id: str, run: PolicyRun) -> None:
        """Record that `run` happened on the computer."""
        self.logged.setdefault((computer_id, run.policy_id), []).append(run)

    async def history(self, computer_id: str) -> Sequence[PolicyRun]:
        """Every recorded run on the computer, oldest first."""
        self.reads += 1
        found = [r for (cid, _), runs in self.logged.items() if cid == computer_id for r in runs]
        return sorted(found, key=lambda r: r.completed_at)

    async def runs(self, computer_id: str, policy_id: int, since: datetime) -> Sequence[PolicyRun]:
        """The recorded runs at or after `since`, oldest first."""
        self.reads += 1
        found = self.logged.get((computer_id, policy_id), [])
        return sorted((r for r in found if r.completed_at >= since), key=lambda r: r.completed_at)


@attrs.define
class InMemoryMobileInventoryUpdates:
    """Implements `MobileInventoryUpdates`; `requested` lists every device asked, in order."""

    known: set[str] = attrs.field(factory=set)
    requested: list[str] = attrs.field(factory=list)
    failures: dict[str, JamfMcpError] = attrs.field(factory=dict)

    async def request_update(self, mobile_device_id: str) -> None:
        """Record the request, or raise the failure injected for this device."""
        if mobile_device_id not in self.known:
            raise DeviceNotFound(mobile_device_id)
        if mobile_device_id in self.failures:
            raise self.failures[mobile_device_id]
        self.requested.append(mobile_device_id)


@attrs.define
class InMemoryManagementCommands:
    """Implements `ManagementCommands`; every command sent is kept in `sent` and `statuses`.

    Attributes:
        command_types: the command types Jamf knows (others are refused); None accepts any.
        devices: the management ids Jamf knows (others are refused); None accepts any.
    """

    sent: list[tuple[str, tuple[str, ...], dict[str, object]]] = attrs.field(factory=list)
    statuses: dict[str, CommandStatus] = attrs.field(factory=dict)
    failure: JamfMcpError | None = None
    command_types: frozenset[str] | None = None
    devices: frozenset[str] | None = None

    async def send(
        self, command_type: str, management_ids: Sequence[str], fields: Mapping[str, object]
    ) -> tuple[CommandRef, ...]:
        """Queue one PENDING command per device."""
        if self.failure is not None:
            raise self.failure
        if self.command_types is not None and command_type not in self.command_types:
            raise JamfRequestRejected(f"Jamf Pro knows no MDM command type '{command_type}'.")
        unknown = [m for m in management_ids if self.devices is not None and m not in self.devices]
        if unknown:
            raise JamfRequestRejected(f"Jamf Pro has no device with management id {unknown[0]}.")
        self.sent.append((command_type, tuple(management_ids), dict(fields)))
        refs = []
        for management_id in management_ids:
            command_uuid = str(uuid.uuid4())
            self.statuses[command_uuid] = CommandStatus(
                command_uuid, "PENDING", command_type, management_id
            )
            refs.append(CommandRef(command_uuid, management_id))
        return tuple(refs)

    async def status(self, uuid: str) -> CommandStatus | None:
        """The stored status, or None."""
        return self.statuses.get(uuid)


if TYPE_CHECKING:  # mypy proves the ports are implemented; nothing happens at runtime
    _runner: type[PolicyRunner] = InMemoryPolicyRunner
    _commands: type[ManagementCommands] = InMemoryManagementCommands
    _mobile: type[MobileInventoryUpdates] = InMemoryMobileInventoryUpdates
    _history: type[PolicyHistory] = InMemoryPolicyHistory
    _check_in: type[CheckInSchedule] = InMemoryCheckInSchedule
