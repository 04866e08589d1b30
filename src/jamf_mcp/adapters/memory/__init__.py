"""In-memory implementations of the application ports, for tests and demos without Jamf."""

from jamf_mcp.adapters.memory.clock import FixedClock
from jamf_mcp.adapters.memory.confirmations import InMemoryConfirmationStore
from jamf_mcp.adapters.memory.inventory import InMemoryDeviceInventory, matches
from jamf_mcp.adapters.memory.policies import InMemoryPolicyCatalogue

__all__ = [
    "FixedClock",
    "InMemoryConfirmationStore",
    "InMemoryDeviceInventory",
    "InMemoryPolicyCatalogue",
    "matches",
]
