"""Compliance rules as values, and the report that groups devices by rule and severity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

import attrs

from jamf_mcp.domain.devices import Device, FileVaultState, Toggle
from jamf_mcp.domain.queries import InventoryAspect
from jamf_mcp.domain.versions import OsVersion


class Severity(StrEnum):
    """How urgent a finding is; `CRITICAL` outranks `WARNING`."""

    CRITICAL = "critical"
    WARNING = "warning"

    @property
    def rank(self) -> int:
        """Higher is worse."""
        return 2 if self is Severity.CRITICAL else 1


@attrs.frozen
class Finding:
    """One rule that one device breaks."""

    rule: str
    severity: Severity
    detail: str


class ComplianceRule(Protocol):
    """A rule a device either meets or breaks."""

    @property
    def rule_id(self) -> str:
        """A stable machine name, e.g. `check_in`."""
        ...

    @property
    def aspects(self) -> frozenset[InventoryAspect]:
        """The inventory data the rule reads."""
        ...

    def evaluate(self, device: Device, now: datetime) -> Finding | None:
        """The finding for `device`, or None when it complies."""
        ...


def _positive(_: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 1:
        raise ValueError(f"{attribute.name} must be at least 1, got {value}")


@attrs.frozen
class CheckInRule:
    """A device must have checked in within `max_days`; at `critical_days` or more it is critical."""

    max_days: int = attrs.field(default=30, validator=_positive)
    critical_days: int = attrs.field(default=90, validator=_positive)
    rule_id: str = attrs.field(default="check_in", init=False)
    aspects: frozenset[InventoryAspect] = attrs.field(
        default=frozenset({InventoryAspect.GENERAL}), init=False
    )

    def cutoff(self, now: datetime) -> datetime:
        """Devices whose last check-in is before this instant break the rule."""
        return now - timedelta(days=self.max_days)

    def severity_for(self, days: int) -> Severity:
        """Severity of a device last seen `days` ago (only meaningful past `max_days`)."""
        return (
            Severity.CRITICAL
            if days >= max(self.critical_days, self.max_days)
            else Severity.WARNING
        )

    def evaluate(self, device: Device, now: datetime) -> Finding | None:
        """Break when the last check-in is older than `max_days` (never checked in: critical)."""
        if device.last_check_in is None:
            return Finding(self.rule_id, Severity.CRITICAL, "has never checked in")
        if device.last_check_in >= self.cutoff(now):
            return None
        days = device.days_since_check_in(now) or 0
        return Finding(self.rule_id, self.severity_for(days), f"last checked in {days} days ago")


@attrs.frozen
class MinimumOsRule:
    """A device must run at least `minimum` (unknown versions are reported as warnings)."""

    minimum: OsVersion
    rule_id: str = attrs.field(default="minimum_os", init=False)
    aspects: frozenset[InventoryAspect] = attrs.field(
        default=frozenset({InventoryAspect.OPERATING_SYSTEM}), init=False
    )

    def evaluate(self, device: Device, now: datetime) -> Finding | None:
        """Critical below the minimum major version, warning below the minimum within it."""
        version = OsVersion.parse(device.os.version) if device.os.version else None
        if version is None:
            return Finding(self.rule_id, Severity.WARNING, "OS version unknown")
        if version >= self.minimum:
            return None
        severity = Severity.CRITICAL if version.major < self.minimum.major else Severity.WARNING
        return Finding(self.rule_id, severity, f"runs {version}, minimum is {self.minimum}")


@attrs.frozen
class FileVaultRule:
    """A Mac's boot volume must be FileVault-encrypted (encrypting counts as a warning)."""

    rule_id: str = attrs.field(default="filevault", init=False)
    aspects: frozenset[InventoryAspect] = attrs.field(
        default=frozenset({InventoryAspect.OPERATING_SYSTEM, InventoryAspect.DISK_ENCRYPTION}),
        init=False,
    )

    def evaluate(self, device: Device, now: datetime) -> Finding | None:
        """Not encrypted is critical; in progress, partial or unknown is a warning."""
        state = device.security.filevault
        if state in (FileVaultState.ENCRYPTED, FileVaultState.NOT_APPLICABLE):
            return None
        if state is FileVaultState.NOT_ENCRYPTED:
            return Finding(self.rule_id, Severity.CRITICAL, "FileVault is off")
        return Finding(self.rule_id, Severity.WARNING, f"FileVault state is {state.value}")


@attrs.frozen
class SecurityFeatureRule:
    """A security feature (SIP, Gatekeeper, firewall) must be on; unknown state is not a finding."""

    feature: str = attrs.field(validator=attrs.validators.in_(("sip", "gatekeeper", "firewall")))
    severity: Severity = Severity.CRITICAL
    aspects: frozenset[InventoryAspect] = attrs.field(
        default=frozenset({InventoryAspect.SECURITY}), init=False
    )

    @property
    def rule_id(self) -> str:
        """`sip`, `gatekeeper` or `firewall`."""
        return self.feature

    def evaluate(self, device: Device, now: datetime) -> Finding | None:
        """Break only when Jamf reports the feature disabled."""
        state: Toggle = getattr(device.security, self.feature)
        if state is Toggle.DISABLED:
            label = {"sip": "System Integrity Protection", "gatekeeper": "Gatekeeper"}.get(
                self.feature, "The firewall"
            )
            return Finding(self.rule_id, self.severity, f"{label} is disabled")
        return None


