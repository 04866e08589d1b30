"""Use case: which computers break the check-in rule (and any extra rules), grouped by severity."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.application.ports.paging import Page
from jamf_mcp.domain.compliance import (
    CheckInRule,
    ComplianceReport,
    ComplianceRule,
    ComplianceSummary,
    DeviceCompliance,
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


MAX_LIMIT = 500


@attrs.frozen(kw_only=True)
class ComplianceRequest:
    """Which rules to check, optionally for one department only, and which page of the report.

    The thresholds and the page size have no default: they are the caller's choice (the MCP
    tool's schema holds the tool's). The other fields default to "not asked for" and "the
    first page" (ADR 0042).
    """

    days_since_last_checkin: int
    critical_after_days: int
    limit: int = attrs.field(validator=attrs.validators.in_(range(1, MAX_LIMIT + 1)))
    require_filevault: bool = False
    require_sip: bool = False
    require_gatekeeper: bool = False
    require_firewall: bool = False
    minimum_os_version: OsVersion | None = None
    minimum_free_disk_gb: float | None = None
    department: str | None = None
    offset: int = attrs.field(default=0, validator=attrs.validators.ge(0))

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


@attrs.frozen
class CompliancePage:
    """The whole report's figures, and one page of its non-compliant computers, worst first.

    `devices.total` is the number of non-compliant computers; `devices.next_offset` is where
    the next page starts (None on the last).
    """

    summary: ComplianceSummary
    devices: Page[DeviceCompliance]


class CheckDeviceCompliance:
    """Check computers against compliance rules.

    Rules:
    - Needs `read:jamf`.
    - The fleet total is counted by Jamf, never by downloading the fleet.
    - With only the check-in rule, Jamf is asked for the stale computers alone (filtered and
      sorted server-side); other rules cannot be filtered in Jamf, so the fleet is streamed page by
      page and each computer is evaluated and dropped (memory stays flat).
    - A computer last seen `critical_after_days` ago or more is critical; otherwise a warning.
    - The figures cover every non-compliant computer; the rows are the page `offset`/`limit`
      asks for, in report order (worst first).
    """

    required_scopes = READ

    def __init__(self, inventory: DeviceInventory, clock: Clock) -> None:
        self._inventory = inventory
        self._clock = clock

    async def execute(self, request: ComplianceRequest, principal: Principal) -> CompliancePage:
        """Build the compliance report for the current moment; return its figures and a page."""
        require(principal, self.required_scopes)
        report = await self._report(request)
        rows = report.devices[request.offset : request.offset + request.limit]
        return CompliancePage(report.summary(), Page(rows, report.noncompliant, request.offset))

    async def _report(self, request: ComplianceRequest) -> ComplianceReport:
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
