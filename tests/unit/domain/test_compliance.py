"""Compliance rules and the report that groups devices by rule and severity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamf_mcp.domain.compliance import (
    CheckInRule,
    FileVaultRule,
    FreeDiskRule,
    MinimumOsRule,
    SecurityFeatureRule,
    Severity,
    build_report,
)
from jamf_mcp.domain.devices import FileVaultState, Toggle
from jamf_mcp.domain.versions import OsVersion
from tests.builders import NOW, computer
from tests.strategies import check_in_rules, devices


def test_a_mac_seen_95_days_ago_is_critical_at_the_default_thresholds() -> None:
    finding = CheckInRule().evaluate(computer(1, days_ago=95), NOW)
    assert finding is not None
    assert finding.severity is Severity.CRITICAL
    assert finding.detail == "last checked in 95 days ago"


def test_a_mac_seen_45_days_ago_is_a_warning_and_one_seen_yesterday_complies() -> None:
    rule = CheckInRule()
    warning = rule.evaluate(computer(2, days_ago=45), NOW)
    assert warning is not None and warning.severity is Severity.WARNING
    assert rule.evaluate(computer(3, days_ago=1), NOW) is None


def test_exactly_ninety_days_is_already_critical() -> None:
    finding = CheckInRule().evaluate(computer(1, days_ago=90), NOW)
    assert finding is not None and finding.severity is Severity.CRITICAL


def test_a_device_that_never_checked_in_is_critical() -> None:
    finding = CheckInRule().evaluate(computer(1, days_ago=None), NOW)
    assert finding is not None and finding.severity is Severity.CRITICAL


def test_check_in_rule_refuses_a_zero_day_threshold() -> None:
    with pytest.raises(ValueError, match="max_days"):
        CheckInRule(max_days=0)


@given(rule=check_in_rules, device=devices)
def test_check_in_rule_flags_exactly_the_devices_older_than_the_cutoff(
    rule: CheckInRule, device: object
) -> None:
    from jamf_mcp.domain.devices import Device

    assert isinstance(device, Device)
    finding = rule.evaluate(device, NOW)
    stale = device.last_check_in is None or device.last_check_in < NOW - timedelta(
        days=rule.max_days
    )
    assert (finding is not None) == stale


@given(rule=check_in_rules, days=st.integers(0, 5000))
def test_severity_never_decreases_as_a_device_gets_older(rule: CheckInRule, days: int) -> None:
    assert rule.severity_for(days + 1).rank >= rule.severity_for(days).rank


@given(
    version=st.builds(OsVersion, st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)),
    minimum=st.builds(OsVersion, st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)),
)
def test_minimum_os_rule_flags_exactly_older_versions(
    version: OsVersion, minimum: OsVersion
) -> None:
    finding = MinimumOsRule(minimum).evaluate(computer(1, os_version=str(version)), NOW)
    assert (finding is not None) == (version < minimum)
    if finding is not None:
        expected = Severity.CRITICAL if version.major < minimum.major else Severity.WARNING
        assert finding.severity is expected


def test_minimum_os_rule_compares_versions_numerically_not_as_text() -> None:
    assert MinimumOsRule(OsVersion(14, 9)).evaluate(computer(1, os_version="14.10"), NOW) is None


def test_filevault_off_is_critical_and_encrypting_is_a_warning() -> None:
    rule = FileVaultRule()
    off = rule.evaluate(computer(1, filevault=FileVaultState.NOT_ENCRYPTED), NOW)
    encrypting = rule.evaluate(computer(2, filevault=FileVaultState.ENCRYPTING), NOW)
    assert off is not None and off.severity is Severity.CRITICAL
    assert encrypting is not None and encrypting.severity is Severity.WARNING
    assert rule.evaluate(computer(3), NOW) is None


def test_security_features_break_only_when_reported_disabled() -> None:
    rule = SecurityFeatureRule("sip")
    assert rule.evaluate(computer(1, sip=Toggle.UNKNOWN), NOW) is None
    finding = rule.evaluate(computer(2, sip=Toggle.DISABLED), NOW)
    assert finding is not None and "System Integrity Protection" in finding.detail


def test_free_disk_rule_warns_below_the_minimum_and_ignores_unknown_sizes() -> None:
    rule = FreeDiskRule(10)
    low = rule.evaluate(computer(1, free_mb=5 * 1024), NOW)
    assert low is not None and low.detail.startswith("5.0 GB free")
    assert rule.evaluate(computer(2, free_mb=-1), NOW) is None
    assert rule.evaluate(computer(3, free_mb=None), NOW) is None


def test_report_counts_critical_and_warning_devices_worst_first() -> None:
    fleet = [computer(1, days_ago=95), computer(2, days_ago=40), computer(3, days_ago=120)]
    report = build_report(500, fleet, [CheckInRule()], NOW)
    assert (report.total, report.noncompliant, report.critical, report.warning) == (500, 3, 2, 1)
    assert [d.device.identity.jamf_id for d in report.devices] == ["3", "1", "2"]
    assert report.by_rule()[0].critical == 2


def test_report_counts_a_device_once_however_often_it_is_offered() -> None:
    device = computer(1, days_ago=95)
    report = build_report(10, [device, device], [CheckInRule()], NOW)
    assert report.noncompliant == 1


@given(fleet=st.lists(devices, max_size=30, unique_by=lambda d: d.identity.jamf_id))
def test_report_severity_counts_always_add_up(fleet: list[object]) -> None:
    from jamf_mcp.domain.devices import Device

    typed = [d for d in fleet if isinstance(d, Device)]
    rules = [CheckInRule(), FileVaultRule(), SecurityFeatureRule("firewall", Severity.WARNING)]
    report = build_report(len(typed), typed, rules, NOW)
    assert report.critical + report.warning == report.noncompliant
    assert report.compliant + report.noncompliant == len(typed)
