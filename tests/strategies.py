"""Hypothesis strategies for domain values."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.compliance import CheckInRule
from jamf_mcp.domain.devices import DeviceKind, FileVaultState, Toggle
from jamf_mcp.domain.policies import PolicyRef
from jamf_mcp.domain.principal import Principal
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

short_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12
)
optional_text = st.one_of(st.none(), short_text)

action_targets = st.builds(
    ActionTarget,
    kind=st.sampled_from(DeviceKind),
    jamf_id=st.integers(1, 100_000).map(str),
    name=short_text,
    serial_number=optional_text,
    management_id=optional_text,
    user_name=optional_text,
)

target_lists = st.lists(
    action_targets, min_size=1, max_size=12, unique_by=lambda t: (t.kind, t.jamf_id)
)

policy_refs = st.builds(PolicyRef, policy_id=st.integers(1, 10_000), name=short_text)


@st.composite
def gated_actions(draw: st.DrawFn) -> GatedAction:
    """Any valid gated action: a policy run, an inventory update or an MDM command."""
    kind = draw(st.sampled_from(ActionKind))
    parameters = draw(st.dictionaries(short_text, short_text, max_size=3))
    if kind is ActionKind.MDM_COMMAND:
        parameters["command"] = draw(
            st.sampled_from(["DEVICE_LOCK", "RESTART_DEVICE", "ERASE_DEVICE"])
        )
    policy = draw(policy_refs) if kind is ActionKind.EXECUTE_POLICY else None
    return GatedAction(kind, tuple(draw(target_lists)), parameters, policy)


principals = st.builds(
    Principal,
    issuer=st.sampled_from(["https://idp.example", "https://other.example"]),
    subject=short_text,
)
