"""Value objects: OS versions, principals, policy scopes and fleet tallies."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jamf_mcp.domain.fleet import FleetTally, check_in_bucket
from jamf_mcp.domain.policies import PolicyScope
from jamf_mcp.domain.principal import Principal, Scope
from jamf_mcp.domain.versions import OsVersion
from tests.builders import NOW, computer
from tests.strategies import os_versions


@given(os_versions)
def test_a_version_survives_printing_and_parsing(version: OsVersion) -> None:
    assert OsVersion.parse(str(version)) == version


@given(os_versions, os_versions)
def test_version_order_is_numeric_per_component(a: OsVersion, b: OsVersion) -> None:
    assert (a < b) == ((a.major, a.minor, a.patch) < (b.major, b.minor, b.patch))


def test_version_parsing_ignores_rapid_security_response_suffixes_and_rejects_text() -> None:
    assert OsVersion.parse("15.1.1 (a)") == OsVersion(15, 1, 1)
    assert OsVersion.parse("unknown") is None


@given(st.sets(st.sampled_from([s.value for s in Scope] + ["openid", "email"])))
def test_a_principal_lacks_exactly_the_scopes_it_was_not_granted(granted: set[str]) -> None:
    principal = Principal("https://idp", "user-1", frozenset(granted))
    required = frozenset({Scope.READ.value, Scope.WRITE.value})
    assert set(principal.missing(required)) == required - granted
    assert principal.has_all(required) == (required <= granted)


def test_principal_key_joins_issuer_and_subject() -> None:
    assert Principal("https://idp", "abc").key == "https://idp#abc"


def test_policy_scope_describes_its_targets() -> None:
    assert PolicyScope(all_computers=True).describe() == "all computers"
    scope = PolicyScope(computer_groups=("A", "B"), computers=("MAC-1",), excluded_groups=("X",))
    assert scope.describe() == "2 groups, 1 computer (minus 1 exclusions)"
    assert PolicyScope().describe() == "no one"


def test_check_in_buckets_follow_the_age_of_the_last_check_in() -> None:
    assert check_in_bucket(computer(1, days_ago=0.5), NOW) == "within 24 hours"
    assert check_in_bucket(computer(1, days_ago=20), NOW) == "8-30 days"
    assert check_in_bucket(computer(1, days_ago=95), NOW) == "90+ days"
    assert check_in_bucket(computer(1, days_ago=None), NOW) == "never"


@given(st.lists(st.one_of(st.none(), st.floats(0, 1000)), max_size=40))
def test_fleet_tally_counts_every_device_in_every_dimension(ages: list[float | None]) -> None:
    tally = FleetTally(NOW)
    for i, age in enumerate(ages):
        tally.add(computer(i + 1, days_ago=age))
    summary = tally.freeze()
    for dimension in (
        summary.by_check_in,
        summary.by_department,
        summary.by_filevault,
        summary.by_os_version,
        summary.by_model,
    ):
        assert sum(count for _, count in dimension) == len(ages)
