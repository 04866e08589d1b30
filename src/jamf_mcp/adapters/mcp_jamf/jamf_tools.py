"""The Jamf read tools: MCP definitions whose handlers translate arguments into use-case calls."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from jamf_mcp.adapters.mcp.tools import ToolAnnotations, ToolContext, ToolDefinition, ToolResult
from jamf_mcp.adapters.mcp_jamf import jamf_tools_schemas as schemas
from jamf_mcp.adapters.mcp_jamf.jamf_tools_cursor import make_cursor, read_cursor
from jamf_mcp.adapters.mcp_jamf.jamf_tools_present import (
    compliance_summary,
    device_details,
    device_summary,
    fleet_summary,
    noncompliant_device,
    policy_details,
    policy_summary,
)
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.use_cases import (
    CheckDeviceCompliance,
    ComplianceRequest,
    DeviceTypeFilter,
    FleetSummaryRequest,
    GetDeviceDetails,
    GetDeviceRequest,
    GetFleetSummary,
    GetPolicyDetails,
    GetPolicyRequest,
    ListPolicies,
    ListPoliciesRequest,
    SearchDevices,
    SearchDevicesRequest,
)
from jamf_mcp.domain.errors import DeviceNotFound, InvalidRequest
from jamf_mcp.domain.versions import OsVersion

READ_ONLY = ToolAnnotations(
    title=None, read_only=True, destructive=False, idempotent=True, open_world=False
)


FIND_DEVICES_ADVICE: Mapping[type[Exception], str] = {
    DeviceNotFound: "Or find it with searchDevices (by name, serial number, asset tag or assigned user)."
}
"""What a tool that takes a device identifier says when none matches."""


def security_schemes(scopes: frozenset[str]) -> dict[str, Any]:
    """The `_meta.securitySchemes` entry ChatGPT's Apps SDK reads to know a tool's scopes."""
    return {"securitySchemes": [{"type": "oauth2", "scopes": sorted(scopes)}]}


def _more(shown: int, total: int, next_cursor: str | None, noun: str) -> str | None:
    if next_cursor is None:
        return None
    return f"Showing {shown} of {total} {noun}; call again with cursor={next_cursor!r} for more."


def search_request(args: Mapping[str, Any], offset: int) -> SearchDevicesRequest:
    """searchDevices' request from its validated arguments, defaults filled (ADR 0042)."""
    return SearchDevicesRequest(
        search_term=args["searchTerm"],
        device_type=DeviceTypeFilter(args["deviceType"]),
        limit=args["limit"],
        department=args.get("department"),
        building=args.get("building"),
        offset=offset,
    )


def compliance_request(args: Mapping[str, Any], offset: int) -> ComplianceRequest:
    """checkDeviceCompliance's request from its validated arguments, defaults filled."""
    minimum = args.get("minimumOsVersion")
    return ComplianceRequest(
        days_since_last_checkin=args["daysSinceLastCheckin"],
        critical_after_days=args["criticalAfterDays"],
        require_filevault=args["requireFileVault"],
        require_sip=args["requireSip"],
        require_gatekeeper=args["requireGatekeeper"],
        require_firewall=args["requireFirewall"],
        limit=args["limit"],
        minimum_os_version=OsVersion.parse(minimum) if minimum else None,
        minimum_free_disk_gb=args.get("minimumFreeDiskGb"),
        department=args.get("department"),
        offset=offset,
    )


def fleet_request(args: Mapping[str, Any]) -> FleetSummaryRequest:
    """getFleetSummary's request from its validated arguments, defaults filled."""
    return FleetSummaryRequest(DeviceTypeFilter(args["deviceType"]), args.get("department"))


