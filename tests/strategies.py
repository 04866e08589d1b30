"""Hypothesis strategies for domain values."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from jamf_mcp.domain.compliance import CheckInRule
from jamf_mcp.domain.devices import FileVaultState, Toggle
from jamf_mcp.domain.versions import OsVersion
from tests.builders import NOW, computer

os_versions = st.builds(
    OsVersion,
    major=st.integers(0, 30),
    minor=st.integers(0, 30),
    patch=st.integers(0, 30),
)

check_in_rules = st.integers(1, 400).flatmap(
    lambda max_days: st.builds(
        CheckInRule, max_days=st.just(max_days), critical_days=st.integers(1, 800)
    )
)

ages_in_days = st.one_of(st.none(), st.floats(min_value=0, max_value=3650, allow_nan=False))

devices = st.builds(
    computer,
    jamf_id=st.integers(1, 10_000),
    days_ago=ages_in_days,
    os_version=st.one_of(st.none(), os_versions.map(str)),
    filevault=st.sampled_from(FileVaultState),
    sip=st.sampled_from(Toggle),
    firewall=st.sampled_from(Toggle),
    free_mb=st.one_of(st.none(), st.integers(-1, 2_000_000)),
)

instants = st.integers(0, 10 * 365 * 24 * 3600).map(lambda s: NOW - timedelta(seconds=s))
