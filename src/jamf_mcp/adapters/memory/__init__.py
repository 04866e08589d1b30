"""In-memory implementations of the application ports, for tests and demos without Jamf."""

from jamf_mcp.adapters.memory.approvals import InMemoryApprovalStore, InMemoryPageSessions
from jamf_mcp.adapters.memory.audit import InMemoryAuditLog
from jamf_mcp.adapters.memory.clock import FixedClock
from jamf_mcp.adapters.memory.confirmations import InMemoryConfirmationStore
from jamf_mcp.adapters.memory.device_actions import (
    InMemoryCheckInSchedule,
    InMemoryManagementCommands,
    InMemoryMobileInventoryUpdates,
    InMemoryPolicyHistory,
    InMemoryPolicyRunner,
)
from jamf_mcp.adapters.memory.digest_keys import StaticDigestKeys
from jamf_mcp.adapters.memory.inventory import InMemoryDeviceInventory, matches
from jamf_mcp.adapters.memory.policies import InMemoryPolicyCatalogue
from jamf_mcp.adapters.memory.policy_runs import InMemoryPolicyRunTracker
from jamf_mcp.adapters.memory.rate_limits import InMemoryRateLimiter

__all__ = [
    "FixedClock",
    "InMemoryApprovalStore",
    "InMemoryAuditLog",
    "InMemoryCheckInSchedule",
    "InMemoryConfirmationStore",
    "InMemoryDeviceInventory",
    "InMemoryManagementCommands",
    "InMemoryMobileInventoryUpdates",
    "InMemoryPageSessions",
    "InMemoryPolicyCatalogue",
    "InMemoryPolicyHistory",
    "InMemoryPolicyRunTracker",
    "InMemoryPolicyRunner",
    "InMemoryRateLimiter",
    "StaticDigestKeys",
    "matches",
]
