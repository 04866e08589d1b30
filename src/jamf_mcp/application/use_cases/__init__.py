"""One use case per module."""

from jamf_mcp.application.use_cases.check_device_compliance import (
    CheckDeviceCompliance,
    ComplianceRequest,
)
from jamf_mcp.application.use_cases.get_device_details import GetDeviceDetails, GetDeviceRequest
from jamf_mcp.application.use_cases.get_fleet_summary import FleetSummaryRequest, GetFleetSummary
from jamf_mcp.application.use_cases.get_policy_details import GetPolicyDetails, GetPolicyRequest
from jamf_mcp.application.use_cases.list_policies import ListPolicies, ListPoliciesRequest
from jamf_mcp.application.use_cases.search_devices import (
    DeviceTypeFilter,
    SearchDevices,
    SearchDevicesRequest,
    SearchDevicesResult,
)

__all__ = [
    "CheckDeviceCompliance",
    "ComplianceRequest",
    "DeviceTypeFilter",
    "FleetSummaryRequest",
    "GetDeviceDetails",
    "GetDeviceRequest",
    "GetFleetSummary",
    "GetPolicyDetails",
    "GetPolicyRequest",
    "ListPolicies",
    "ListPoliciesRequest",
    "SearchDevices",
    "SearchDevicesRequest",
    "SearchDevicesResult",
]
