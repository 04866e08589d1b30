"""Ports: the capabilities use cases need from the outside world, as `typing.Protocol`s.

Adapters implement them (`adapters/jamf_rest` for a real Jamf Pro, `adapters/memory` for tests);
use cases depend only on these. One module per concern, each named by what it holds:

- `jamf_inventory`: `DeviceInventory`, `Directory`
- `jamf_policies`: `PolicyCatalogue`, `PolicyRunner`, `CheckInSchedule`, `PolicyHistory`
- `jamf_commands`: `ManagementCommands`, `MobileInventoryUpdates`
- `identity`: `TokenVerifier`
- `confirmations`: `ConfirmationStore`, `DigestKeys`, `Confirmer`, `ConfirmationAnswer`
- `audit`: `AuditLog` (write side), `AuditTrail` (read side)
- `policy_runs`: `PolicyRunTracker`
- `rate_limits`: `RateLimiter`, `RateDecision`
- `call_control`: `ProgressSink`, `Cancellation`
- `clock`: `Clock`; `paging`: `Page`
- `doctor`: what `jamf-mcp doctor` reads (not used while serving; not re-exported here)

Ports import only the domain (an import-linter contract holds them to it). Every name is
re-exported here, so `from jamf_mcp.application.ports import Clock` works as well as the
specific module.
"""

from __future__ import annotations

from jamf_mcp.application.ports.audit import AuditLog, AuditTrail
from jamf_mcp.application.ports.call_control import Cancellation, ProgressSink
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.ports.confirmations import (
    ConfirmationAnswer,
    ConfirmationStore,
    Confirmer,
    DigestKeys,
)
from jamf_mcp.application.ports.identity import TokenVerifier
from jamf_mcp.application.ports.jamf_commands import ManagementCommands, MobileInventoryUpdates
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory, Directory
from jamf_mcp.application.ports.jamf_policies import (
    CheckInSchedule,
    PolicyCatalogue,
    PolicyHistory,
    PolicyRunner,
)
from jamf_mcp.application.ports.paging import Page
from jamf_mcp.application.ports.policy_runs import PolicyRunTracker
from jamf_mcp.application.ports.rate_limits import RateDecision, RateLimiter

__all__ = [
    "AuditLog",
    "AuditTrail",
    "Cancellation",
    "CheckInSchedule",
    "Clock",
    "ConfirmationAnswer",
    "ConfirmationStore",
    "Confirmer",
    "DeviceInventory",
    "DigestKeys",
    "Directory",
    "ManagementCommands",
    "MobileInventoryUpdates",
    "Page",
    "PolicyCatalogue",
    "PolicyHistory",
    "PolicyRunTracker",
    "PolicyRunner",
    "ProgressSink",
    "RateDecision",
    "RateLimiter",
    "TokenVerifier",
]
