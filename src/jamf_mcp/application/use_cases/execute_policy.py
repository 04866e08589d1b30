"""Use case: run a policy on chosen computers, once the person confirmed exactly that."""

from __future__ import annotations

import attrs

from jamf_mcp.application.authorization import WRITE, require
from jamf_mcp.application.bulk_dispatch import (
    DispatchLedger,
    DispatchLimits,
    ProgressPacer,
    heartbeat,
)
from jamf_mcp.application.confirmation_gate import (
    ConfirmationGate,
    ConfirmationInput,
    Dispatched,
    GatedOutcome,
    PreparedAction,
)
from jamf_mcp.application.device_resolution import resolve_devices
from jamf_mcp.application.policy_dispatch import PolicyDispatcher, PolicyRunPlan
from jamf_mcp.application.policy_resolution import find_policy
from jamf_mcp.application.policy_run_planning import RunPlanning, plan_run
from jamf_mcp.application.ports.call_control import Cancellation, ProgressSink
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.application.ports.jamf_policies import CheckInSchedule, PolicyCatalogue, PolicyHistory
from jamf_mcp.domain.actions import (
    CHECK_IN_MINUTES,
    FLUSH_LOGS_OF,
    ActionKind,
    ActionTarget,
    GatedAction,
)
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import InvalidRequest
from jamf_mcp.domain.policies import Policy
from jamf_mcp.domain.principal import Principal

MAX_WAIT_SECONDS = 300
MAX_WAIT_DEVICES = 100


@attrs.frozen
class ExecutePolicyRequest:
    """Which policy on which computers; optionally how long to wait for them to run it."""

    device_identifiers: tuple[str, ...]
    policy_id: int | None = None
    policy_name: str | None = None
    wait_seconds: int = attrs.field(
        default=0, validator=attrs.validators.in_(range(MAX_WAIT_SECONDS + 1))
    )
    flush_computer_logs: bool = False


def run_parameters(planning: RunPlanning) -> dict[str, str]:
    """The planned run's facts that the confirmation covers: timing basis and computers flushed."""
    parameters = {CHECK_IN_MINUTES: str(planning.check_in.frequency_minutes)}
    flushed = sorted((p.target.jamf_id for p in planning.flushed), key=lambda i: (len(i), i))
    if flushed:
        parameters[FLUSH_LOGS_OF] = ",".join(flushed)
    return parameters


def run_plan(action: GatedAction, targets: tuple[ActionTarget, ...]) -> PolicyRunPlan:
    """The dispatcher's plan for a confirmed action's computers."""
    assert action.policy is not None
    flush = frozenset(i for i in (action.parameter(FLUSH_LOGS_OF) or "").split(",") if i)
    return PolicyRunPlan(action.policy, targets, flush)


def check_runnable(policy: Policy) -> None:
    """Refuse a policy that would never run through the check-in mechanism."""
    if not policy.enabled:
        raise InvalidRequest(
            f"Policy '{policy.name}' (id {policy.policy_id}) is disabled in Jamf Pro, so it "
            "would not run. Enable it in Jamf Pro first."
        )
    if not policy.runs_at_check_in:
        triggers = ", ".join(policy.triggers) or "none"
        raise InvalidRequest(
            f"Policy '{policy.name}' (id {policy.policy_id}) does not run at recurring check-in "
            f"(its triggers: {triggers}). Jamf Pro has no API that runs a policy immediately; "
            "only check-in policies can be queued for a computer."
        )


class ExecutePolicy:
    """Queue a policy on computers through Jamf's check-in mechanism.

    Rules:
    - Needs `write:jamf`, and the person's confirmation of exactly this policy on exactly these
      computers (see `ConfirmationGate`).
    - The policy is named by id, or by a name that matches exactly one policy; it must be
      enabled and triggered by recurring check-in (Jamf cannot run anything else on demand).
    - Devices are named by id, serial or name; policies run on computers only.
    - The policy's frequency is checked against each computer's policy log: Ongoing, never
      run, or past its period → queued (it runs at the next check-in; the summary gives the
      tenant's check-in frequency). A once-per policy that already ran → left out, and the
      summary says when it ran and offers Jamf's only choices: nothing, or (with
      `flush_computer_logs`) flush ALL policy logs of that computer — spelled out and confirmed.
    - The run is queued (dedicated scope group; no blank push) and tracked until each computer
      ran or expired; with `wait_seconds` the computers' policy logs are watched for up to that
      long (at most 100 computers).
    """

    required_scopes = WRITE

    def __init__(
        self,
        inventory: DeviceInventory,
        policies: PolicyCatalogue,
        dispatcher: PolicyDispatcher,
        gate: ConfirmationGate,
        clock: Clock,
        limits: DispatchLimits,
        history: PolicyHistory,
        schedule: CheckInSchedule,
    ) -> None:
        self._inventory = inventory
        self._policies = policies
        self._history = history
        self._schedule = schedule
        self._dispatcher = dispatcher
        self._gate = gate
        self._clock = clock
        self._limits = limits

    async def prepare(self, request: ExecutePolicyRequest, principal: Principal) -> PreparedAction:
        """Resolve the policy and the computers into the action to confirm (nothing is sent)."""
        require(principal, self.required_scopes)
        policy = await find_policy(self._policies, request.policy_id, request.policy_name)
        check_runnable(policy)
        devices = await resolve_devices(
            self._inventory, request.device_identifiers, (DeviceKind.COMPUTER,)
        )
        if len(devices) > self._limits.max_targets:
            raise InvalidRequest(
                f"{len(devices)} computers is more than one action may name "
                f"({self._limits.max_targets})."
            )
        if request.wait_seconds and len(devices) > MAX_WAIT_DEVICES:
            raise InvalidRequest(
                f"waitSeconds can watch at most {MAX_WAIT_DEVICES} computers; leave it out and "
                "check the computers' history later."
            )
        targets = tuple(ActionTarget.from_device(device) for device in devices)
        planning = await plan_run(
            policy,
            targets,
            history=self._history,
            schedule=self._schedule,
            clock=self._clock,
            flush=request.flush_computer_logs,
        )
        action = GatedAction(
            ActionKind.EXECUTE_POLICY,
            tuple(plan.target for plan in planning.queued),
            run_parameters(planning),
            policy=policy.ref,
        )
        return PreparedAction(action, planning.notes())

    async def execute(
        self,
        request: ExecutePolicyRequest,
        principal: Principal,
        confirmation: ConfirmationInput,
        progress: ProgressSink,
        cancellation: Cancellation,
    ) -> GatedOutcome:
        """Prepare, get (or check) the confirmation, then queue the run and report per computer."""
        prepared = await self.prepare(request, principal)
        action = prepared.action
        plan = run_plan(action, action.targets)
        ledger = DispatchLedger(action.targets)
        total = len(action.targets) * (2 if request.wait_seconds else 1)
        pacer = ProgressPacer(progress, total, self._limits.heartbeat_seconds)

        async def work(record_id: str) -> Dispatched:
            since = self._clock.now()
            async with heartbeat(pacer, ledger):
                notes = await self._dispatcher.queue(plan, ledger, pacer, cancellation, record_id)
                if request.wait_seconds:
                    await self._dispatcher.wait_for_runs(
                        plan, ledger, since, request.wait_seconds, pacer, cancellation
                    )
            return Dispatched(ledger.results(), notes, cancelled=cancellation.cancelled)

        return await self._gate.run(prepared, principal, confirmation, work, ledger.results)
