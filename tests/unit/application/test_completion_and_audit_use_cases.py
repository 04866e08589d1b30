"""CompleteNames and ListAuditRecords over in-memory fakes: matching, honest totals, access."""

from __future__ import annotations

from collections.abc import Sequence

import attrs
import pytest

from jamf_mcp.adapters.memory import (
    InMemoryAuditLog,
    InMemoryDeviceInventory,
    InMemoryPolicyCatalogue,
)
from jamf_mcp.application.use_cases import (
    AuditRecordsRequest,
    CompleteNames,
    CompleteNamesRequest,
    ListAuditRecords,
    NameCompletions,
    NamedItem,
    NameSource,
)
from jamf_mcp.application.use_cases.complete_names import SCAN_PAGE, SCAN_PAGES
from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.audit import AuditAction, AuditActor, ConfirmationChannel
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import AccessDenied
from jamf_mcp.domain.principal import Principal
from tests.builders import computer, record_approved


@attrs.define
class Departments:
    names: list[str]

    async def departments(self) -> Sequence[str]:
        return self.names

    async def buildings(self) -> Sequence[str]:
        return []


@pytest.fixture
def complete(
    inventory: InMemoryDeviceInventory, policies: InMemoryPolicyCatalogue
) -> CompleteNames:
    return CompleteNames(inventory, policies, Departments(["Sales", "Marketing", "Presales"]))


async def names(
    complete: CompleteNames, source: NameSource, typed: str, reader: Principal, limit: int = 100
) -> NameCompletions:
    return await complete.execute(CompleteNamesRequest(source, typed, limit), reader)


async def test_device_names_that_start_with_the_text_are_suggested(
    complete: CompleteNames, reader: Principal
) -> None:
    result = await names(complete, NameSource.DEVICES, "sales", reader)

    assert [i.name for i in result.items] == ["Sales-Mac-02", "Sales-iPad-01"]
    assert result.total == 2 and result.has_more is False


async def test_the_typed_text_is_pushed_down_to_the_inventory_search(
    complete: CompleteNames, inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    await names(complete, NameSource.COMPUTERS, "john", reader)

    assert inventory.calls["search"] == 1 and inventory.calls["stream"] == 0


async def test_a_typed_jamf_id_puts_that_device_first(
    complete: CompleteNames, reader: Principal
) -> None:
    result = await names(complete, NameSource.COMPUTERS, "77", reader)

    assert result.items[0] == NamedItem("77", "John-Smith-MacBook-Pro")


async def test_the_limit_cuts_the_list_but_not_the_total(
    complete: CompleteNames, reader: Principal
) -> None:
    result = await names(complete, NameSource.COMPUTERS, "mac-0", reader, limit=5)

    assert len(result.items) == 5 and result.total == 96 and result.has_more is True


async def test_the_total_is_unknown_when_the_scan_budget_runs_out(
    inventory: InMemoryDeviceInventory, reader: Principal
) -> None:
    budget = SCAN_PAGE * SCAN_PAGES
    # Every record matches "ab" somewhere, but only the last ones start with it.
    inventory.devices[:] = [computer(i, name=f"0-ab-{i:05d}") for i in range(budget + 10)]
    inventory.devices.append(computer(99_999, name="ab-late"))
    complete = CompleteNames(inventory, InMemoryPolicyCatalogue(), Departments([]))

    result = await complete.execute(CompleteNamesRequest(NameSource.COMPUTERS, "ab"), reader)

    assert result.items == () and result.total is None and result.has_more is None
    assert inventory.calls["search"] == SCAN_PAGES


async def test_policies_match_by_name_start_then_by_part_of_the_name(
    complete: CompleteNames, reader: Principal
) -> None:
    result = await names(complete, NameSource.POLICIES, "soft", reader)

    assert [i.name for i in result.items] == ["Software Update", "Software Update (Beta)"]
    contains = await names(complete, NameSource.POLICIES, "update", reader)
    assert contains.items[0].name == "Update Inventory"
    assert contains.total == 3


async def test_typed_digits_match_policy_ids(complete: CompleteNames, reader: Principal) -> None:
    result = await names(complete, NameSource.POLICIES, "4", reader)

    assert [i.key for i in result.items] == ["45"]


async def test_departments_come_from_the_directory(
    complete: CompleteNames, reader: Principal
) -> None:
    result = await names(complete, NameSource.DEPARTMENTS, "sales", reader)

    assert [i.name for i in result.items] == ["Sales", "Presales"]


def test_parts_combine_with_an_honest_total() -> None:
    known = NameCompletions((NamedItem("a", "a"),), 1, False)
    unknown = NameCompletions((NamedItem("b", "b"),), None, None)

    assert NameCompletions.combined([known, known], 1).has_more is True
    assert NameCompletions.combined([known, unknown], 5) == NameCompletions(
        (NamedItem("a", "a"), NamedItem("b", "b")), None, None
    )


def test_typed_text_longer_than_200_characters_is_refused() -> None:
    with pytest.raises(ValueError, match="200"):
        CompleteNamesRequest(NameSource.DEVICES, "x" * 201)


async def test_completion_needs_read_jamf(complete: CompleteNames, nobody: Principal) -> None:
    with pytest.raises(AccessDenied):
        await names(complete, NameSource.DEVICES, "", nobody)


def _action(name: str) -> AuditAction:
    target = ActionTarget(DeviceKind.COMPUTER, "1", name)
    return AuditAction(ActionKind.UPDATE_INVENTORY, (target,), "0" * 64, "Update inventory …")


async def test_recent_audit_records_come_newest_first(reader: Principal) -> None:
    audit = InMemoryAuditLog()
    actor = AuditActor("https://idp.test", "reader")
    for name in ("first", "second", "third"):
        await record_approved(audit, _action(name), actor, channel=ConfirmationChannel.TOKEN)

    records = await ListAuditRecords(audit).execute(AuditRecordsRequest(limit=2), reader)

    assert [r.action.targets[0].name for r in records.records] == ["third", "second"]


async def test_the_audit_trail_pages_by_position_and_says_when_there_is_no_more(
    reader: Principal,
) -> None:
    audit = InMemoryAuditLog()
    actor = AuditActor("https://idp.test", "reader")
    for name in ("first", "second", "third"):
        await record_approved(audit, _action(name), actor, channel=ConfirmationChannel.TOKEN)
    use_case = ListAuditRecords(audit)

    newest = await use_case.execute(AuditRecordsRequest(limit=2), reader)
    older = await use_case.execute(AuditRecordsRequest(limit=2, after=newest.next_after), reader)
    everything = await use_case.execute(AuditRecordsRequest(limit=3), reader)

    assert newest.next_after == newest.records[-1].position
    assert [r.action.targets[0].name for r in older.records] == ["first"]
    assert older.next_after is None and everything.next_after is None
    assert len(everything.records) == 3


async def test_the_audit_trail_needs_read_jamf(nobody: Principal) -> None:
    with pytest.raises(AccessDenied):
        await ListAuditRecords(InMemoryAuditLog()).execute(AuditRecordsRequest(limit=50), nobody)
