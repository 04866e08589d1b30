"""The Jamf prompts: compliance review, device troubleshooting and a staged policy rollout."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from jamf_mcp.adapters.mcp.prompts import (
    InvalidPromptArgument,
    PromptArgument,
    PromptDefinition,
    PromptMethods,
)
from jamf_mcp.adapters.mcp_jamf.jamf_resources import COMPLIANCE_DAYS

COMPLIANCE_REVIEW = "compliance-review"
TROUBLESHOOT_DEVICE = "troubleshoot-device"
ROLLOUT_POLICY = "rollout-policy"

DEFAULT_DAYS = COMPLIANCE_DAYS
"""The compliance report resource's days, so the default review is that report."""
MAX_DAYS = 3650
DAYS_SUGGESTIONS = (7, 14, 30, 60, 90)
ALL_TARGET = "all"

_DIGITS = re.compile(r"[0-9]{1,19}")

CONFIRMATION = (
    "Every action changes devices and needs my confirmation: the client asks me directly, or "
    "the tool returns status confirmation_required with a summary and a confirmationToken — "
    "show me that summary word for word, wait for my explicit yes, and only then call the tool "
    "again with exactly the same arguments plus the token. Never invent or reuse a token."
)


def quoted(value: str) -> str:
    """A value as a JSON string, so quotes inside it cannot end it early."""
    return json.dumps(value, ensure_ascii=False)


def _days(arguments: Mapping[str, str]) -> int:
    raw = arguments.get("days", str(DEFAULT_DAYS))
    if not _DIGITS.fullmatch(raw) or not 1 <= int(raw) <= MAX_DAYS:
        raise InvalidPromptArgument(
            f"'days' must be a whole number of days from 1 to {MAX_DAYS}, e.g. 30."
        )
    return int(raw)


def compliance_review(arguments: Mapping[str, str]) -> str:
    """The compliance-review message."""
    days = _days(arguments)
    resource = (
        " (the same report is the resource jamf://reports/compliance)"
        if days == DEFAULT_DAYS
        else ""
    )
    return (
        "Review the compliance of our Mac fleet in Jamf Pro with the jamf-mcp tools. A computer "
        f"is non-compliant when it has not checked in for more than {days} days.\n\n"
        f"1. Call checkDeviceCompliance with daysSinceLastCheckin={days}{resource}; pass "
        "nextCursor back until you have every non-compliant computer.\n"
        "2. Call getFleetSummary for context: fleet size, check-in age, departments.\n"
        "3. Summarise: compliant versus non-compliant, critical versus warning, the most "
        "affected departments, and the 10 computers not seen the longest (name, serial, user, "
        "days since check-in).\n"
        "4. For up to three of the worst, call getDeviceDetails and say what stands out (OS "
        "version, FileVault, last inventory update).\n"
        "5. Suggest next steps, e.g. updateInventory for computers that may just need a fresh "
        "report, or contacting their users. Do not run updateInventory, executePolicy or "
        f"sendMdmCommand on your own. {CONFIRMATION}"
    )


def troubleshoot_device(arguments: Mapping[str, str]) -> str:
    """The troubleshoot-device message."""
    device = quoted(arguments["device"])
    return (
        f"Help me troubleshoot the device {device} managed in Jamf Pro, with the jamf-mcp "
        "tools.\n\n"
        f"1. Call getDeviceDetails with deviceIdentifier={device}. If several devices match, "
        "show me the candidates and ask which one I mean; if none does, call searchDevices with "
        f"searchTerm={device} to find it.\n"
        "2. Check what usually explains problems: the last check-in and the last inventory "
        "update (a silent device gets no policies or commands), its OS version against the rest "
        "of the fleet (getFleetSummary), FileVault, System Integrity Protection, Gatekeeper, "
        "firewall, free disk space, and whether it is managed.\n"
        "3. If a policy is involved, use listPolicies and getPolicyDetails to see whether the "
        "device is in its scope and how it runs.\n"
        "4. Tell me what you found, most likely cause first, and what you would do. Possible "
        "actions: updateInventory (a fresh inventory report), executePolicy (a policy at the "
        "next check-in), sendMdmCommand (e.g. restart), then getCommandStatus to follow a "
        f"command. {CONFIRMATION} Never lock or erase the device unless I ask for exactly that."
    )


