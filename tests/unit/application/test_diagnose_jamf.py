"""`DiagnoseJamf`: reachability, credentials, version, each feature's privileges, the inventory
policy and check-in frequency — each problem named with its fix."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pytest

from jamf_mcp.adapters.memory import InMemoryPolicyCatalogue
from jamf_mcp.application.ports.doctor import JamfFeature, PrivilegeNeed, ReachAttempt
from jamf_mcp.application.use_cases.diagnose_jamf import DiagnoseJamf, DiagnoseJamfRequest
from jamf_mcp.application.use_cases.update_inventory import InventoryPolicyChoice
from jamf_mcp.domain.diagnostics import CheckResult, CheckStatus, GrantedPrivileges, Reachability
from jamf_mcp.domain.errors import (
    JamfCredentialsRejected,
    JamfPermissionDenied,
    JamfUnavailable,
)
from jamf_mcp.domain.policies import Policy

NEEDS = (
    PrivilegeNeed(JamfFeature.DEVICE_READS, "Read Computers"),
    PrivilegeNeed(JamfFeature.POLICY_RUNS, "Read Computers"),
    PrivilegeNeed(JamfFeature.POLICY_RUNS, "Update Static Computer Groups"),
    PrivilegeNeed(JamfFeature.POLICY_RUNS, "Flush Policy Logs", "running a policy again", False),
    PrivilegeNeed(
        JamfFeature.MDM_COMMANDS, "Send Computer Remote Wipe Command", "ERASE_DEVICE", False
    ),
)
EVERYTHING = frozenset(need.privilege for need in NEEDS)
REACHED = ReachAttempt(Reachability.REACHED, "HTTP 200")
HOLDS_EVERYTHING = GrantedPrivileges(EVERYTHING)
INVENTORY = Policy(
    policy_id=7,
    name="Update Inventory",
    enabled=True,
    frequency="Ongoing",
    triggers=("check-in",),
    collects_inventory=True,
)


@attrs.define
class FakeJamf:
    """A scripted `JamfAccess`."""

    reached: ReachAttempt = REACHED
    version: str | Exception = "11.30.1-t1784555528405"
    granted: GrantedPrivileges | Exception = HOLDS_EVERYTHING
    check_in: int | Exception = 15
    target: str = "https://acme.jamfcloud.com"
    account: str = 'API client "abc"'

    async def reach(self) -> ReachAttempt:
        return self.reached

    async def server_version(self) -> str:
        if isinstance(self.version, Exception):
            raise self.version
        return self.version

    async def granted_privileges(self) -> GrantedPrivileges:
        if isinstance(self.granted, Exception):
            raise self.granted
        return self.granted

    def privilege_needs(self) -> Sequence[PrivilegeNeed]:
        return NEEDS

    async def check_in_frequency_minutes(self) -> int:
        if isinstance(self.check_in, Exception):
            raise self.check_in
        return self.check_in


async def diagnose(
    jamf: FakeJamf, policies: Sequence[Policy] = (INVENTORY,)
) -> dict[str, CheckResult]:
    names = {feature: f"the {feature.name.lower()} tools" for feature in JamfFeature}
    results = await DiagnoseJamf(jamf, InMemoryPolicyCatalogue.of(policies), names).execute(
        DiagnoseJamfRequest(InventoryPolicyChoice(policy_name="Update Inventory"))
    )
    assert len({r.title for r in results}) == len(results)
    return {result.title: result for result in results}


def by_feature(results: dict[str, CheckResult], feature: JamfFeature) -> CheckResult:
    (result,) = [r for title, r in results.items() if f"for {feature.value} (" in title]
    return result


async def test_a_healthy_tenant_passes_every_check() -> None:
    results = await diagnose(FakeJamf())
    assert {r.status for r in results.values()} == {CheckStatus.PASSED}
    assert results["Jamf Pro version supported"].detail == "Jamf Pro 11.30.1"
    assert "every 15 minutes" in results["Check-in frequency"].detail


async def test_names_the_missing_privilege_of_policy_runs_and_how_to_grant_it() -> None:
    granted = GrantedPrivileges(EVERYTHING - {"Update Static Computer Groups"})
    results = await diagnose(FakeJamf(granted=granted))
    runs = by_feature(results, JamfFeature.POLICY_RUNS)
    assert runs.status is CheckStatus.FAILED
    assert runs.detail == "policy runs need Update Static Computer Groups: missing"
    assert "Add Update Static Computer Groups to an API role" in runs.fix
    assert by_feature(results, JamfFeature.DEVICE_READS).status is CheckStatus.PASSED


async def test_a_missing_privilege_no_jamf_document_confirms_is_a_warning() -> None:
    granted = GrantedPrivileges(
        EVERYTHING - {"Flush Policy Logs", "Send Computer Remote Wipe Command"}
    )
    results = await diagnose(FakeJamf(granted=granted))
    runs = by_feature(results, JamfFeature.POLICY_RUNS)
    assert runs.status is CheckStatus.WARNING
    assert "Flush Policy Logs (for running a policy again): missing" in runs.detail
    assert by_feature(results, JamfFeature.MDM_COMMANDS).status is CheckStatus.WARNING


async def test_a_user_account_is_told_to_grant_privileges_to_the_user() -> None:
    granted = GrantedPrivileges(frozenset({"Read Computers"}), account_kind="user account")
    results = await diagnose(FakeJamf(granted=granted))
    assert "Grant Update Static Computer Groups" in by_feature(results, JamfFeature.POLICY_RUNS).fix


async def test_an_administrator_holds_every_privilege() -> None:
    results = await diagnose(FakeJamf(granted=GrantedPrivileges(everything=True)))
    assert by_feature(results, JamfFeature.POLICY_RUNS).status is CheckStatus.PASSED


@pytest.mark.parametrize(
    ("outcome", "fix"),
    [
        (Reachability.UNREACHABLE, "DNS"),
        (Reachability.TIMED_OUT, "network path"),
        (Reachability.CERTIFICATE_REJECTED, "trust store"),
    ],
)
async def test_an_unreachable_jamf_fails_and_the_checks_that_need_it_say_they_did_not_run(
    outcome: Reachability, fix: str
) -> None:
    results = await diagnose(FakeJamf(reached=ReachAttempt(outcome, "ConnectError")))
    reach = results["URL reachable over TLS"]
    assert reach.status is CheckStatus.FAILED
    assert fix in reach.fix
    others = [r for title, r in results.items() if title != "URL reachable over TLS"]
    assert others and all(r.status is CheckStatus.SKIPPED for r in others)
    assert all("Jamf Pro did not answer" in r.detail for r in others)


async def test_plain_http_fails_but_the_remaining_checks_still_run() -> None:
    results = await diagnose(FakeJamf(reached=ReachAttempt(Reachability.NOT_TLS, "HTTP 200")))
    assert results["URL reachable over TLS"].status is CheckStatus.FAILED
    assert "https://" in results["URL reachable over TLS"].fix
    assert results["Credentials accepted"].status is CheckStatus.PASSED


async def test_rejected_credentials_fail_and_skip_what_needs_a_token() -> None:
    rejected = JamfCredentialsRejected("Jamf Pro rejected the API client 'abc' (HTTP 401)")
    results = await diagnose(FakeJamf(version=rejected))
    assert results["Credentials accepted"].status is CheckStatus.FAILED
    assert "JAMF_CLIENT_SECRET" in results["Credentials accepted"].fix
    assert results["Check-in frequency"].status is CheckStatus.SKIPPED


@pytest.mark.parametrize(
    ("version", "status"),
    [
        ("10.48.0", CheckStatus.FAILED),
        ("10.49.0-t1", CheckStatus.WARNING),
        ("11.22.4", CheckStatus.WARNING),
        ("11.23.0", CheckStatus.PASSED),
        ("12.0.0", CheckStatus.PASSED),
        ("garbage", CheckStatus.WARNING),
    ],
)
async def test_versions_before_api_clients_fail_and_untested_ones_warn(
    version: str, status: CheckStatus
) -> None:
    results = await diagnose(FakeJamf(version=version))
    assert results["Jamf Pro version supported"].status is status


@pytest.mark.parametrize(
    ("policy", "status", "words"),
    [
        (None, CheckStatus.FAILED, "no policy 'Update Inventory'"),
        (attrs.evolve(INVENTORY, enabled=False), CheckStatus.FAILED, "disabled"),
        (attrs.evolve(INVENTORY, triggers=("login",)), CheckStatus.FAILED, "recurring check-in"),
        (attrs.evolve(INVENTORY, collects_inventory=False), CheckStatus.WARNING, "collect"),
        (attrs.evolve(INVENTORY, frequency="Once every week"), CheckStatus.WARNING, "flushed"),
    ],
)
async def test_the_inventory_policy_must_exist_run_at_check_in_and_collect_inventory(
    policy: Policy | None, status: CheckStatus, words: str
) -> None:
    results = await diagnose(FakeJamf(), [policy] if policy else [])
    check = results["Inventory policy exists and is usable"]
    assert check.status is status
    assert words in check.detail
    assert check.fix


async def test_a_slow_check_in_warns_and_an_unreadable_one_names_the_privilege() -> None:
    slow = await diagnose(FakeJamf(check_in=60))
    assert slow["Check-in frequency"].status is CheckStatus.WARNING
    denied = await diagnose(FakeJamf(check_in=JamfPermissionDenied("403")))
    assert "Read Computer Check-In" in denied["Check-in frequency"].fix


async def test_privileges_that_cannot_be_read_are_a_warning_not_a_guess() -> None:
    results = await diagnose(FakeJamf(granted=JamfUnavailable("Jamf Pro is not responding")))
    assert results["Privileges"].status is CheckStatus.WARNING
    empty = await diagnose(FakeJamf(granted=GrantedPrivileges()))
    assert "listed no privileges" in empty["Privileges"].detail


async def test_privilege_checks_carry_the_callers_names_for_features_and_no_tool_names_of_their_own() -> (
    None
):
    request = DiagnoseJamfRequest(InventoryPolicyChoice(policy_name="Update Inventory"))
    plain = await DiagnoseJamf(FakeJamf(), InMemoryPolicyCatalogue.of((INVENTORY,))).execute(
        request
    )
    titles = [r.title for r in plain if r.title.startswith("Privileges for")]
    assert f"Privileges for {JamfFeature.POLICY_RUNS.value}" in titles
    assert not any("(" in title for title in titles)
    named = await DiagnoseJamf(
        FakeJamf(),
        InMemoryPolicyCatalogue.of((INVENTORY,)),
        {JamfFeature.POLICY_RUNS: "executePolicy"},
    ).execute(request)
    assert f"Privileges for {JamfFeature.POLICY_RUNS.value} (executePolicy)" in [
        r.title for r in named
    ]
