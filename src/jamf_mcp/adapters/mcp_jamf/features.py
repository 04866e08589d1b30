"""The MCP tools behind each Jamf feature the doctor checks (its report names them)."""

from __future__ import annotations

from jamf_mcp.application.ports.doctor import JamfFeature

FEATURE_TOOLS: dict[JamfFeature, str] = {
    JamfFeature.DEVICE_READS: "searchDevices, getDeviceDetails, search, fetch",
    JamfFeature.COMPLIANCE: "checkDeviceCompliance, getFleetSummary",
    JamfFeature.POLICY_READS: "listPolicies, getPolicyDetails",
    JamfFeature.POLICY_RUNS: "executePolicy, updateInventory on computers",
    JamfFeature.MOBILE_INVENTORY: "updateInventory on mobile devices",
    JamfFeature.MDM_COMMANDS: "sendMdmCommand",
    JamfFeature.COMMAND_STATUS: "getCommandStatus",
}
"""The MCP tools each feature serves, as the doctor's report names them."""
