"""The jamf:// resources: reports, the recent audit trail, and one device or policy by id."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from jamf_mcp.adapters.mcp.arguments import schema_defaults
from jamf_mcp.adapters.mcp.methods import CacheHint
from jamf_mcp.adapters.mcp.resources import (
    ResourceDefinition,
    ResourceMethods,
    ResourceNotFound,
    ResourceTemplate,
)
from jamf_mcp.adapters.mcp.resources_paging import DEFAULT_PAGE_SIZE
from jamf_mcp.adapters.mcp_jamf.jamf_resources_present import (
    MAX_REPORT_DEVICES,
    audit_trail,
    compliance_report,
)
from jamf_mcp.adapters.mcp_jamf.jamf_tools import compliance_request, fleet_request
from jamf_mcp.adapters.mcp_jamf.jamf_tools_present import (
    device_details,
    fleet_summary,
    policy_details,
)
from jamf_mcp.adapters.mcp_jamf.jamf_tools_schemas import COMPLIANCE_INPUT, FLEET_INPUT
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.use_cases import (
    AuditRecordsRequest,
    CheckDeviceCompliance,
    DeviceTypeFilter,
    GetDeviceDetails,
    GetDeviceRequest,
    GetFleetSummary,
    GetPolicyDetails,
    GetPolicyRequest,
    ListAuditRecords,
)
from jamf_mcp.domain.errors import AmbiguousDevice, DeviceNotFound, PolicyNotFound
from jamf_mcp.domain.principal import Principal

COMPLIANCE_URI = "jamf://reports/compliance"
FLEET_SUMMARY_URI = "jamf://reports/fleet-summary"
AUDIT_URI = "jamf://audit/recent"
COMPUTER_TEMPLATE = "jamf://computers/{id}"
MOBILE_TEMPLATE = "jamf://mobile-devices/{id}"
POLICY_TEMPLATE = "jamf://policies/{id}"

REPORT_ARGUMENTS: Mapping[str, Any] = MappingProxyType(
    {**schema_defaults(COMPLIANCE_INPUT), "limit": MAX_REPORT_DEVICES}
)
"""checkDeviceCompliance's arguments the compliance report resource stands for: its defaults."""
COMPLIANCE_DAYS: int = REPORT_ARGUMENTS["daysSinceLastCheckin"]
CRITICAL_DAYS: int = REPORT_ARGUMENTS["criticalAfterDays"]
FLEET_ARGUMENTS = schema_defaults(FLEET_INPUT)
"""getFleetSummary's arguments the fleet summary resource stands for: its defaults."""
AUDIT_RECORDS = 50
_REPORT_CACHE = CacheHint(ttl_ms=60_000, scope="private")
_RECORD_CACHE = CacheHint(ttl_ms=30_000, scope="private")
_AUDIT_CACHE = CacheHint(ttl_ms=0, scope="private")

_KIND_LABEL = {DeviceTypeFilter.COMPUTER: "computer", DeviceTypeFilter.MOBILE: "mobile device"}


