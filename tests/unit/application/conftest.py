"""Shared fixtures for use-case tests: an in-memory fleet and policy catalogue."""

from __future__ import annotations

import pytest

from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory, InMemoryPolicyCatalogue
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.policies import Policy, PolicyScope
from jamf_mcp.domain.principal import Principal, Scope
from tests.builders import NOW, computer


@pytest.fixture
def reader() -> Principal:
    return Principal("https://idp.test", "reader", frozenset({Scope.READ.value}))


@pytest.fixture
def nobody() -> Principal:
    return Principal("https://idp.test", "nobody", frozenset({"openid"}))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def inventory() -> InMemoryDeviceInventory:
    fleet = [computer(i, days_ago=(i % 20) + 0.5) for i in range(1, 101)]
    fleet[0] = computer(1, name="Marketing-MBP", days_ago=95, department="Marketing")
    fleet[44] = computer(45, name="Sales-Mac-02", days_ago=92, department="Sales")
    fleet[76] = computer(77, name="John-Smith-MacBook-Pro", real_name="John Smith", days_ago=2)
    fleet[9] = computer(10, days_ago=40, department="Sales")
    fleet.append(
        computer(501, name="John-Smith-iPhone", real_name="John Smith", kind=DeviceKind.MOBILE)
    )
    fleet.append(computer(502, name="Sales-iPad-01", department="Sales", kind=DeviceKind.MOBILE))
    return InMemoryDeviceInventory(fleet)


@pytest.fixture
def policies() -> InMemoryPolicyCatalogue:
    return InMemoryPolicyCatalogue.of(
        [
            Policy(
                1,
                "Update Inventory",
                True,
                "Maintenance",
                "Once every week",
                ("check-in",),
                PolicyScope(all_computers=True),
                collects_inventory=True,
            ),
            Policy(45, "Software Update", True, "Maintenance", "Once every day", ("check-in",)),
            Policy(7, "Install Google Chrome", True, "Apps", "Once per computer", ("check-in",)),
            Policy(8, "Legacy Cleanup", False, "Maintenance", "Ongoing", ()),
            Policy(9, "Software Update (Beta)", True, "Maintenance", "Ongoing", ("self-service",)),
        ]
    )
