"""Use case: send an MDM command (lock, restart, erase, Lost Mode, …) to devices, once confirmed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from jamf_mcp.application.authorization import WRITE, require
from jamf_mcp.application.bulk_dispatch import (
    DispatchLedger,
    DispatchLimits,
    ProgressPacer,
    dispatch_in_chunks,
    heartbeat,
    result_for,
)
from jamf_mcp.application.confirmation_gate import (
    ConfirmationGate,
    ConfirmationInput,
    Dispatched,
    GatedOutcome,
    PreparedAction,
)
from jamf_mcp.application.device_resolution import resolve_devices
from jamf_mcp.application.ports.call_control import Cancellation, ProgressSink
from jamf_mcp.application.ports.jamf_commands import ManagementCommands
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.audit import DeviceResult, OutcomeStatus
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import DeviceNotFound, InvalidRequest, JamfMcpError
from jamf_mcp.domain.mdm import MDM_COMMANDS
from jamf_mcp.domain.principal import Principal

_TYPED_FIELDS = {"notifyUser", "preserveDataPlan", "disallowProximitySetup"}


@attrs.frozen
class SendMdmCommandRequest:
    """The command, its optional fields (Jamf's names, as text) and the devices."""

    command: str
    device_identifiers: tuple[str, ...]
    fields: Mapping[str, str] = attrs.field(factory=dict)


def _command_data(fields: Mapping[str, str]) -> dict[str, object]:
    """Jamf's `commandData` fields: booleans where Jamf expects booleans."""
    return {
        key: (value == "true") if key in _TYPED_FIELDS else value for key, value in fields.items()
    }


class SendMdmCommand:
    """Queue an MDM command for devices, addressed by their `managementId`.

    Rules:
    - Needs `write:jamf` and the person's confirmation of exactly this command, with these
      fields, on these devices (see `ConfirmationGate`).
    - Only the commands in `MDM_COMMANDS`, on the device families each suits, with the fields
      each needs (a Mac lock needs a 6-digit pin; Lost Mode needs a message or phone number).
    - Every device must be managed (have a `managementId`); problems are refused before the
      person is asked.
    - Commands are sent once and never retried; each device gets its command uuid (for
      getCommandStatus), or failed/unknown with the reason.
    """

    required_scopes = WRITE

    def __init__(
        self,
        inventory: DeviceInventory,
        commands: ManagementCommands,
        gate: ConfirmationGate,
        limits: DispatchLimits,
    ) -> None:
        self._inventory = inventory
        self._commands = commands
        self._gate = gate
        self._limits = limits

    async def prepare(self, request: SendMdmCommandRequest, principal: Principal) -> PreparedAction:
        """Check the command and resolve the devices into the action to confirm."""
        require(principal, self.required_scopes)
        spec = MDM_COMMANDS.get(request.command)
        if spec is None:
            raise InvalidRequest(
                f"{request.command!r} is not a command this server sends. Choose one of: "
                f"{', '.join(MDM_COMMANDS)}."
            )
        try:
            devices = await resolve_devices(self._inventory, request.device_identifiers, spec.kinds)
        except (DeviceNotFound, InvalidRequest):
            await self._refuse_other_family(request, spec.kinds, spec.name)
            raise
        kinds = frozenset(device.kind for device in devices)
        problems = spec.problems(kinds, request.fields)
        unmanaged = [d.identity.name for d in devices if not d.identity.management_id]
        if unmanaged:
            problems.append(
                f"Not managed through MDM (no managementId): {', '.join(unmanaged[:10])}."
            )
        if len(devices) > self._limits.max_targets:
            problems.append(f"At most {self._limits.max_targets} devices per command.")
        if problems:
            raise InvalidRequest(" ".join(problems))
        targets = tuple(ActionTarget.from_device(device) for device in devices)
        parameters = {"command": spec.name, **request.fields}
        return PreparedAction(GatedAction(ActionKind.MDM_COMMAND, targets, parameters))

    async def _refuse_other_family(
        self, request: SendMdmCommandRequest, kinds: frozenset[DeviceKind], command: str
    ) -> None:
        """Say so when the devices exist but are of a family the command does not suit."""
        others = frozenset(DeviceKind) - kinds
        if not others:
            return
        try:
            await resolve_devices(self._inventory, request.device_identifiers, others)
        except JamfMcpError:
            return
        families = "computers" if DeviceKind.COMPUTER in others else "mobile devices"
        raise InvalidRequest(f"{command} cannot be sent to {families}.")

    async def execute(
        self,
        request: SendMdmCommandRequest,
        principal: Principal,
        confirmation: ConfirmationInput,
        progress: ProgressSink,
        cancellation: Cancellation,
    ) -> GatedOutcome:
        """Prepare, get (or check) the confirmation, then queue the command per device."""
        prepared = await self.prepare(request, principal)
        action = prepared.action
        ledger = DispatchLedger(action.targets)
        pacer = ProgressPacer(progress, len(action.targets), self._limits.heartbeat_seconds)
        data = _command_data(request.fields)
        command = action.parameter("command") or request.command

        async def send(chunk: Sequence[ActionTarget]) -> list[DeviceResult]:
            refs = await self._commands.send(command, [t.management_id or "" for t in chunk], data)
            by_device = {ref.management_id: ref.uuid for ref in refs if ref.management_id}
            results = []
            for target in chunk:
                uuid = by_device.get(target.management_id or "")
                detail = (
                    "queued in Jamf Pro; the device acts when it next contacts Apple's push service"
                )
                results.append(result_for(target, OutcomeStatus.QUEUED, detail, uuid))
            return results

        async def work(_record_id: str) -> Dispatched:
            async with heartbeat(pacer, ledger):
                for kind in (DeviceKind.COMPUTER, DeviceKind.MOBILE):
                    same_kind = tuple(t for t in action.targets if t.kind is kind)
                    if same_kind:
                        await dispatch_in_chunks(
                            ledger,
                            same_kind,
                            send,
                            limits=self._limits,
                            pacer=pacer,
                            cancellation=cancellation,
                        )
            return Dispatched(ledger.results(), cancelled=cancellation.cancelled)

        return await self._gate.run(prepared, principal, confirmation, work, ledger.results)