@attrs.frozen
class JamfResources:
    """The read use cases behind the jamf:// resources, and the clock used to age timestamps."""

    get_device_details: GetDeviceDetails
    get_policy_details: GetPolicyDetails
    check_device_compliance: CheckDeviceCompliance
    get_fleet_summary: GetFleetSummary
    list_audit_records: ListAuditRecords
    clock: Clock

    async def compliance(self, _: Mapping[str, str], principal: Principal) -> Any:
        """jamf://reports/compliance: checkDeviceCompliance with its defaults, the first page."""
        request = compliance_request(REPORT_ARGUMENTS, offset=0)
        report = await self.check_device_compliance.execute(request, principal)
        return compliance_report(report, self.clock.now(), request.days_since_last_checkin)

    async def fleet(self, _: Mapping[str, str], principal: Principal) -> Any:
        """jamf://reports/fleet-summary: getFleetSummary with its defaults."""
        summary = await self.get_fleet_summary.execute(fleet_request(FLEET_ARGUMENTS), principal)
        return fleet_summary(summary)

    async def audit(self, _: Mapping[str, str], principal: Principal) -> Any:
        """jamf://audit/recent: the 50 most recent confirmed actions."""
        request = AuditRecordsRequest(limit=AUDIT_RECORDS)
        return audit_trail(await self.list_audit_records.execute(request, principal), AUDIT_RECORDS)

    async def computer(self, variables: Mapping[str, str], principal: Principal) -> Any:
        """jamf://computers/{id}."""
        return await self._device(variables["id"], DeviceTypeFilter.COMPUTER, principal)

    async def mobile_device(self, variables: Mapping[str, str], principal: Principal) -> Any:
        """jamf://mobile-devices/{id}."""
        return await self._device(variables["id"], DeviceTypeFilter.MOBILE, principal)

    async def policy(self, variables: Mapping[str, str], principal: Principal) -> Any:
        """jamf://policies/{id}."""
        policy_id = int(variables["id"])
        try:
            policy = await self.get_policy_details.execute(GetPolicyRequest(policy_id), principal)
        except PolicyNotFound:
            raise ResourceNotFound(f"No policy has the Jamf id {policy_id}.") from None
        return policy_details(policy)

    async def _device(self, jamf_id: str, family: DeviceTypeFilter, principal: Principal) -> Any:
        missing = ResourceNotFound(f"No {_KIND_LABEL[family]} has the Jamf id {jamf_id}.")
        try:
            device = await self.get_device_details.execute(
                GetDeviceRequest(jamf_id, family), principal
            )
        except (DeviceNotFound, AmbiguousDevice):
            # Several matches mean none of them has this Jamf id (an id match would win).
            raise missing from None
        # The identifier also matches names and serials; a resource names the Jamf id only.
        if device.identity.jamf_id != jamf_id:
            raise missing
        return device_details(device, self.clock.now())

    def provider(self, *, page_size: int = DEFAULT_PAGE_SIZE) -> ResourceMethods:
        """The resource methods over these readers."""
        return ResourceMethods(self.definitions(), self.templates(), page_size=page_size)

    def definitions(self) -> list[ResourceDefinition]:
        """The fixed resources, in listing order."""
        return [
            ResourceDefinition(
                COMPLIANCE_URI,
                "compliance-report",
                f"Compliance report ({COMPLIANCE_DAYS}-day check-in)",
                "Computers that have not checked in with Jamf Pro for more than "
                f"{COMPLIANCE_DAYS} days (critical at {CRITICAL_DAYS} or more), worst first, "
                "with fleet totals — the report checkDeviceCompliance returns with its "
                "defaults, as JSON.",
                self.compliance,
                _REPORT_CACHE,
            ),
            ResourceDefinition(
                FLEET_SUMMARY_URI,
                "fleet-summary",
                "Fleet summary (computers)",
                "Every computer counted by macOS version, model, FileVault state, check-in age "
                "and department, as JSON (getFleetSummary with its defaults).",
                self.fleet,
                _REPORT_CACHE,
            ),
            ResourceDefinition(
                AUDIT_URI,
                "recent-actions",
                "Recent confirmed actions",
                "The 50 most recent actions confirmed through this server, newest first: when, "
                "who, what, on which devices, a short reference to the confirmed digest, how it was "
                "confirmed, its "
                "status and per-device outcome counts, as JSON.",
                self.audit,
                _AUDIT_CACHE,
            ),
        ]

    def templates(self) -> list[ResourceTemplate]:
        """The per-record URI templates, in listing order."""
        return [
            ResourceTemplate(
                COMPUTER_TEMPLATE,
                "computer",
                "Computer",
                "One Mac by its Jamf id: the same JSON getDeviceDetails returns (user, OS, "
                "hardware, security, storage, check-in and inventory times).",
                self.computer,
                cache=_RECORD_CACHE,
            ),
            ResourceTemplate(
                MOBILE_TEMPLATE,
                "mobile-device",
                "Mobile device",
                "One iPhone or iPad by its Jamf id: the same JSON getDeviceDetails returns.",
                self.mobile_device,
                cache=_RECORD_CACHE,
            ),
            ResourceTemplate(
                POLICY_TEMPLATE,
                "policy",
                "Policy",
                "One Jamf Pro policy by its id: the same JSON getPolicyDetails returns (scope, "
                "packages, scripts, triggers, how it runs).",
                self.policy,
                cache=_RECORD_CACHE,
            ),
        ]
