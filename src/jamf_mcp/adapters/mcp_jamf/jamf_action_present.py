"""Outcomes of device-changing use cases as the tool results a client (and its model) reads."""

from __future__ import annotations

from collections import Counter
from typing import Any

from jamf_mcp.adapters.mcp.tools import ToolResult
from jamf_mcp.adapters.mcp_jamf.jamf_tools_present import timestamp
from jamf_mcp.application.confirmation_gate import (
    ActionReport,
    ConfirmationRequired,
    GatedOutcome,
    NotConfirmed,
)
from jamf_mcp.application.ports import ConfirmationAnswer
from jamf_mcp.application.use_cases import CommandStatusReport
from jamf_mcp.domain.actions import ActionTarget
from jamf_mcp.domain.audit import DeviceResult, OutcomeStatus
from jamf_mcp.domain.policy_runs import DeviceRunState, TrackedPolicyRun

MAX_LISTED_SUCCESSES = 50
"""Successful devices listed one by one; failures, unknowns and unsent ones are always listed."""

_SUCCESS = (OutcomeStatus.QUEUED, OutcomeStatus.COMPLETED)
_PER_DEVICE = (
    OutcomeStatus.QUEUED,
    OutcomeStatus.COMPLETED,
    OutcomeStatus.FAILED,
    OutcomeStatus.UNKNOWN,
    OutcomeStatus.NOT_SENT,
)


def outcome_result(outcome: GatedOutcome, tool: str) -> ToolResult:
    """The tool result for an outcome of a gated use case (an approval link is presented by
    `approval_links.approval_required_result`, which knows the page's address)."""
    if isinstance(outcome, ConfirmationRequired):
        return _confirmation_required(outcome, tool)
    if isinstance(outcome, NotConfirmed):
        return _not_confirmed(outcome)
    if not isinstance(outcome, ActionReport):
        raise TypeError("an approval outcome needs the approval page's address")
    return _report(outcome)


def _confirmation_required(outcome: ConfirmationRequired, tool: str) -> ToolResult:
    message = outcome.prepared.message
    expires = timestamp(outcome.expires_at)
    text = (
        "Nothing has been done yet. Show the user this summary word for word and ask whether "
        f"to go ahead:\n\n{message}\n\nOnly if the user explicitly confirms, call {tool} again "
        "with exactly the same arguments plus "
        f"confirmationToken={outcome.token!r} (valid until {expires}, once). Never confirm on "
        "the user's behalf; if they decline, do nothing."
    )
    return ToolResult(
        structured={
            "status": "confirmation_required",
            "confirmationToken": outcome.token,
            "summary": message,
            "expiresAt": expires,
            "totalDevices": len(outcome.prepared.action.targets),
        },
        text=text,
    )


def _not_confirmed(outcome: NotConfirmed) -> ToolResult:
    declined = outcome.answer is ConfirmationAnswer.DECLINED
    timed_out = outcome.answer is ConfirmationAnswer.TIMED_OUT
    response = "decline" if declined else "timeout" if timed_out else "dismiss"
    said = "declined" if declined else "did not answer in time" if timed_out else "did not confirm"
    return ToolResult(
        structured={
            "status": "declined",
            "userResponse": response,
            "summary": outcome.prepared.message,
            "totalDevices": len(outcome.prepared.action.targets),
        },
        text=f"The user {said}; nothing was done.",
    )


def _device(target: ActionTarget, result: DeviceResult) -> dict[str, Any]:
    return {
        "id": target.jamf_id,
        "deviceType": target.kind.value,
        "name": target.name,
        "serialNumber": target.serial_number,
        "status": result.status.value,
        "detail": result.detail,
        "commandUuid": result.reference,
    }


def _report(report: ActionReport) -> ToolResult:
    targets = {(t.kind, t.jamf_id): t for t in report.prepared.action.targets}
    counts = Counter(result.status for result in report.results)
    listed: list[dict[str, Any]] = []
    successes = 0
    for result in report.results:
        target = targets.get((result.kind, result.target_id))
        if target is None:
            continue
        if result.status in _SUCCESS:
            successes += 1
            if successes > MAX_LISTED_SUCCESSES:
                continue
        listed.append(_device(target, result))
    hidden = successes - MAX_LISTED_SUCCESSES
    note = (
        f"{hidden} more successful devices are not listed; audit record {report.record_id} "
        "has every device."
        if hidden > 0
        else None
    )
    structured = {
        "status": report.status.value,
        "summary": report.prepared.message,
        "confirmedVia": report.channel.value,
        "auditRecordId": report.record_id,
        "totalDevices": len(report.results),
        "counts": {status.value: counts.get(status, 0) for status in _PER_DEVICE},
        "devices": listed,
        "devicesNote": note,
        "notes": list(report.notes),
        "cancelled": report.cancelled,
    }
    return ToolResult(structured=structured, text=_report_text(report, counts))


def _report_text(report: ActionReport, counts: Counter[OutcomeStatus]) -> str:
    parts = [
        f"{counts[status]} {status.value.replace('_', ' ')}"
        for status in _PER_DEVICE
        if counts.get(status)
    ]
    lead = f"{report.status.value.replace('_', ' ').capitalize()}: {', '.join(parts)}."
    if report.cancelled:
        lead += " The run was cancelled; devices not yet sent were left untouched."
    problems = [
        r for r in report.results if r.status in (OutcomeStatus.FAILED, OutcomeStatus.UNKNOWN)
    ]
    lines = [lead, f"Action: {report.prepared.action.summary()}"]
    for result in problems[:10]:
        lines.append(f"- device {result.target_id}: {result.status.value} — {result.detail}")
    if len(problems) > 10:
        lines.append(f"- … and {len(problems) - 10} more (see devices)")
    lines.append(f"Audit record: {report.record_id}.")
    return "\n".join(lines)


def command_status_result(report: CommandStatusReport) -> ToolResult:
    """getCommandStatus."""
    commands = [
        {
            "uuid": status.uuid,
            "state": status.state,
            "commandType": status.command_type,
            "managementId": status.management_id,
            "sentAt": timestamp(status.sent_at),
            "completedAt": timestamp(status.completed_at),
        }
        for status in report.found
    ]
    states = Counter(status.state for status in report.found)
    text = ", ".join(f"{n} {state}" for state, n in sorted(states.items())) or "no commands found"
    if report.unknown:
        text += f"; {len(report.unknown)} uuid(s) unknown to Jamf Pro"
    return ToolResult(
        structured={"commands": commands, "unknown": list(report.unknown)}, text=text + "."
    )


def action_status_result(run: TrackedPolicyRun) -> ToolResult:
    """getActionStatus."""
    counts = Counter(device.state for device in run.devices)
    devices = [
        {
            "id": device.computer_id,
            "name": device.name,
            "state": device.state.value,
            "detail": device.detail,
            "at": timestamp(device.at),
        }
        for device in run.devices
    ]
    summary = ", ".join(
        f"{counts[state]} {state.value}" for state in DeviceRunState if counts.get(state)
    )
    return ToolResult(
        structured={
            "auditRecordId": run.record_id,
            "policyId": run.policy_id,
            "policyName": run.policy_name,
            "requestedAt": timestamp(run.requested_at),
            "expiresAt": timestamp(run.expires_at),
            "counts": {state.value: counts.get(state, 0) for state in DeviceRunState},
            "devices": devices,
        },
        text=f"Policy '{run.policy_name}' (id {run.policy_id}), audit record {run.record_id}: "
        f"{summary}.",
    )
