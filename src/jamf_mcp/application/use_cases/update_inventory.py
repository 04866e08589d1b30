"""Use case: ask devices for a fresh inventory report — named ones, or all that match criteria."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from jamf_mcp.application.authorization import WRITE, require
from jamf_mcp.application.bulk_dispatch import (
    DispatchLedger,
    DispatchLimits,
    ProgressPacer,
    dispatch_in_chunks,
    heartbeat,
    result_for,
    results_for_error,
)
from jamf_mcp.application.confirmation_gate import (
    ConfirmationGate,
    ConfirmationInput,
    Dispatched,
    GatedOutcome,
    PreparedAction,
)
from jamf_mcp.application.device_resolution import IDENTITY_ASPECTS, resolve_devices
from jamf_mcp.application.policy_dispatch import PolicyDispatcher
from jamf_mcp.application.policy_resolution import find_policy
from jamf_mcp.application.policy_run_planning import plan_run
from jamf_mcp.application.ports.call_control import Cancellation, ProgressSink
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_commands import MobileInventoryUpdates
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.application.ports.jamf_policies import CheckInSchedule, PolicyCatalogue, PolicyHistory
from jamf_mcp.application.use_cases.execute_policy import (
    check_runnable,
    run_parameters,
    run_plan,
)
from jamf_mcp.application.use_cases.search_devices import DeviceTypeFilter
from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.audit import DeviceResult, OutcomeStatus
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.errors import InvalidRequest, JamfMcpError
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import DeviceQuery


@attrs.frozen
class InventoryPolicyChoice:
    """Which policy collects computer inventory (Jamf's built-in one is "Update Inventory")."""

    policy_id: int | None = None
    policy_name: str | None = "Update Inventory"


@attrs.frozen(kw_only=True)
class UpdateInventoryRequest:
    """Named devices, or criteria that select devices (at least one of them, or `all_devices`).

    Which families criteria select has no default: it is the caller's choice (the MCP tool's
    schema holds the tool's). Everything else defaults to "not asked for": nothing named, no
    criterion, not the whole fleet, no policy logs flushed (ADR 0042).
    """

    device_type: DeviceTypeFilter
    device_identifiers: tuple[str, ...] = ()
    search_term: str | None = None
    department: str | None = None
    building: str | None = None
    all_devices: bool = False
    flush_computer_logs: bool = False

    @property
    def query(self) -> DeviceQuery:
        """The selection criteria as an inventory query."""
        return DeviceQuery(
            text=(self.search_term or "").strip() or None,
            department=self.department,
            building=self.building,
        )


class UpdateInventory:
    """Make devices send Jamf Pro a fresh inventory report.

    Rules:
    - Needs `write:jamf` and one confirmation for the whole batch (see `ConfirmationGate`).
    - Devices are named (`device_identifiers`), or selected by criteria (department, building,
      search term, device type); with neither, `all_devices` must say the whole fleet is meant.
    - Selected devices that are not managed are left out, and the person is told.
    - Computers: Jamf has no "run recon" API, so the configured inventory policy is queued
      through the check-in mechanism (see `PolicyDispatcher`), with the same honesty as
      `ExecutePolicy`: its frequency against each computer's policy log decides whether it can
      run; where it already ran the person is told when, and offered only Jamf's choices
      (nothing, or flush ALL that computer's policy logs). No MDM command is sent for Macs: the
      part of a Mac's inventory Jamf collects through MDM follows its own inventory run
      (ADR 0021). Mobile devices: Jamf's MDM inventory request, one device at a time.
    - Every device gets its own result; partial failures are reported, never hidden.
    """

    required_scopes = WRITE

    def __init__(
        self,
        inventory: DeviceInventory,
        policies: PolicyCatalogue,
        dispatcher: PolicyDispatcher,
        mobile_updates: MobileInventoryUpdates,
        gate: ConfirmationGate,
        limits: DispatchLimits,
        history: PolicyHistory,
        schedule: CheckInSchedule,
        clock: Clock,
        inventory_policy: InventoryPolicyChoice = InventoryPolicyChoice(),
    ) -> None:
        self._history = history
        self._schedule = schedule
        self._clock = clock
        self._inventory = inventory
        self._policies = policies
        self._dispatcher = dispatcher
        self._mobile_updates = mobile_updates
        self._gate = gate
        self._limits = limits
        self._inventory_policy = inventory_policy

    async def prepare(
        self, request: UpdateInventoryRequest, principal: Principal
    ) -> PreparedAction:
        """Resolve or select the devices (and the inventory policy) into the action to confirm."""
        require(principal, self.required_scopes)
        kinds = request.device_type.kinds
        notes: list[str] = []
        if request.device_identifiers:
            devices = await resolve_devices(self._inventory, request.device_identifiers, kinds)
        else:
            if request.query.is_everything and not request.all_devices:
                raise InvalidRequest(
                    "Name the devices (deviceIds), or select them by department, building or "
                    "searchTerm; to update every device, say allDevices: true."
                )
            devices = await self._select(request.query, kinds)
            unmanaged = [d for d in devices if d.managed is False]
            if unmanaged:
                devices = [d for d in devices if d.managed is not False]
                notes.append(
                    f"{len(unmanaged)} matching device(s) are not managed and are left out "
                    f"({', '.join(d.identity.name for d in unmanaged[:5])}"
                    f"{' …' if len(unmanaged) > 5 else ''})."
                )
            if not devices:
                raise InvalidRequest("No managed device matches these criteria.")
        targets = tuple(ActionTarget.from_device(device) for device in devices)
        computers = [t for t in targets if t.kind is DeviceKind.COMPUTER]
        mobiles = [t for t in targets if t.kind is DeviceKind.MOBILE]
        if not computers:
            action = GatedAction(ActionKind.UPDATE_INVENTORY, targets)
            return PreparedAction(action, tuple(notes))
        choice = self._inventory_policy
        found = await find_policy(self._policies, choice.policy_id, choice.policy_name)
        check_runnable(found)
        why = ""
        try:
            planning = await plan_run(
                found,
                computers,
                history=self._history,
                schedule=self._schedule,
                clock=self._clock,
                flush=request.flush_computer_logs,
            )
        except InvalidRequest as refused:
            if not mobiles:
                raise
            planning, why = None, refused.message  # no computer can run it now; mobiles can
        queued = [plan.target for plan in planning.queued] if planning else []
        parameters = run_parameters(planning) if planning else {}
        action = GatedAction(
            ActionKind.UPDATE_INVENTORY,
            tuple(queued + mobiles),
            parameters,
            policy=found.ref if queued else None,
        )
        extra = (
            planning.notes()
            if planning
            else (
                f"Only the mobile devices are asked: no computer can run '{found.name}' now. "
                + why.removeprefix("Nothing was done. "),
            )
        )
        return PreparedAction(action, (*notes, *extra))

    async def _select(self, query: DeviceQuery, kinds: Sequence[DeviceKind]) -> list[Device]:
        limit = self._limits.max_targets
        devices: list[Device] = []
        for kind in kinds:
            async for device in self._inventory.stream(kind, query, aspects=IDENTITY_ASPECTS):
                devices.append(device)
                if len(devices) > limit:
                    raise InvalidRequest(
                        f"More than {limit} devices match; narrow the selection "
                        "(department, building or searchTerm)."
                    )
        if not devices:
            raise InvalidRequest("No device matches these criteria.")
        return devices

    async def execute(
        self,
        request: UpdateInventoryRequest,
        principal: Principal,
        confirmation: ConfirmationInput,
        progress: ProgressSink,
        cancellation: Cancellation,
    ) -> GatedOutcome:
        """Prepare, get (or check) the confirmation, then request inventory from every device."""
        prepared = await self.prepare(request, principal)
        action = prepared.action
        ledger = DispatchLedger(action.targets)
        pacer = ProgressPacer(progress, len(action.targets), self._limits.heartbeat_seconds)
        computers = tuple(t for t in action.targets if t.kind is DeviceKind.COMPUTER)
        mobiles = tuple(t for t in action.targets if t.kind is DeviceKind.MOBILE)

        async def work(record_id: str) -> Dispatched:
            notes: tuple[str, ...] = ()
            async with heartbeat(pacer, ledger):
                if computers:
                    plan = run_plan(action, computers)
                    notes = await self._dispatcher.queue(
                        plan, ledger, pacer, cancellation, record_id
                    )
                if mobiles:
                    await dispatch_in_chunks(
                        ledger,
                        mobiles,
                        self._request_mobile_chunk,
                        limits=self._limits,
                        pacer=pacer,
                        cancellation=cancellation,
                    )
            return Dispatched(ledger.results(), notes, cancelled=cancellation.cancelled)

        return await self._gate.run(prepared, principal, confirmation, work, ledger.results)

    async def _request_mobile_chunk(self, chunk: Sequence[ActionTarget]) -> list[DeviceResult]:
        results = []
        for target in chunk:
            try:
                await self._mobile_updates.request_update(target.jamf_id)
            except JamfMcpError as error:
                results.extend(results_for_error([target], error, "the MDM inventory request"))
                continue
            results.append(
                result_for(
                    target,
                    OutcomeStatus.QUEUED,
                    "inventory requested through MDM; the device reports when it next "
                    "contacts Apple's push service",
                )
            )
        return results
