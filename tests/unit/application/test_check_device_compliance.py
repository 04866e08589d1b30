"""checkDeviceCompliance's optional rules, each passed and failed by some Mac, through the use case."""

from __future__ import annotations

import attrs
import pytest

from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory
from jamf_mcp.application.use_cases import CheckDeviceCompliance, ComplianceRequest
from jamf_mcp.application.use_cases.check_device_compliance import CompliancePage
from jamf_mcp.domain.compliance import Severity
from jamf_mcp.domain.devices import Toggle
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.versions import OsVersion
from tests.builders import computer

CHECK_IN_ONLY = ComplianceRequest(days_since_last_checkin=30, critical_after_days=90, limit=500)
"""Warn after 30 days without a check-in, critical from 90; every row on one page."""


def _fleet() -> InMemoryDeviceInventory:
    """Five recently seen Macs, each failing at most one security or disk rule."""
    return InMemoryDeviceInventory(
        [
            computer(1, name="Clean", gatekeeper=Toggle.ENABLED),
            computer(2, name="No-SIP", sip=Toggle.DISABLED, gatekeeper=Toggle.ENABLED),
            computer(3, name="No-Gatekeeper", gatekeeper=Toggle.DISABLED),
            computer(4, name="No-Firewall", firewall=Toggle.DISABLED, gatekeeper=Toggle.ENABLED),
            computer(5, name="Full-Disk", free_mb=0, gatekeeper=Toggle.ENABLED),
        ]
    )


async def _check(
    request: ComplianceRequest, reader: Principal, clock: FixedClock
) -> CompliancePage:
    return await CheckDeviceCompliance(_fleet(), clock).execute(request, reader)


def _failing(report: CompliancePage) -> dict[str, Severity]:
    return {d.device.identity.name: d.severity for d in report.devices.items}


async def test_with_no_extra_rule_every_recently_seen_mac_complies(
    reader: Principal, clock: FixedClock
) -> None:
    report = (await _check(CHECK_IN_ONLY, reader, clock)).summary
    assert (report.total, report.compliant, report.rules) == (5, 5, ("check_in",))


@pytest.mark.parametrize(
    ("request_", "rule", "breaker", "severity"),
    [
        (attrs.evolve(CHECK_IN_ONLY, require_sip=True), "sip", "No-SIP", Severity.CRITICAL),
        (
            attrs.evolve(CHECK_IN_ONLY, require_gatekeeper=True),
            "gatekeeper",
            "No-Gatekeeper",
            Severity.WARNING,
        ),
        (
            attrs.evolve(CHECK_IN_ONLY, require_firewall=True),
            "firewall",
            "No-Firewall",
            Severity.WARNING,
        ),
        (
            attrs.evolve(CHECK_IN_ONLY, minimum_free_disk_gb=10),
            "free_disk",
            "Full-Disk",
            Severity.WARNING,
        ),
    ],
)
async def test_each_optional_rule_flags_only_the_mac_that_breaks_it(
    request_: ComplianceRequest,
    rule: str,
    breaker: str,
    severity: Severity,
    reader: Principal,
    clock: FixedClock,
) -> None:
    result = await _check(request_, reader, clock)
    assert result.summary.rules == ("check_in", rule)
    assert _failing(result) == {breaker: severity}
    assert (result.summary.total, result.summary.compliant) == (5, 4)


async def test_a_mac_with_everything_off_is_flagged_by_every_rule_asked_for(
    reader: Principal, clock: FixedClock
) -> None:
    request = attrs.evolve(
        CHECK_IN_ONLY,
        minimum_os_version=OsVersion(15),
        require_filevault=True,
        require_sip=True,
        require_gatekeeper=True,
        require_firewall=True,
        minimum_free_disk_gb=1,
    )
    result = await _check(request, reader, clock)
    assert result.summary.rules == (
        "check_in",
        "minimum_os",
        "filevault",
        "sip",
        "gatekeeper",
        "firewall",
        "free_disk",
    )
    assert _failing(result) == {
        "No-SIP": Severity.CRITICAL,
        "No-Gatekeeper": Severity.WARNING,
        "No-Firewall": Severity.WARNING,
        "Full-Disk": Severity.WARNING,
    }
    assert [t.rule for t in result.summary.by_rule if t.critical + t.warning] == [
        "sip",
        "gatekeeper",
        "firewall",
        "free_disk",
    ]


async def test_a_free_disk_minimum_above_every_mac_flags_the_whole_fleet(
    reader: Principal, clock: FixedClock
) -> None:
    request = attrs.evolve(CHECK_IN_ONLY, minimum_free_disk_gb=1000)
    report = (await _check(request, reader, clock)).summary
    assert report.noncompliant == 5 and report.compliant == 0


async def test_thirty_and_ninety_days_warn_after_thirty_and_are_critical_from_ninety(
    reader: Principal, clock: FixedClock
) -> None:
    inventory = InMemoryDeviceInventory(
        [
            computer(1, name="Thirty", days_ago=30),
            computer(2, name="Thirty-One", days_ago=31),
            computer(3, name="Eighty-Nine", days_ago=89.9),
            computer(4, name="Ninety", days_ago=90),
        ]
    )
    report = await CheckDeviceCompliance(inventory, clock).execute(CHECK_IN_ONLY, reader)
    assert _failing(report) == {
        "Ninety": Severity.CRITICAL,
        "Eighty-Nine": Severity.WARNING,
        "Thirty-One": Severity.WARNING,
    }
    assert report.summary.total == 4


async def test_a_page_of_the_report_keeps_the_figures_of_the_whole_report(
    reader: Principal, clock: FixedClock
) -> None:
    inventory = InMemoryDeviceInventory(
        [computer(i, name=f"Stale-{i}", days_ago=30 + i) for i in range(1, 6)]
    )
    use_case = CheckDeviceCompliance(inventory, clock)
    first = await use_case.execute(attrs.evolve(CHECK_IN_ONLY, limit=2), reader)
    last = await use_case.execute(attrs.evolve(CHECK_IN_ONLY, limit=2, offset=4), reader)
    beyond = await use_case.execute(attrs.evolve(CHECK_IN_ONLY, limit=2, offset=9), reader)

    assert first.summary == last.summary == beyond.summary
    assert (first.summary.total, first.summary.noncompliant) == (5, 5)
    assert [d.device.identity.name for d in first.devices.items] == ["Stale-5", "Stale-4"]
    assert (first.devices.total, first.devices.next_offset) == (5, 2)
    assert [d.device.identity.name for d in last.devices.items] == ["Stale-1"]
    assert last.devices.next_offset is None
    assert beyond.devices.items == () and beyond.devices.next_offset is None
