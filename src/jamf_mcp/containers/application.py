"""The use cases' wiring: each built from ports only (plus the stores the confirmation gate
needs), and the background work that runs while the service does."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta

from dependency_injector import containers, providers

from jamf_mcp import audit_wiring
from jamf_mcp.adapters.system import SystemClock
from jamf_mcp.application.approval_desk import ApprovalDesk
from jamf_mcp.application.approvals import ApprovalStore
from jamf_mcp.application.bulk_dispatch import DispatchLimits
from jamf_mcp.application.confirmation_gate import ConfirmationGate
from jamf_mcp.application.policy_dispatch import PolicyDispatcher
from jamf_mcp.application.policy_run_reconciler import PolicyRunReconciler
from jamf_mcp.application.ports import (
    CheckInSchedule,
    ConfirmationStore,
    DeviceInventory,
    DigestKeys,
    Directory,
    ManagementCommands,
    MobileInventoryUpdates,
    PolicyCatalogue,
    PolicyHistory,
    PolicyRunner,
    PolicyRunTracker,
)
from jamf_mcp.application.use_cases import (
    CheckDeviceCompliance,
    CompleteNames,
    ExecutePolicy,
    GetActionStatus,
    GetCommandStatus,
    GetDeviceDetails,
    GetFleetSummary,
    GetPolicyDetails,
    InventoryPolicyChoice,
    ListAuditRecords,
    ListPolicies,
    SearchDevices,
    SendMdmCommand,
    UpdateInventory,
)
from jamf_mcp.settings import Settings


async def reconcile_in_background(
    reconciler: PolicyRunReconciler, interval: float
) -> AsyncIterator[PolicyRunReconciler]:
    """Runs the policy-run reconciler while the server runs (every replica tries; one leads)."""
    task = asyncio.create_task(reconciler.run_forever(interval))
    try:
        yield reconciler
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def dispatch_limits(settings: Settings) -> DispatchLimits:
    """Bulk runs keep exactly as many Jamf requests in flight as the adapter allows."""
    return DispatchLimits(
        concurrency=settings.jamf.max_in_flight, max_targets=settings.actions.max_targets
    )


def inventory_policy(settings: Settings) -> InventoryPolicyChoice:
    """The configured inventory-collection policy, by id or by name."""
    policy_id = settings.actions.inventory_policy_id
    if policy_id is not None:
        return InventoryPolicyChoice(policy_id=policy_id, policy_name=None)
    return InventoryPolicyChoice(policy_name=settings.actions.inventory_policy)


class ApplicationContainer(containers.DeclarativeContainer):
    """Use cases, built from ports only (plus the stores the confirmation gate needs)."""

    settings = providers.Dependency(instance_of=Settings)
    confirmations: providers.Dependency[ConfirmationStore] = providers.Dependency()
    approvals: providers.Dependency[ApprovalStore] = providers.Dependency()
    same_person_issuers: providers.Dependency[frozenset[str]] = providers.Dependency()
    digest_keys: providers.Dependency[DigestKeys] = providers.Dependency()
    inventory: providers.Dependency[DeviceInventory] = providers.Dependency()
    directory: providers.Dependency[Directory] = providers.Dependency()
    policies: providers.Dependency[PolicyCatalogue] = providers.Dependency()
    policy_runner: providers.Dependency[PolicyRunner] = providers.Dependency()
    policy_history: providers.Dependency[PolicyHistory] = providers.Dependency()
    mobile_inventory: providers.Dependency[MobileInventoryUpdates] = providers.Dependency()
    commands: providers.Dependency[ManagementCommands] = providers.Dependency()
    check_in: providers.Dependency[CheckInSchedule] = providers.Dependency()
    policy_runs: providers.Dependency[PolicyRunTracker] = providers.Dependency()
    clock = providers.Singleton(SystemClock)
    audit = providers.Resource(audit_wiring.audit_store_resource, settings)
    expiry_sweeper = providers.Resource(audit_wiring.expiry_sweeper, audit, clock, settings)
    gate = providers.Singleton(
        ConfirmationGate,
        confirmations,
        audit,
        clock,
        digest_keys,
        providers.Callable(
            lambda s: timedelta(seconds=s.actions.confirmation_ttl_seconds), settings
        ),
        approvals,
    )
    approval_desk = providers.Singleton(ApprovalDesk, approvals, audit, clock, same_person_issuers)
    limits = providers.Singleton(dispatch_limits, settings)
    policy_dispatcher = providers.Singleton(
        PolicyDispatcher,
        policy_runner,
        policy_history,
        policy_runs,
        clock,
        limits,
        providers.Callable(lambda s: timedelta(hours=s.actions.policy_run_expiry_hours), settings),
        providers.Callable(lambda s: s.actions.wait_poll_seconds, settings),
    )
    execute_policy = providers.Singleton(
        ExecutePolicy,
        inventory,
        policies,
        policy_dispatcher,
        gate,
        clock,
        limits,
        policy_history,
        check_in,
    )
    update_inventory = providers.Singleton(
        UpdateInventory,
        inventory,
        policies,
        policy_dispatcher,
        mobile_inventory,
        gate,
        limits,
        policy_history,
        check_in,
        clock,
        providers.Singleton(inventory_policy, settings),
    )
    send_mdm_command = providers.Singleton(SendMdmCommand, inventory, commands, gate, limits)
    get_command_status = providers.Singleton(GetCommandStatus, commands)
    get_action_status = providers.Singleton(GetActionStatus, policy_runs, policy_history, clock)
    reconciler = providers.Singleton(
        PolicyRunReconciler, policy_runs, policy_runner, policy_history, clock
    )
    reconciling = providers.Resource(
        reconcile_in_background,
        reconciler,
        providers.Callable(lambda s: s.actions.reconcile_seconds, settings),
    )
    list_audit_records = providers.Singleton(ListAuditRecords, audit)
    complete_names = providers.Singleton(CompleteNames, inventory, policies, directory)
    search_devices = providers.Singleton(SearchDevices, inventory)
    get_device_details = providers.Singleton(GetDeviceDetails, inventory)
    check_device_compliance = providers.Singleton(CheckDeviceCompliance, inventory, clock)
    list_policies = providers.Singleton(ListPolicies, policies)
    get_policy_details = providers.Singleton(GetPolicyDetails, policies)
    get_fleet_summary = providers.Singleton(GetFleetSummary, inventory, clock)