@attrs.frozen
class ReadTools:
    """The read use cases behind the tools, and the clock used to age timestamps."""

    search_devices: SearchDevices
    get_device_details: GetDeviceDetails
    check_device_compliance: CheckDeviceCompliance
    list_policies: ListPolicies
    get_policy_details: GetPolicyDetails
    get_fleet_summary: GetFleetSummary
    clock: Clock

    async def search(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """searchDevices."""
        request = search_request(args, read_cursor(args))
        result = await self.search_devices.execute(request, ctx.principal)
        now = self.clock.now()
        nxt = None if result.next_offset is None else make_cursor(result.next_offset, args)
        note = _more(request.offset + len(result.devices), result.total, nxt, "devices")
        text = f"Found {result.total} device(s)." + (f" {note}" if note else "")
        return ToolResult(
            structured={
                "devices": [device_summary(d, now) for d in result.devices],
                "total": result.total,
                "returned": len(result.devices),
                "nextCursor": nxt,
                "note": note,
            },
            text=text,
        )

    async def details(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """getDeviceDetails."""
        request = GetDeviceRequest(args["deviceIdentifier"], DeviceTypeFilter(args["deviceType"]))
        device = await self.get_device_details.execute(request, ctx.principal)
        return ToolResult(structured=device_details(device, self.clock.now()))

    async def compliance(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """checkDeviceCompliance."""
        request = compliance_request(args, read_cursor(args))
        result = await self.check_device_compliance.execute(request, ctx.principal)
        now = self.clock.now()
        page, summary = result.devices, result.summary
        nxt = None if page.next_offset is None else make_cursor(page.next_offset, args)
        note = _more(page.offset + len(page.items), page.total, nxt, "non-compliant devices")
        text = (
            f"{summary.total} computers checked: {summary.noncompliant} non-compliant "
            f"({summary.critical} critical, {summary.warning} warning)."
        ) + (f" {note}" if note else "")
        return ToolResult(
            structured={
                "summary": compliance_summary(summary),
                "devices": [noncompliant_device(d, now) for d in page.items],
                "returned": len(page.items),
                "nextCursor": nxt,
                "note": note,
            },
            text=text,
        )

    async def policies(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """listPolicies."""
        request = ListPoliciesRequest(
            name_contains=args.get("nameContains"),
            enabled_only=args["enabledOnly"],
            limit=args["limit"],
            offset=read_cursor(args),
        )
        page = await self.list_policies.execute(request, ctx.principal)
        nxt = None if page.next_offset is None else make_cursor(page.next_offset, args)
        note = _more(request.offset + len(page.items), page.total, nxt, "policies")
        return ToolResult(
            structured={
                "policies": [policy_summary(p) for p in page.items],
                "total": page.total,
                "returned": len(page.items),
                "nextCursor": nxt,
                "note": note,
            },
            text=f"{page.total} polic{'y' if page.total == 1 else 'ies'} found."
            + (f" {note}" if note else ""),
        )

    async def policy(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """getPolicyDetails."""
        if "policyId" not in args and "policyName" not in args:
            raise InvalidRequest("Give policyId or policyName.")
        request = GetPolicyRequest(args.get("policyId"), args.get("policyName"))
        policy = await self.get_policy_details.execute(request, ctx.principal)
        return ToolResult(structured=policy_details(policy))

    async def fleet(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """getFleetSummary."""
        summary = await self.get_fleet_summary.execute(fleet_request(args), ctx.principal)
        return ToolResult(
            structured=fleet_summary(summary), text=f"{summary.total} devices counted."
        )

    def definitions(self) -> list[ToolDefinition]:
        """The six read tools, in catalogue order."""

        def tool(
            name: str,
            title: str,
            description: str,
            input_schema: Mapping[str, Any],
            output_schema: Mapping[str, Any],
            handler: Any,
        ) -> ToolDefinition:
            return ToolDefinition(
                name=name,
                title=title,
                description=description,
                input_schema=input_schema,
                output_schema=output_schema,
                annotations=attrs.evolve(READ_ONLY, title=title),
                required_scopes=self.search_devices.required_scopes,
                handler=handler,
                meta=security_schemes(self.search_devices.required_scopes),
                error_advice=FIND_DEVICES_ADVICE,
            )

        return [
            tool(
                "searchDevices",
                "Search devices",
                "Find Macs, iPhones and iPads in Jamf Pro by name, serial number, asset tag, or the "
                "assigned user's name/username/email, optionally within a department or building. "
                "Example: searchTerm 'John Smith' finds John Smith's devices. Results are paged: "
                "pass nextCursor back to get more.",
                schemas.SEARCH_INPUT,
                schemas.SEARCH_OUTPUT,
                self.search,
            ),
            tool(
                "getDeviceDetails",
                "Get device details",
                "Show everything Jamf Pro knows about one device — user, OS, hardware, security "
                "(FileVault, SIP, Gatekeeper, firewall), storage, last check-in and last inventory "
                "update. Identify it by Jamf id, serial number, asset tag, UDID or exact name.",
                schemas.DEVICE_INPUT,
                schemas.DEVICE_OUTPUT,
                self.details,
            ),
            tool(
                "checkDeviceCompliance",
                "Check device compliance",
                "Report computers that have not checked in with Jamf Pro for more than "
                "daysSinceLastCheckin days (critical at criticalAfterDays or more), optionally with "
                "extra rules: minimum macOS version, FileVault, SIP, Gatekeeper, firewall, free disk. "
                "Returns fleet totals and the non-compliant computers, worst first.",
                schemas.COMPLIANCE_INPUT,
                schemas.COMPLIANCE_OUTPUT,
                self.compliance,
            ),
            tool(
                "listPolicies",
                "List policies",
                "List Jamf Pro policies with their state, category, frequency, triggers and scope, "
                "sorted by name; filter by part of the name or to enabled policies only.",
                schemas.LIST_POLICIES_INPUT,
                schemas.LIST_POLICIES_OUTPUT,
                self.policies,
            ),
            tool(
                "getPolicyDetails",
                "Get policy details",
                "Show one Jamf Pro policy in full (scope, packages, scripts, triggers, how it runs), "
                "by policyId or policyName.",
                schemas.POLICY_INPUT,
                schemas.POLICY_OUTPUT,
                self.policy,
            ),
            tool(
                "getFleetSummary",
                "Get fleet summary",
                "Count the whole fleet by OS version, model, FileVault state, check-in age and "
                "department (every device is counted, none sampled).",
                schemas.FLEET_INPUT,
                schemas.FLEET_OUTPUT,
                self.fleet,
            ),
        ]
