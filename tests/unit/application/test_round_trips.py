"""The fewest Jamf round trips for the read tools: what each use case asks its ports for."""

from __future__ import annotations

from jamf_mcp.adapters.memory import InMemoryDeviceInventory, InMemoryPolicyCatalogue
from jamf_mcp.application.use_cases import (
    DeviceTypeFilter,
    GetDeviceDetails,
    GetDeviceRequest,
    GetPolicyDetails,
    GetPolicyRequest,
    SearchDevices,
    SearchDevicesRequest,
)
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import ALL_ASPECTS


async def test_device_details_come_from_the_one_identifier_look_up(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    device = await GetDeviceDetails(inventory).execute(
        GetDeviceRequest("John-Smith-MacBook-Pro", DeviceTypeFilter.ANY), reader
    )
    assert device.identity.jamf_id == "77"
    assert inventory.calls["get"] == 0  # no second request for the full record
    assert inventory.calls["find"] == 2  # computers and mobile devices, asked at once
    assert all(aspects == ALL_ASPECTS for aspects in inventory.aspects_requested)


async def test_the_first_page_of_a_search_asks_both_families_once_without_counting(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    result = await SearchDevices(inventory).execute(
        SearchDevicesRequest(search_term="John Smith", device_type=DeviceTypeFilter.ANY, limit=5),
        reader,
    )
    assert [d.identity.name for d in result.devices] == [
        "John-Smith-MacBook-Pro",
        "John-Smith-iPhone",
    ]
    assert result.total == 2
    assert (inventory.calls["count"], inventory.calls["search"]) == (0, 2)


async def test_a_later_page_still_counts_to_place_the_mobile_devices(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    result = await SearchDevices(inventory).execute(
        SearchDevicesRequest(
            search_term="John Smith", device_type=DeviceTypeFilter.ANY, limit=1, offset=1
        ),
        reader,
    )
    assert [d.identity.name for d in result.devices] == ["John-Smith-iPhone"]
    assert inventory.calls["count"] == 2


class CountingCatalogue(InMemoryPolicyCatalogue):
    """Counts reads of the whole list."""

    listed: int = 0

    async def list_policies(self):  # type: ignore[no-untyped-def]
        self.listed += 1
        return await super().list_policies()


async def test_a_policy_named_exactly_is_read_directly_without_the_list(
    policies: InMemoryPolicyCatalogue, reader: Principal
) -> None:
    catalogue = CountingCatalogue(dict(policies.policies))
    use_case = GetPolicyDetails(catalogue)
    found = await use_case.execute(GetPolicyRequest(policy_name="Software Update"), reader)
    assert (found.policy_id, catalogue.listed) == (45, 0)
    partial = await use_case.execute(GetPolicyRequest(policy_name="chrome"), reader)
    assert (partial.policy_id, catalogue.listed) == (7, 1)
