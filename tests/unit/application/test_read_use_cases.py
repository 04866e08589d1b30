"""Read use cases over in-memory fakes: search, details, compliance, policies, fleet summary."""

from __future__ import annotations

from datetime import timedelta

import attrs
import pytest

from jamf_mcp.adapters.memory import FixedClock, InMemoryDeviceInventory, InMemoryPolicyCatalogue
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
from jamf_mcp.domain.errors import (
    AccessDenied,
    AmbiguousDevice,
    AmbiguousPolicy,
    DeviceNotFound,
    PolicyNotFound,
    UnknownDepartment,
)
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import InventoryAspect
from jamf_mcp.domain.versions import OsVersion

ANY = DeviceTypeFilter.ANY
CHECK_IN_30 = ComplianceRequest(days_since_last_checkin=30, critical_after_days=90, limit=500)


async def test_search_finds_john_smiths_mac_and_iphone(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    result = await SearchDevices(inventory).execute(
        SearchDevicesRequest(search_term="john smith", device_type=ANY, limit=50), reader
    )
    assert [d.identity.name for d in result.devices] == [
        "John-Smith-MacBook-Pro",
        "John-Smith-iPhone",
    ]
    assert result.total == 2 and result.next_offset is None


async def test_search_pages_across_computers_then_mobile_devices(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    first = await SearchDevices(inventory).execute(
        SearchDevicesRequest(device_type=ANY, limit=60), reader
    )
    second = await SearchDevices(inventory).execute(
        SearchDevicesRequest(device_type=ANY, limit=60, offset=60), reader
    )
    assert first.total == second.total == 102
    assert first.next_offset == 60 and second.next_offset is None
    ids = [d.identity.jamf_id for d in first.devices + second.devices]
    assert len(ids) == len(set(ids)) == 102
    assert second.devices[-1].identity.name == "Sales-iPad-01"


async def test_search_by_department_and_type_narrows_the_results(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    result = await SearchDevices(inventory).execute(
        SearchDevicesRequest(department="sales", device_type=DeviceTypeFilter.MOBILE, limit=50),
        reader,
    )
    assert [d.identity.name for d in result.devices] == ["Sales-iPad-01"]


async def test_search_with_an_unknown_department_says_which_exist(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    with pytest.raises(UnknownDepartment, match="marketing"):
        await SearchDevices(inventory).execute(
            SearchDevicesRequest(department="Narnia", device_type=ANY, limit=50), reader
        )


async def test_every_read_use_case_refuses_a_principal_without_read_scope(
    inventory: InMemoryDeviceInventory,
    policies: InMemoryPolicyCatalogue,
    clock: FixedClock,
    nobody: Principal,
) -> None:
    calls = [
        SearchDevices(inventory).execute(
            SearchDevicesRequest(search_term="x", device_type=ANY, limit=50), nobody
        ),
        GetDeviceDetails(inventory).execute(GetDeviceRequest("1", ANY), nobody),
        CheckDeviceCompliance(inventory, clock).execute(CHECK_IN_30, nobody),
        ListPolicies(policies).execute(ListPoliciesRequest(limit=25), nobody),
        GetPolicyDetails(policies).execute(GetPolicyRequest(policy_id=1), nobody),
        GetFleetSummary(inventory, clock).execute(
            FleetSummaryRequest(DeviceTypeFilter.COMPUTER), nobody
        ),
    ]
    for call in calls:
        with pytest.raises(AccessDenied, match="read:jamf"):
            await call
    assert sum(inventory.calls.values()) == 0


async def test_device_details_resolve_a_name_serial_or_asset_tag(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    use_case = GetDeviceDetails(inventory)
    for identifier in ("sales-mac-02", "C02SER000045", "MAC-045"):
        device = await use_case.execute(GetDeviceRequest(identifier, ANY), reader)
        assert device.identity.jamf_id == "45"


async def test_device_details_report_unknown_and_ambiguous_identifiers(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    use_case = GetDeviceDetails(inventory)
    with pytest.raises(DeviceNotFound):
        await use_case.execute(GetDeviceRequest("no-such-mac", ANY), reader)
    twin = inventory.devices[44]
    inventory.devices.append(
        attrs.evolve(twin, identity=attrs.evolve(twin.identity, jamf_id="999"))
    )
    with pytest.raises(AmbiguousDevice, match="2 devices"):
        await use_case.execute(GetDeviceRequest("Sales-Mac-02", ANY), reader)


async def test_compliance_counts_the_fleet_and_fetches_only_stale_devices(
    inventory: InMemoryDeviceInventory, clock: FixedClock, reader: Principal
) -> None:
    result = await CheckDeviceCompliance(inventory, clock).execute(CHECK_IN_30, reader)
    report = result.summary
    assert (report.total, report.noncompliant, report.critical, report.warning) == (100, 3, 2, 1)
    assert [d.device.identity.name for d in result.devices.items][:2] == [
        "Marketing-MBP",
        "Sales-Mac-02",
    ]
    assert inventory.calls["count"] == 1
    assert [q.checked_in_before for q in inventory.streamed_queries] == [
        clock.now() - timedelta(days=30)
    ]
    assert inventory.aspects_requested == [
        frozenset(
            {InventoryAspect.GENERAL, InventoryAspect.HARDWARE, InventoryAspect.USER_AND_LOCATION}
        )
    ]


async def test_compliance_for_one_department_counts_only_that_department(
    inventory: InMemoryDeviceInventory, clock: FixedClock, reader: Principal
) -> None:
    result = await CheckDeviceCompliance(inventory, clock).execute(
        attrs.evolve(CHECK_IN_30, department="Sales"), reader
    )
    assert (result.summary.total, result.summary.noncompliant) == (2, 2)


async def test_extra_rules_stream_the_fleet_once_with_the_aspects_they_need(
    inventory: InMemoryDeviceInventory, clock: FixedClock, reader: Principal
) -> None:
    request = attrs.evolve(CHECK_IN_30, minimum_os_version=OsVersion(16), require_filevault=True)
    report = (await CheckDeviceCompliance(inventory, clock).execute(request, reader)).summary
    assert report.total == 100 and report.noncompliant == 100
    assert report.rules == ("check_in", "minimum_os", "filevault")
    assert inventory.calls["stream"] == 1
    assert {
        InventoryAspect.OPERATING_SYSTEM,
        InventoryAspect.DISK_ENCRYPTION,
    } <= inventory.aspects_requested[0]


async def test_list_policies_pages_by_name_and_fetches_details_only_for_the_page(
    policies: InMemoryPolicyCatalogue, reader: Principal
) -> None:
    page = await ListPolicies(policies).execute(ListPoliciesRequest(limit=2), reader)
    assert [p.name for p in page.items] == ["Install Google Chrome", "Legacy Cleanup"]
    assert page.total == 5 and page.next_offset == 2
    assert set(policies.fetched) == {7, 8}


async def test_list_policies_can_skip_disabled_ones(
    policies: InMemoryPolicyCatalogue, reader: Principal
) -> None:
    page = await ListPolicies(policies).execute(
        ListPoliciesRequest(enabled_only=True, limit=10), reader
    )
    assert "Legacy Cleanup" not in [p.name for p in page.items]
    assert len(page.items) == 4 and page.next_offset is None


async def test_policy_details_by_exact_name_beat_partial_matches(
    policies: InMemoryPolicyCatalogue, reader: Principal
) -> None:
    policy = await GetPolicyDetails(policies).execute(
        GetPolicyRequest(policy_name="software update"), reader
    )
    assert policy.policy_id == 45


async def test_policy_details_report_ambiguous_and_unknown_names(
    policies: InMemoryPolicyCatalogue, reader: Principal
) -> None:
    use_case = GetPolicyDetails(policies)
    with pytest.raises(AmbiguousPolicy, match="Software Update \\(id 45\\)"):
        await use_case.execute(GetPolicyRequest(policy_name="update"), reader)
    with pytest.raises(PolicyNotFound):
        await use_case.execute(GetPolicyRequest(policy_name="Firefox"), reader)


async def test_fleet_summary_counts_every_computer(
    inventory: InMemoryDeviceInventory, clock: FixedClock, reader: Principal
) -> None:
    summary = await GetFleetSummary(inventory, clock).execute(
        FleetSummaryRequest(DeviceTypeFilter.COMPUTER), reader
    )
    assert summary.total == 100
    assert dict(summary.by_check_in)["90+ days"] == 2
    assert dict(summary.by_department)["Marketing"] == 1
