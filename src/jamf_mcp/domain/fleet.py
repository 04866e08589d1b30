"""Fleet-wide counts: how many devices by OS, model, encryption, check-in age and department."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import attrs

from jamf_mcp.domain.devices import Device

CHECK_IN_BUCKETS: tuple[tuple[str, timedelta | None], ...] = (
    ("within 24 hours", timedelta(days=1)),
    ("1-7 days", timedelta(days=7)),
    ("8-30 days", timedelta(days=30)),
    ("31-89 days", timedelta(days=90)),
    ("90+ days", None),
)
NEVER = "never"
UNKNOWN = "unknown"


def check_in_bucket(device: Device, now: datetime) -> str:
    """Name the check-in age bucket of a device."""
    elapsed = device.time_since_check_in(now)
    if elapsed is None:
        return NEVER
    for label, upper in CHECK_IN_BUCKETS:
        if upper is None or elapsed <= upper:
            return label
    raise AssertionError("the last bucket is open-ended")  # pragma: no cover


@attrs.define
class FleetTally:
    """Accumulates counts one device at a time, so a fleet of any size needs constant memory."""

    now: datetime
    total: int = 0
    by_os_version: Counter[str] = attrs.field(factory=Counter)
    by_model: Counter[str] = attrs.field(factory=Counter)
    by_filevault: Counter[str] = attrs.field(factory=Counter)
    by_check_in: Counter[str] = attrs.field(factory=Counter)
    by_department: Counter[str] = attrs.field(factory=Counter)

    def add(self, device: Device) -> None:
        """Count one device."""
        self.total += 1
        os_label = " ".join(p for p in (device.os.name, device.os.version) if p) or UNKNOWN
        self.by_os_version[os_label] += 1
        self.by_model[device.hardware.model or UNKNOWN] += 1
        self.by_filevault[device.security.filevault.value] += 1
        self.by_check_in[check_in_bucket(device, self.now)] += 1
        self.by_department[device.user.department or "(none)"] += 1

    def freeze(self) -> FleetSummary:
        """The finished summary."""
        return FleetSummary(
            total=self.total,
            generated_at=self.now,
            by_os_version=tuple(self.by_os_version.most_common()),
            by_model=tuple(self.by_model.most_common()),
            by_filevault=tuple(self.by_filevault.most_common()),
            by_check_in=tuple(
                (label, self.by_check_in[label])
                for label in [b[0] for b in CHECK_IN_BUCKETS] + [NEVER]
                if self.by_check_in[label]
            ),
            by_department=tuple(self.by_department.most_common()),
        )


@attrs.frozen
class FleetSummary:
    """Counts over a whole device family, each list sorted by count (check-in by age)."""

    total: int
    generated_at: datetime
    by_os_version: tuple[tuple[str, int], ...]
    by_model: tuple[tuple[str, int], ...]
    by_filevault: tuple[tuple[str, int], ...]
    by_check_in: tuple[tuple[str, int], ...]
    by_department: tuple[tuple[str, int], ...]