@attrs.frozen
class FreeDiskRule:
    """The boot drive must have at least `minimum_free_gb` free (a warning when below)."""

    minimum_free_gb: float = attrs.field(default=10.0, validator=attrs.validators.gt(0))
    rule_id: str = attrs.field(default="free_disk", init=False)
    aspects: frozenset[InventoryAspect] = attrs.field(
        default=frozenset({InventoryAspect.STORAGE}), init=False
    )

    def evaluate(self, device: Device, now: datetime) -> Finding | None:
        """Unknown free space is not a finding."""
        free_mb = device.storage.boot_drive_free_mb
        if free_mb is None or free_mb < 0 or free_mb >= self.minimum_free_gb * 1024:
            return None
        return Finding(
            self.rule_id,
            Severity.WARNING,
            f"{free_mb / 1024:.1f} GB free, minimum is {self.minimum_free_gb:g} GB",
        )


@attrs.frozen
class DeviceCompliance:
    """A device that breaks at least one rule, with every finding against it."""

    device: Device
    findings: tuple[Finding, ...]

    @property
    def severity(self) -> Severity:
        """The worst severity among the findings."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank)


@attrs.frozen
class RuleTally:
    """How many devices break one rule, by severity."""

    rule: str
    critical: int = 0
    warning: int = 0


@attrs.frozen
class ComplianceSummary:
    """A report's figures without its rows: what each page of the non-compliant devices carries.

    `total` counts every device checked, the others only the devices that break a rule.
    """

    total: int
    noncompliant: int
    critical: int
    warning: int
    rules: tuple[str, ...]
    by_rule: tuple[RuleTally, ...]
    generated_at: datetime

    @property
    def compliant(self) -> int:
        """Devices that break no rule."""
        return max(self.total - self.noncompliant, 0)


@attrs.frozen
class ComplianceReport:
    """The outcome of checking a fleet against a set of rules.

    `total` counts every device checked (the whole fleet, counted by Jamf), `devices` lists only
    the non-compliant ones, worst first.
    """

    total: int
    devices: tuple[DeviceCompliance, ...]
    rules: tuple[str, ...]
    generated_at: datetime

    @property
    def noncompliant(self) -> int:
        """Devices that break at least one rule."""
        return len(self.devices)

    @property
    def critical(self) -> int:
        """Devices whose worst finding is critical."""
        return sum(1 for d in self.devices if d.severity is Severity.CRITICAL)

    @property
    def warning(self) -> int:
        """Devices whose worst finding is a warning."""
        return sum(1 for d in self.devices if d.severity is Severity.WARNING)

    @property
    def compliant(self) -> int:
        """Devices that break no rule."""
        return max(self.total - self.noncompliant, 0)

    def by_rule(self) -> tuple[RuleTally, ...]:
        """Per rule, how many devices break it at each severity."""
        counts: Counter[tuple[str, Severity]] = Counter(
            (f.rule, f.severity) for d in self.devices for f in d.findings
        )
        return tuple(
            RuleTally(rule, counts[(rule, Severity.CRITICAL)], counts[(rule, Severity.WARNING)])
            for rule in self.rules
        )

    def summary(self) -> ComplianceSummary:
        """The report's figures, computed once, without its rows."""
        return ComplianceSummary(
            total=self.total,
            noncompliant=self.noncompliant,
            critical=self.critical,
            warning=self.warning,
            rules=self.rules,
            by_rule=self.by_rule(),
            generated_at=self.generated_at,
        )


def evaluate_device(
    device: Device, rules: Sequence[ComplianceRule], now: datetime
) -> DeviceCompliance | None:
    """Check one device against every rule; None when it complies with all."""
    findings = tuple(f for rule in rules if (f := rule.evaluate(device, now)) is not None)
    return DeviceCompliance(device, findings) if findings else None


def build_report(
    total: int,
    candidates: Iterable[Device],
    rules: Sequence[ComplianceRule],
    now: datetime,
) -> ComplianceReport:
    """Evaluate `candidates` (each device at most once) and assemble the report, worst first."""
    seen: set[str] = set()
    failing: list[DeviceCompliance] = []
    for device in candidates:
        if device.identity.jamf_id in seen:
            continue
        seen.add(device.identity.jamf_id)
        if (result := evaluate_device(device, rules, now)) is not None:
            failing.append(result)

    def order(item: DeviceCompliance) -> tuple[int, float, str]:
        age = item.device.time_since_check_in(now)
        return (
            -item.severity.rank,
            -(age.total_seconds() if age else float("inf")),
            item.device.identity.name,
        )

    failing.sort(key=order)
    return ComplianceReport(
        total=max(total, len(seen)),
        devices=tuple(failing),
        rules=tuple(rule.rule_id for rule in rules),
        generated_at=now,
    )
