"""One use case per module."""

from jamf_mcp.application.use_cases.check_device_compliance import (
    CheckDeviceCompliance,
    CompliancePage,
    ComplianceRequest,
)
from jamf_mcp.application.use_cases.complete_names import (
    CompleteNames,
    CompleteNamesRequest,
    NameCompletions,
    NamedItem,
    NameSource,
)
from jamf_mcp.application.use_cases.execute_policy import ExecutePolicy, ExecutePolicyRequest
from jamf_mcp.application.use_cases.get_action_status import (
    ActionStatusRequest,
    GetActionStatus,
)
from jamf_mcp.application.use_cases.get_command_status import (
    CommandStatusReport,
    CommandStatusRequest,
    GetCommandStatus,
)
from jamf_mcp.application.use_cases.get_device_details import GetDeviceDetails, GetDeviceRequest
from jamf_mcp.application.use_cases.get_fleet_summary import FleetSummaryRequest, GetFleetSummary
from jamf_mcp.application.use_cases.get_policy_details import GetPolicyDetails, GetPolicyRequest
from jamf_mcp.application.use_cases.list_audit_records import (
    AuditRecordsPage,
    AuditRecordsRequest,
    ListAuditRecords,
)
from jamf_mcp.application.use_cases.list_policies import ListPolicies, ListPoliciesRequest
from jamf_mcp.application.use_cases.search_devices import (
    DeviceTypeFilter,
    SearchDevices,
    SearchDevicesRequest,
    SearchDevicesResult,
)
from jamf_mcp.application.use_cases.send_mdm_command import SendMdmCommand, SendMdmCommandRequest
from jamf_mcp.application.use_cases.update_inventory import (
    InventoryPolicyChoice,
    UpdateInventory,
    UpdateInventoryRequest,
)

__all__ = [
    "ActionStatusRequest",
    "AuditRecordsPage",
    "AuditRecordsRequest",
    "CheckDeviceCompliance",
    "CommandStatusReport",
    "CommandStatusRequest",
    "CompleteNames",
    "CompleteNamesRequest",
    "CompliancePage",
    "ComplianceRequest",
    "DeviceTypeFilter",
    "ExecutePolicy",
    "ExecutePolicyRequest",
    "FleetSummaryRequest",
    "GetActionStatus",
    "GetCommandStatus",
    "GetDeviceDetails",
    "GetDeviceRequest",
    "GetFleetSummary",
    "GetPolicyDetails",
    "GetPolicyRequest",
    "InventoryPolicyChoice",
    "ListAuditRecords",
    "ListPolicies",
    "ListPoliciesRequest",
    "NameCompletions",
    "NameSource",
    "NamedItem",
    "SearchDevices",
    "SearchDevicesRequest",
    "SearchDevicesResult",
    "SendMdmCommand",
    "SendMdmCommandRequest",
    "UpdateInventory",
    "UpdateInventoryRequest",
]
