"""The Jamf Pro adapter: one shared httpx client, bearer tokens, paging, RSQL, and JSON → domain mapping.

Wire it with `open_jamf_http(connection)` and build the ports on the `JamfHttp` it yields
(`jamf_ports(http)` builds them all).
"""

from __future__ import annotations

import attrs

from jamf_mcp.adapters.jamf_rest.auth import JamfTokenAuth
from jamf_mcp.adapters.jamf_rest.check_in import JamfCheckInSchedule
from jamf_mcp.adapters.jamf_rest.directory import JamfDirectory
from jamf_mcp.adapters.jamf_rest.inventory import JamfDeviceInventory
from jamf_mcp.adapters.jamf_rest.mdm_commands import JamfManagementCommands
from jamf_mcp.adapters.jamf_rest.mobile_inventory import JamfMobileInventoryUpdates
from jamf_mcp.adapters.jamf_rest.policies import JamfPolicyCatalogue
from jamf_mcp.adapters.jamf_rest.policy_history import JamfPolicyHistory
from jamf_mcp.adapters.jamf_rest.policy_runner import JamfPolicyRunner
from jamf_mcp.adapters.jamf_rest.settings import JamfConnection
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp, RetryPolicy, open_jamf_http
from jamf_mcp.adapters.jamf_rest.version import JamfApiVersions


@attrs.frozen
class JamfPorts:
    """The ports one Jamf Pro tenant provides, sharing one client and one directory cache."""

    inventory: JamfDeviceInventory
    directory: JamfDirectory
    policies: JamfPolicyCatalogue
    policy_runner: JamfPolicyRunner
    commands: JamfManagementCommands
    policy_history: JamfPolicyHistory
    mobile_inventory: JamfMobileInventoryUpdates
    check_in: JamfCheckInSchedule


def jamf_ports(http: JamfHttp) -> JamfPorts:
    """Build every Jamf-backed port on one open `JamfHttp`."""
    directory = JamfDirectory(http)
    return JamfPorts(
        inventory=JamfDeviceInventory(http, directory),
        directory=directory,
        policies=JamfPolicyCatalogue(http),
        policy_runner=JamfPolicyRunner(http),
        commands=JamfManagementCommands(http),
        policy_history=JamfPolicyHistory(http),
        mobile_inventory=JamfMobileInventoryUpdates(http),
        check_in=JamfCheckInSchedule(http),
    )


__all__ = [
    "JamfApiVersions",
    "JamfCheckInSchedule",
    "JamfConnection",
    "JamfDeviceInventory",
    "JamfDirectory",
    "JamfHttp",
    "JamfManagementCommands",
    "JamfMobileInventoryUpdates",
    "JamfPolicyCatalogue",
    "JamfPolicyHistory",
    "JamfPolicyRunner",
    "JamfPorts",
    "JamfTokenAuth",
    "RetryPolicy",
    "jamf_ports",
    "open_jamf_http",
]
