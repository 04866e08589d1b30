"""Use case: which computers break the check-in rule (and any extra rules), grouped by severity."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.domain.compliance import (
    CheckInRule,
    ComplianceReport,
    ComplianceRule,
    FileVaultRule,
    FreeDiskRule,
    MinimumOsRule,
    SecurityFeatureRule,
    Severity,
    build_report,
)
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect, SortKey
from jamf_mcp.domain.versions import OsVersion

# The report names each device by name, serial (a hardware fact in Jamf) and user.
REPORT_ASPECTS = frozenset(
    {InventoryAspect.GENERAL, InventoryAspect.HARDWARE, InventoryAspect.USER_AND_LOCATION}
)


@attrs.frozen
class ComplianceRequest:
    """Which rules to check, and optionally for which department only."""

    days_since_last_checkin: int = 30
    critical_after_days: int = 90
    minimum_os_version: OsVersion | None = None
    require_filevault: bool = False
    require_sip: bool = False
    require_gatekeeper: bool = False
    require_firewall: bool = False
    minimum_free_disk_gb: float | None = None
    department: str | None = None

    def rules(self) -> tuple[ComplianceRule, ...]:
        """The rules this request asks for, the check-in rule first."""
        rules: list[ComplianceRule] = [
            CheckInRule(self.days_since_last_checkin, self.critical_after_days)
        ]
        if self.minimum_os_version is not None:
            rules.append(MinimumOsRule(self.minimum_os_version))
        if self.require_filevault:
            rules.append(FileVaultRule())
        if self.require_sip:
            rules.append(SecurityFeatureRule("sip", Severity.CRITICAL))
        if self.require_gatekeeper:
            rules.append(SecurityFeatureRule("gatekeeper", Severity.WARNING))
        if self.require_firewall:
            rules.append(SecurityFeatureRule("firewall", Severity.WARNING))
        if self.minimum_free_disk_gb is not None:
            rules.append(FreeDiskRule(self.minimum_free_disk_gb))
        return tuple(rules)


class CheckDeviceCompliance:
    """Check computers against compliance rules.

    Rules:
    - Needs `read:jamf`.
    - The fleet total is counted by Jamf, never by downloading the fleet.
    - With only the check-in rule, Jamf is asked for the stale computers alone (filtered and
      sorted server-side); other rules cannot be filtered in Jamf, so the fleet is streamed page by
      page and each computer is evaluated and dropped (memory stays flat).
    - A computer last seen `critical_after_days` ago or more is critical; otherwise a warning.
    """

    required_scopes = READ

    def __init__(self, inventory: DeviceInventory, clock: Clock) -> None:
        self._inventory = inventory
        self._clock = clock

    async def execute(self, request: ComplianceRequest, principal: Principal) -> ComplianceReport:
        """Build the compliance report for the current moment."""
        require(principal, self.required_scopes)
        now = self._clock.now()
        rules = request.rules()
        scope = DeviceQuery(department=request.department)
        check_in = rules[0]
        assert isinstance(check_in, CheckInRule)
        if len(rules) == 1:
            stale_query = attrs.evolve(scope, checked_in_before=check_in.cutoff(now))
            total, stale = await asyncio.gather(
                self._inventory.count(DeviceKind.COMPUTER, scope),
                self._collect(stale_query, REPORT_ASPECTS),
            )
            return build_report(total, stale, rules, now)
        aspects = REPORT_ASPECTS.union(*(rule.aspects for rule in rules))
        tally = _StreamingEvaluation(rules)
        async for device in self._inventory.stream(DeviceKind.COMPUTER, scope, aspects=aspects):
            tally.add(device, now)
        return build_report(tally.total, tally.failing, rules, now)

    async def _collect(
        self, query: DeviceQuery, aspects: frozenset[InventoryAspect]
    ) -> list[Device]:
        return [
            device
            async for device in self._inventory.stream(
                DeviceKind.COMPUTER, query, aspects=aspects, sort=SortKey.LAST_CHECK_IN_OLDEST_FIRST
            )
        ]


@attrs.define
class _StreamingEvaluation:
    """Counts every device but keeps only those that break a rule."""

    rules: Sequence[ComplianceRule]
    total: int = 0
    failing: list[Device] = attrs.field(factory=list)

    def add(self, device: Device, now: datetime) -> None:
        self.total += 1
        if any(rule.evaluate(device, now) is not None for rule in self.rules):
            self.failing.append(device)
