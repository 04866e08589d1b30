"""Compliance rules at their edges: exact thresholds, empty disks, unknown data, the worst finding."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from jamf_mcp.domain.compliance import (
    CheckInRule,
    DeviceCompliance,
    FileVaultRule,
    Finding,
    FreeDiskRule,
    MinimumOsRule,
    SecurityFeatureRule,
    Severity,
    build_report,
    evaluate_device,
)
from jamf_mcp.domain.devices import FileVaultState, Toggle
from jamf_mcp.domain.versions import OsVersion
from tests.builders import NOW, computer

SECOND = 1 / 86_400  # one second, in days


def test_a_device_with_a_warning_and_a_critical_finding_is_critical_whatever_their_order() -> None:
    warning = Finding("free_disk", Severity.WARNING, "2.0 GB free, minimum is 10 GB")
    critical = Finding("filevault", Severity.CRITICAL, "FileVault is off")
    device = computer(1)
    assert DeviceCompliance(device, (warning, critical)).severity is Severity.CRITICAL
    assert DeviceCompliance(device, (critical, warning)).severity is Severity.CRITICAL
    assert DeviceCompliance(device, (warning, warning)).severity is Severity.WARNING


def test_a_stale_mac_with_filevault_off_counts_once_as_critical_in_the_report() -> None:
    stale_and_unencrypted = computer(1, days_ago=40, filevault=FileVaultState.NOT_ENCRYPTED)
    report = build_report(1, [stale_and_unencrypted], [CheckInRule(), FileVaultRule()], NOW)
    assert (report.critical, report.warning, report.compliant) == (1, 0, 0)
    [entry] = report.devices
    assert [(f.rule, f.severity) for f in entry.findings] == [
        ("check_in", Severity.WARNING),
        ("filevault", Severity.CRITICAL),
    ]


def test_check_in_exactly_at_the_cutoff_complies_and_one_second_older_breaks() -> None:
    rule = CheckInRule()
    assert rule.evaluate(computer(1, days_ago=30), NOW) is None
    late = rule.evaluate(computer(2, days_ago=30 + SECOND), NOW)
    assert late == Finding("check_in", Severity.WARNING, "last checked in 30 days ago")
    assert rule.evaluate(computer(3, days_ago=30 - SECOND), NOW) is None


def test_one_day_threshold_is_allowed_and_zero_critical_days_is_refused() -> None:
    rule = CheckInRule(max_days=1, critical_days=1)
    assert rule.evaluate(computer(1, days_ago=0.5), NOW) is None
    finding = rule.evaluate(computer(2, days_ago=1.5), NOW)
    assert finding is not None and finding.severity is Severity.CRITICAL
    with pytest.raises(ValueError, match="critical_days must be at least 1, got 0"):
        CheckInRule(critical_days=0)
    with pytest.raises(ValueError, match="max_days must be at least 1, got 0"):
        CheckInRule(max_days=0)


def test_a_device_past_the_cutoff_but_short_of_critical_days_is_a_warning() -> None:
    rule = CheckInRule(max_days=30, critical_days=90)
    assert rule.severity_for(89) is Severity.WARNING
    assert rule.severity_for(90) is Severity.CRITICAL
    finding = rule.evaluate(computer(1, days_ago=89.5), NOW)
    assert finding == Finding("check_in", Severity.WARNING, "last checked in 89 days ago")


def test_critical_days_below_the_cutoff_make_every_stale_device_critical() -> None:
    rule = CheckInRule(max_days=30, critical_days=10)
    assert rule.evaluate(computer(1, days_ago=20), NOW) is None
    finding = rule.evaluate(computer(2, days_ago=31), NOW)
    assert finding is not None and finding.severity is Severity.CRITICAL


def test_a_never_seen_device_is_reported_as_never_checked_in() -> None:
    finding = CheckInRule().evaluate(computer(1, days_ago=None), NOW)
    assert finding == Finding("check_in", Severity.CRITICAL, "has never checked in")


@pytest.mark.parametrize("version", [None, "", "unknown", "beta"])
def test_an_unknown_or_unreadable_os_version_is_a_warning_not_a_pass(version: str | None) -> None:
    finding = MinimumOsRule(OsVersion(14)).evaluate(computer(1, os_version=version), NOW)
    assert finding == Finding("minimum_os", Severity.WARNING, "OS version unknown")


def test_exactly_the_minimum_os_complies() -> None:
    rule = MinimumOsRule(OsVersion(15, 1))
    assert rule.evaluate(computer(1, os_version="15.1"), NOW) is None
    assert rule.evaluate(computer(2, os_version="15.1.1"), NOW) is None


def test_an_older_minor_release_is_a_warning_and_an_older_major_is_critical() -> None:
    rule = MinimumOsRule(OsVersion(15, 1))
    same_major = rule.evaluate(computer(1, os_version="15.0.9"), NOW)
    older_major = rule.evaluate(computer(2, os_version="14.7"), NOW)
    assert same_major == Finding("minimum_os", Severity.WARNING, "runs 15.0.9, minimum is 15.1")
    assert older_major == Finding("minimum_os", Severity.CRITICAL, "runs 14.7, minimum is 15.1")


def test_filevault_does_not_apply_to_devices_without_it_and_names_odd_states() -> None:
    rule = FileVaultRule()
    assert rule.evaluate(computer(1, filevault=FileVaultState.NOT_APPLICABLE), NOW) is None
    for state in (FileVaultState.ENCRYPTING, FileVaultState.UNKNOWN):
        finding = rule.evaluate(computer(2, filevault=state), NOW)
        assert finding == Finding(
            "filevault", Severity.WARNING, f"FileVault state is {state.value}"
        )
    off = rule.evaluate(computer(3, filevault=FileVaultState.NOT_ENCRYPTED), NOW)
    assert off == Finding("filevault", Severity.CRITICAL, "FileVault is off")


@pytest.mark.parametrize(
    ("feature", "label"),
    [
        ("sip", "System Integrity Protection"),
        ("gatekeeper", "Gatekeeper"),
        ("firewall", "The firewall"),
    ],
)
def test_each_security_feature_breaks_when_disabled_and_passes_when_enabled_or_unknown(
    feature: str, label: str
) -> None:
    rule = SecurityFeatureRule(feature, Severity.WARNING)
    assert rule.rule_id == feature
    for state in (Toggle.ENABLED, Toggle.UNKNOWN):
        assert rule.evaluate(computer(1, **{feature: state}), NOW) is None
    disabled = rule.evaluate(computer(2, **{feature: Toggle.DISABLED}), NOW)
    assert disabled == Finding(feature, Severity.WARNING, f"{label} is disabled")


def test_a_security_feature_rule_is_critical_unless_told_otherwise() -> None:
    finding = SecurityFeatureRule("sip").evaluate(computer(1, sip=Toggle.DISABLED), NOW)
    assert finding is not None and finding.severity is Severity.CRITICAL
    with pytest.raises(ValueError, match="feature"):
        SecurityFeatureRule("bluetooth")


def test_a_full_disk_with_zero_megabytes_free_is_not_compliant() -> None:
    finding = FreeDiskRule(10).evaluate(computer(1, free_mb=0), NOW)
    assert finding == Finding("free_disk", Severity.WARNING, "0.0 GB free, minimum is 10 GB")


def test_free_disk_exactly_at_the_default_ten_gigabytes_complies_and_one_megabyte_less_warns() -> (
    None
):
    rule = FreeDiskRule()
    assert rule.evaluate(computer(1, free_mb=10 * 1024), NOW) is None
    assert rule.evaluate(computer(2, free_mb=10 * 1024 + 1), NOW) is None
    below = rule.evaluate(computer(3, free_mb=10 * 1024 - 1), NOW)
    assert below == Finding("free_disk", Severity.WARNING, "10.0 GB free, minimum is 10 GB")


def test_free_disk_minimum_may_be_fractional_but_must_be_positive() -> None:
    rule = FreeDiskRule(2.5)
    assert rule.evaluate(computer(1, free_mb=2560), NOW) is None
    low = rule.evaluate(computer(2, free_mb=1536), NOW)
    assert low is not None and low.detail == "1.5 GB free, minimum is 2.5 GB"
    for minimum in (0, -1):
        with pytest.raises(ValueError, match="minimum_free_gb"):
            FreeDiskRule(minimum)


def test_a_compliant_device_has_no_entry_and_a_failing_one_lists_every_finding() -> None:
    rules = [CheckInRule(), FreeDiskRule(10)]
    assert evaluate_device(computer(1), rules, NOW) is None
    failing = evaluate_device(computer(2, days_ago=95, free_mb=0), rules, NOW)
    assert failing is not None
    assert [f.rule for f in failing.findings] == ["check_in", "free_disk"]


def test_never_seen_devices_come_first_then_the_longest_silent_then_by_name() -> None:
    fleet = [
        computer(1, name="Zed", days_ago=95),
        computer(2, name="Abe", days_ago=95),
        computer(3, name="Old", days_ago=200),
        computer(4, name="Ghost", days_ago=None),
        computer(5, name="Late", days_ago=40),
    ]
    report = build_report(5, fleet, [CheckInRule()], NOW)
    assert [d.device.identity.name for d in report.devices] == [
        "Ghost",
        "Old",
        "Abe",
        "Zed",
        "Late",
    ]


def test_the_report_total_is_never_below_the_devices_it_checked() -> None:
    fleet = [computer(1, days_ago=95), computer(2), computer(3)]
    report = build_report(0, fleet, [CheckInRule()], NOW)
    assert (report.total, report.noncompliant, report.compliant) == (3, 1, 2)


def test_a_fleet_where_every_device_fails_has_no_compliant_devices() -> None:
    report = build_report(
        2, [computer(1, days_ago=95), computer(2, days_ago=95)], [CheckInRule()], NOW
    )
    assert report.compliant == 0


def test_rules_nobody_breaks_are_tallied_as_zero_in_the_order_asked() -> None:
    rules = [CheckInRule(), FreeDiskRule(10), FileVaultRule()]
    report = build_report(2, [computer(1, days_ago=95), computer(2, free_mb=0)], rules, NOW)
    tallies = [attrs.astuple(t) for t in report.by_rule()]
    assert tallies == [("check_in", 1, 0), ("free_disk", 0, 1), ("filevault", 0, 0)]
    assert report.rules == ("check_in", "free_disk", "filevault")
    assert report.generated_at == NOW


def test_cutoff_is_max_days_before_now() -> None:
    assert CheckInRule(max_days=7).cutoff(NOW) == NOW - timedelta(days=7)


def test_large_disks_report_their_free_space_in_gigabytes_of_1024_megabytes() -> None:
    finding = FreeDiskRule(100).evaluate(computer(1, free_mb=60 * 1024), NOW)
    assert finding is not None and finding.detail == "60.0 GB free, minimum is 100 GB"


def test_a_device_offered_twice_does_not_hide_the_devices_after_it() -> None:
    twice = computer(1, days_ago=95)
    report = build_report(3, [twice, twice, computer(2, days_ago=40)], [CheckInRule()], NOW)
    assert [d.device.identity.jamf_id for d in report.devices] == ["1", "2"]