def _target_step(target: str) -> str:
    if target.casefold() == ALL_TARGET:
        return (
            "The target is every computer: call getFleetSummary for the count and searchDevices "
            "with deviceType computer for the list (pass nextCursor back for more)."
        )
    quoted_target = quoted(target)
    return (
        f"{quoted_target} is a department or a device: call searchDevices with "
        f"department={quoted_target} and deviceType computer (an unknown department is "
        "reported with the list of known ones); if it is not a department, call "
        f"getDeviceDetails with deviceIdentifier={quoted_target} — that one computer is then "
        "both the pilot and the whole rollout. Policies run on computers only."
    )


def rollout_policy(arguments: Mapping[str, str]) -> str:
    """The rollout-policy message."""
    policy, target = arguments["policy"], arguments["target"]
    by = f"policyId={policy}" if _DIGITS.fullmatch(policy) else f"policyName={quoted(policy)}"
    audience = "every computer" if target.casefold() == ALL_TARGET else quoted(target)
    return (
        f"Help me roll out the Jamf Pro policy {quoted(policy)} to {audience} in stages, with "
        "the jamf-mcp tools.\n\n"
        f"1. Call getPolicyDetails with {by}. Check that it is enabled and runs at check-in "
        "(executePolicy can only queue such policies), its frequency, packages, scripts and "
        "current scope, and tell me if anything looks risky.\n"
        f"2. Work out the target computers. {_target_step(target)}\n"
        "3. Pilot first: pick one representative computer of the target that checked in "
        "recently (ask me if unsure) and call executePolicy for that deviceIdentifier alone; it "
        "runs at that computer's next check-in (the summary gives the check-in frequency), so "
        "follow it with getActionStatus and the auditRecordId until it ran.\n"
        "4. Only if the pilot succeeded, go broader in steps: a small batch (about 10% of the "
        "target, at most 20 computers), check its results, then the rest (deviceIdentifiers "
        "takes up to 1000 computers per call). Stop and ask me when a computer fails.\n"
        f"5. {CONFIRMATION} Each stage is its own action with its own confirmation.\n"
        "6. At the end, report per stage how many computers ran, failed or are still queued "
        "(getActionStatus)."
    )


def jamf_prompts() -> list[PromptDefinition]:
    """The three prompts, in listing order."""
    return [
        PromptDefinition(
            COMPLIANCE_REVIEW,
            "Review fleet compliance",
            "Review which computers have not checked in with Jamf Pro recently, how bad it is "
            "and what to do about it.",
            (
                PromptArgument(
                    "days",
                    "Days without check-in",
                    f"A computer not seen for more than this many days is non-compliant "
                    f"(default {DEFAULT_DAYS}), e.g. 30.",
                ),
            ),
            compliance_review,
        ),
        PromptDefinition(
            TROUBLESHOOT_DEVICE,
            "Troubleshoot a device",
            "Look into one device's problems: check-in, inventory, OS, security, disk and "
            "policies, with suggested (confirmed) fixes.",
            (
                PromptArgument(
                    "device",
                    "Device",
                    "The device's name, serial number, asset tag or Jamf id, e.g. MAC-123.",
                    required=True,
                ),
            ),
            troubleshoot_device,
        ),
        PromptDefinition(
            ROLLOUT_POLICY,
            "Roll out a policy",
            "Run a Jamf Pro policy on a pilot computer first, then on more computers in steps, "
            "each step confirmed by you.",
            (
                PromptArgument(
                    "policy",
                    "Policy",
                    "The policy's name or Jamf id, e.g. Install Google Chrome.",
                    required=True,
                ),
                PromptArgument(
                    "target",
                    "Target",
                    'A computer (name, serial or id), a department, or "all" for every computer.',
                    required=True,
                ),
            ),
            rollout_policy,
        ),
    ]


def jamf_prompt_methods() -> PromptMethods:
    """The prompt methods over the Jamf prompts."""
    return PromptMethods(jamf_prompts())
