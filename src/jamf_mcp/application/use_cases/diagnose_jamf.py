"""Use case: check this server's access to Jamf Pro before users meet a problem with it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs

from jamf_mcp.application.policy_resolution import find_policy
from jamf_mcp.application.ports.doctor import (
    JamfAccess,
    JamfFeature,
    PrivilegeNeed,
)
from jamf_mcp.application.ports.jamf_policies import PolicyCatalogue
from jamf_mcp.application.use_cases.execute_policy import check_runnable
from jamf_mcp.application.use_cases.update_inventory import InventoryPolicyChoice
from jamf_mcp.domain.diagnostics import (
    CheckResult,
    GrantedPrivileges,
    Reachability,
    failed,
    passed,
    skipped,
    warning,
)
from jamf_mcp.domain.errors import (
    AmbiguousPolicy,
    InvalidRequest,
    JamfCredentialsRejected,
    JamfMcpError,
    JamfPermissionDenied,
    PolicyNotFound,
)
from jamf_mcp.domain.versions import OsVersion

AREA = "Jamf Pro"
MINIMUM_VERSION = OsVersion(10, 49)
"""API clients (OAuth client credentials) exist since Jamf Pro 10.49."""
TESTED_FROM = OsVersion(11, 23)
"""The oldest Jamf Pro whose API schema the tests hold this server to."""
SLOW_CHECK_IN_MINUTES = 30

_REACH_FIXES = {
    Reachability.NOT_TLS: "Use the https:// address of Jamf Pro in JAMF_URL.",
    Reachability.CERTIFICATE_REJECTED: (
        "Check that JAMF_URL names the Jamf Pro host itself; for an on-premises server with a "
        "private CA, add that CA to this machine's trust store (SSL_CERT_FILE)."
    ),
    Reachability.TLS_FAILED: "Check JAMF_URL's host and port, and any TLS-inspecting proxy.",
    Reachability.UNREACHABLE: (
        "Check JAMF_URL, DNS, and that this machine may reach Jamf Pro on port 443 (firewall, "
        "proxy, NAT gateway)."
    ),
    Reachability.TIMED_OUT: "Check the network path to Jamf Pro (firewall, proxy, NAT gateway).",
}


@attrs.frozen
class DiagnoseJamfRequest:
    """What to check the tenant against.

    Attributes:
        inventory_policy: The policy `updateInventory` runs on computers.
    """

    inventory_policy: InventoryPolicyChoice = attrs.field(factory=InventoryPolicyChoice)


class DiagnoseJamf:
    """Check reachability over TLS, credentials, the version, each feature's privileges, the
    inventory policy and the check-in frequency.

    Rules:
    - A Jamf Pro that cannot be reached or refuses the credentials fails, and the checks that
      need it are skipped (each says why).
    - Older than 10.49 fails (no API clients); older than 11.23 warns (untested).
    - Privileges come from Jamf itself; every feature lists the ones it lacks. A missing
      privilege that Jamf's documents name for the call fails; one only inferred warns.
    - The inventory policy must exist, be enabled and run at recurring check-in (what
      `updateInventory` relies on); one that does not collect inventory or is not Ongoing warns.
    - A check-in interval of 30 minutes or more warns: actions wait that long.
    """

    def __init__(
        self,
        jamf: JamfAccess,
        policies: PolicyCatalogue,
        feature_names: Mapping[JamfFeature, str] | None = None,
    ) -> None:
        """`feature_names`: how the caller's users know each feature (the MCP tools behind it),
        added to the title of its privilege check."""
        self._jamf = jamf
        self._policies = policies
        self._feature_names = dict(feature_names or {})

    async def execute(self, request: DiagnoseJamfRequest) -> list[CheckResult]:
        """Run the checks in order; later ones are skipped when Jamf cannot be used."""
        reach, answered = await self._reach()
        if not answered:
            return [reach, *_skipped_after("Jamf Pro did not answer", sign_in=True)]
        signed_in = await self._sign_in()
        results = [reach, *signed_in]
        if any(result.failed for result in signed_in):
            return [*results, *_skipped_after("signing in to Jamf Pro failed", sign_in=False)]
        results += await self._privileges()
        results.append(await self._inventory_policy(request.inventory_policy))
        results.append(await self._check_in())
        return results

    async def _reach(self) -> tuple[CheckResult, bool]:
        """The TLS check, and whether Jamf Pro answered at all."""
        title = "URL reachable over TLS"
        attempt = await self._jamf.reach()
        where = self._jamf.target
        if attempt.outcome is Reachability.EMBEDDED:
            detail = f"{where}: no network (set JAMF_URL to check your Jamf Pro)"
            return skipped(AREA, title, detail), True
        if attempt.outcome is Reachability.REACHED:
            return passed(AREA, title, f"{where} answers over TLS ({attempt.detail})"), True
        fix = _REACH_FIXES.get(attempt.outcome, "Check JAMF_URL.")
        if attempt.outcome is Reachability.NOT_TLS:
            return failed(AREA, title, f"{where} answers over plain HTTP", fix), True
        return failed(AREA, title, f"cannot reach {where}: {attempt.detail}", fix), False

    async def _sign_in(self) -> list[CheckResult]:
        try:
            text = await self._jamf.server_version()
        except JamfCredentialsRejected as error:
            fix = (
                "Check JAMF_CLIENT_ID and JAMF_CLIENT_SECRET (or JAMF_USERNAME/JAMF_PASSWORD): the "
                "API client must be enabled and its secret current (Jamf Pro: Settings > System > "
                "API roles and clients)."
            )
            return [failed(AREA, "Credentials accepted", error.message, fix)]
        except JamfMcpError as error:
            return [failed(AREA, "Credentials accepted", error.message, "Try again shortly.")]
        signed_in = passed(AREA, "Credentials accepted", f"{self._jamf.account} signed in")
        return [signed_in, _version(text)]

    async def _privileges(self) -> list[CheckResult]:
        try:
            granted = await self._jamf.granted_privileges()
        except JamfMcpError as error:
            return [
                warning(
                    AREA,
                    "Privileges",
                    f"could not read this account's privileges: {error.message}",
                    "Compare the account's API roles with docs/configuration.md by hand.",
                )
            ]
        if not granted.everything and not granted.names:
            return [
                warning(
                    AREA,
                    "Privileges",
                    f"Jamf Pro listed no privileges for this {granted.account_kind}",
                    "Assign an API role with the privileges below, or compare by hand.",
                )
            ]
        needs = self._jamf.privilege_needs()
        features = [f for f in JamfFeature if any(need.feature is f for need in needs)]
        return [
            _feature_check(feature, needs, granted, self._feature_names.get(feature))
            for feature in features
        ]

    async def _inventory_policy(self, choice: InventoryPolicyChoice) -> CheckResult:
        title = "Inventory policy exists and is usable"
        named = f"policy id {choice.policy_id}" if choice.policy_id else f"'{choice.policy_name}'"
        try:
            policy = await find_policy(self._policies, choice.policy_id, choice.policy_name)
            check_runnable(policy)
        except PolicyNotFound:
            return failed(AREA, title, f"Jamf Pro has no policy {named}", _INVENTORY_FIX)
        except AmbiguousPolicy as error:
            return failed(AREA, title, error.message, _INVENTORY_FIX)
        except InvalidRequest as error:
            return failed(AREA, title, error.message, _INVENTORY_FIX)
        except JamfPermissionDenied as error:
            return failed(AREA, title, error.message, "Grant Read Policies (see Privileges).")
        except JamfMcpError as error:
            return warning(AREA, title, f"could not read {named}: {error.message}")
        found = f"'{policy.name}' (id {policy.policy_id}), {policy.frequency or 'frequency ?'}"
        if not policy.collects_inventory:
            return warning(
                AREA,
                title,
                f"{found} does not collect inventory",
                "Turn on Maintenance > Update Inventory in that policy.",
            )
        if policy.frequency and policy.frequency.strip().lower() != "ongoing":
            return warning(
                AREA,
                title,
                f"{found}: it runs again on a computer only once that computer's policy log "
                "is flushed",
                "Set its Execution Frequency to Ongoing so every request collects inventory.",
            )
        return passed(AREA, title, f"{found}, enabled, runs at check-in, collects inventory")

    async def _check_in(self) -> CheckResult:
        title = "Check-in frequency"
        try:
            minutes = await self._jamf.check_in_frequency_minutes()
        except JamfPermissionDenied:
            return warning(
                AREA,
                title,
                "this account may not read the check-in settings",
                "Grant Read Computer Check-In to see how long queued actions wait.",
            )
        except JamfMcpError as error:
            return warning(AREA, title, f"could not read it: {error.message}")
        detail = f"every {minutes} minutes: queued policy runs and inventory updates wait that long"
        if minutes >= SLOW_CHECK_IN_MINUTES:
            return warning(
                AREA,
                title,
                detail,
                "Consider 15 minutes (Settings > Computer management > Check-in).",
            )
        return passed(AREA, title, detail)


_INVENTORY_FIX = (
    "Create (or fix) a policy with Maintenance > Update Inventory, trigger Recurring Check-in, "
    "Execution Frequency Ongoing, enabled — or point JAMF_MCP_INVENTORY_POLICY at yours."
)


def _version(text: str) -> CheckResult:
    title = "Jamf Pro version supported"
    version = OsVersion.parse(text)
    if version is None:
        return warning(AREA, title, f"Jamf Pro reported an unreadable version {text[:40]!r}")
    if version < MINIMUM_VERSION:
        return failed(
            AREA,
            title,
            f"Jamf Pro {version} is older than {MINIMUM_VERSION}",
            "Upgrade Jamf Pro: API clients need 10.49 or later.",
        )
    if version < TESTED_FROM:
        return warning(
            AREA,
            title,
            f"Jamf Pro {version}: older than {TESTED_FROM}, the oldest version tested",
            "Upgrade Jamf Pro when you can; report anything that fails.",
        )
    return passed(AREA, title, f"Jamf Pro {version}")


def _feature_check(
    feature: JamfFeature,
    needs: Sequence[PrivilegeNeed],
    granted: GrantedPrivileges,
    known_as: str | None,
) -> CheckResult:
    title = f"Privileges for {feature.value}" + (f" ({known_as})" if known_as else "")
    mine = [need for need in needs if need.feature is feature]
    missing = [need for need in mine if not granted.holds(need.privilege)]
    if not missing:
        held_names = sorted({need.privilege for need in mine})
        held = f"all {len(held_names)} held" if len(held_names) > 1 else f"{held_names[0]} held"
        return passed(AREA, title, held)
    names = "; ".join(
        need.privilege + (f" (for {need.condition})" if need.condition else "") for need in missing
    )
    privileges = ", ".join(dict.fromkeys(need.privilege for need in missing))
    if granted.account_kind == "API client":
        fix = (
            f"Add {privileges} to an API role of this API client (Jamf Pro: Settings > System > "
            "API roles and clients), then run the doctor again: new tokens carry new privileges."
        )
    else:
        fix = (
            f"Grant {privileges} to this user account (Jamf Pro: Settings > System > User "
            "accounts and groups)."
        )
    if any(need.documented for need in missing):
        return failed(AREA, title, f"{feature.value} need {names}: missing", fix)
    return warning(
        AREA, title, f"probably needed, not confirmed by Jamf's documents: {names}: missing", fix
    )


def _skipped_after(reason: str, *, sign_in: bool) -> list[CheckResult]:
    titles: tuple[str, ...] = (
        "Privileges",
        "Inventory policy exists and is usable",
        "Check-in frequency",
    )
    if sign_in:
        titles = ("Credentials accepted", "Jamf Pro version supported", *titles)
    return [skipped(AREA, title, f"not checked: {reason}") for title in titles]
