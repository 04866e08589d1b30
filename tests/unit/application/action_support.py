"""Fakes and wiring shared by the device-action use-case tests (no network, fixed clock)."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from jamf_mcp.adapters.memory import (
    FixedClock,
    InMemoryApprovalStore,
    InMemoryAuditLog,
    InMemoryCheckInSchedule,
    InMemoryConfirmationStore,
    InMemoryDeviceInventory,
    InMemoryManagementCommands,
    InMemoryMobileInventoryUpdates,
    InMemoryPolicyCatalogue,
    InMemoryPolicyHistory,
    InMemoryPolicyRunner,
    InMemoryPolicyRunTracker,
    StaticDigestKeys,
)
from jamf_mcp.application.bulk_dispatch import DispatchLimits
from jamf_mcp.application.confirmation_gate import ConfirmationGate
from jamf_mcp.application.policy_dispatch import PolicyDispatcher
from jamf_mcp.application.ports import ConfirmationAnswer
from jamf_mcp.application.use_cases import ExecutePolicy, SendMdmCommand, UpdateInventory
from jamf_mcp.domain.principal import Principal, Scope

ALICE = Principal(
    "https://idp.test", "alice", {Scope.READ.value, Scope.WRITE.value}, display_name="alice"
)
CAROL = Principal("https://idp.test", "carol", {Scope.READ.value, Scope.WRITE.value})


@attrs.define
class ScriptedConfirmer:
    """A `Confirmer` that gives a fixed answer and remembers what it was shown."""

    answer: ConfirmationAnswer
    asked: list[str] = attrs.field(factory=list)

    async def ask(self, summary: str) -> ConfirmationAnswer:
        self.asked.append(summary)
        return self.answer


@attrs.define
class Progress:
    """A `ProgressSink` that records every update."""

    updates: list[tuple[float, float, str]] = attrs.field(factory=list)

    async def __call__(self, done: float, total: float, message: str, /) -> None:
        self.updates.append((done, total, message))

    @property
    def values(self) -> list[float]:
        return [done for done, _, _ in self.updates]


@attrs.define
class CancelAfter:
    """A `Cancellation` that turns on once `progress` has seen `updates` updates."""

    progress: Progress
    updates: int

    @property
    def cancelled(self) -> bool:
        return len(self.progress.updates) >= self.updates


@attrs.define
class NeverCancelled:
    """A `Cancellation` that never fires."""

    @property
    def cancelled(self) -> bool:
        return False


@attrs.define
class Actions:
    """The three action use cases over shared fakes."""

    inventory: InMemoryDeviceInventory
    policies: InMemoryPolicyCatalogue
    clock: FixedClock
    runner: InMemoryPolicyRunner = attrs.field(factory=InMemoryPolicyRunner)
    history: InMemoryPolicyHistory = attrs.field(factory=InMemoryPolicyHistory)
    check_in: InMemoryCheckInSchedule = attrs.field(factory=InMemoryCheckInSchedule)
    tracker: InMemoryPolicyRunTracker = attrs.field(factory=InMemoryPolicyRunTracker)
    mobile: InMemoryMobileInventoryUpdates = attrs.field(factory=InMemoryMobileInventoryUpdates)
    commands: InMemoryManagementCommands = attrs.field(factory=InMemoryManagementCommands)
    confirmations: InMemoryConfirmationStore = attrs.field(factory=InMemoryConfirmationStore)
    approvals: InMemoryApprovalStore = attrs.field(factory=InMemoryApprovalStore)
    audit: InMemoryAuditLog = attrs.field(factory=InMemoryAuditLog)
    keys: StaticDigestKeys = attrs.field(factory=StaticDigestKeys)
    limits: DispatchLimits = attrs.field(factory=lambda: DispatchLimits(heartbeat_seconds=5))

    def __attrs_post_init__(self) -> None:
        self.runner.policies.update(self.policies.policies)
        self.mobile.known.update(
            d.identity.jamf_id for d in self.inventory.devices if d.kind.value == "mobile"
        )

    @property
    def gate(self) -> ConfirmationGate:
        return ConfirmationGate(
            self.confirmations, self.audit, self.clock, self.keys, approvals=self.approvals
        )

    @property
    def dispatcher(self) -> PolicyDispatcher:
        return PolicyDispatcher(
            self.runner,
            self.history,
            self.tracker,
            self.clock,
            self.limits,
            poll_seconds=0.01,
        )

    @property
    def execute_policy(self) -> ExecutePolicy:
        return ExecutePolicy(
            self.inventory,
            self.policies,
            self.dispatcher,
            self.gate,
            self.clock,
            self.limits,
            self.history,
            self.check_in,
        )

    @property
    def update_inventory(self) -> UpdateInventory:
        return UpdateInventory(
            self.inventory,
            self.policies,
            self.dispatcher,
            self.mobile,
            self.gate,
            self.limits,
            self.history,
            self.check_in,
            self.clock,
        )

    @property
    def send_mdm_command(self) -> SendMdmCommand:
        return SendMdmCommand(self.inventory, self.commands, self.gate, self.limits)

    def writes(self) -> Sequence[str]:
        """Every state-changing call the fakes saw."""
        changing = {"add_to_group", "flush_computer_logs", "remove_from_group", "release_scope"}
        calls = [name for name, _, _ in self.runner.calls if name in changing]
        return calls + [f"mdm {c}" for c, _, _ in self.commands.sent] + self.mobile.requested
