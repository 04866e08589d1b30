"""Simulated jamf-binary check-ins: due Macs check in and run their check-in policies by frequency."""

from __future__ import annotations

from typing import Any

import attrs

from jamf_mcp.simulator.clock import MS_PER_DAY, MS_PER_SECOND
from jamf_mcp.simulator.mdm_commands import acknowledge_pending
from jamf_mcp.simulator.mobile_commands import complete_inventory_updates
from jamf_mcp.simulator.records import ComputerRecord
from jamf_mcp.simulator.tenant import Tenant

_REPEAT_MS = {
    "Once every day": MS_PER_DAY,
    "Once every week": 7 * MS_PER_DAY,
    "Once every month": 30 * MS_PER_DAY,
    "Ongoing": 0,
}


@attrs.frozen
class TickReport:
    """What one ``tick`` did."""

    check_ins: int
    policy_runs: int
    now_ms: int
    commands_acknowledged: int = 0
    inventory_updates: int = 0


def is_due(policy: dict[str, Any], last_run_ms: int | None, now_ms: int) -> bool:
    """Whether a policy's ``frequency`` lets it run again now."""
    if last_run_ms is None:
        return True
    repeat = _REPEAT_MS.get(policy["general"]["frequency"])
    if repeat is None:  # the "Once per …" family
        return False
    return now_ms - last_run_ms >= repeat


def run_checkins(tenant: Tenant, seconds: float) -> TickReport:
    """Advance the clock by ``seconds``; every online Mac whose check-in is due checks in now.

    A Mac is due once the tenant's check-in frequency (``options.check_in_frequency_minutes``)
    has passed since its last contact; nothing else makes it check in early. Offline Macs (the stale ones, and those that had not checked
    in for a day at start-up) stay silent, so they keep ageing. A check-in bumps
    ``lastContactTime``; each enabled ``trigger_checkin`` policy in scope runs if its frequency
    allows, writing a policy log, and ``maintenance.recon`` also bumps ``reportDate``. Pending
    MDM commands and mobile inventory requests of reachable devices are answered first.
    """
    tenant.clock.advance(seconds)
    now = tenant.now_ms()
    acknowledged = acknowledge_pending(tenant, now)
    inventory_updates = complete_inventory_updates(tenant, now)
    interval_ms = int(tenant.options.check_in_interval_seconds * MS_PER_SECOND)
    policies = [
        p
        for p in tenant.policies.values()
        if p["general"]["enabled"] and p["general"]["trigger_checkin"]
    ]
    check_ins = runs = 0
    for rec in tenant.computers:
        if not rec.online or not rec.managed:
            continue
        due = rec.last_contact is None or now - rec.last_contact >= interval_ms
        if not due:
            continue
        check_ins += 1
        rec.last_contact = now
        runs += _run_policies(tenant, policies, rec, now)
    if check_ins:
        tenant.touch()
    return TickReport(check_ins, runs, now, acknowledged, inventory_updates)


def _run_policies(
    tenant: Tenant, policies: list[dict[str, Any]], rec: ComputerRecord, now: int
) -> int:
    runs = 0
    for policy in policies:
        last = tenant.last_run.get((policy["general"]["id"], rec.id))
        if not is_due(policy, last, now) or not tenant.in_scope(policy, rec, now):
            continue
        tenant.record_run(policy, rec, now)
        runs += 1
        if policy["maintenance"].get("recon"):
            rec.report = now
    return runs
