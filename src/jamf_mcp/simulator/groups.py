"""Computer groups: static ones hold ids, smart ones evaluate a rule against the clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from jamf_mcp.simulator.catalog import MACOS_BUILDS
from jamf_mcp.simulator.clock import MS_PER_DAY
from jamf_mcp.simulator.records import ComputerRecord

Rule = Callable[[ComputerRecord, int], bool]


def _criterion(name: str, search_type: str, value: str) -> dict[str, Any]:
    return {
        "name": name, "priority": 0, "and_or": "and", "search_type": search_type, "value": value,
        "opening_paren": False, "closing_paren": False,
    }  # fmt: skip


SMART_RULES: dict[str, tuple[Rule, dict[str, Any]]] = {
    "managed": (lambda r, _now: r.managed, _criterion("Managed", "is", "Managed")),
    "stale30": (
        lambda r, now: r.last_contact is None or now - r.last_contact > 30 * MS_PER_DAY,
        _criterion("Last Check-in", "more than x days ago", "30"),
    ),
    "filevault_off": (
        lambda r, _now: r.filevault != "ALL_ENCRYPTED",
        _criterion("FileVault 2 Status", "is not", "All Partitions Encrypted"),
    ),
    "macos15": (
        lambda r, _now: MACOS_BUILDS[r.os].version.startswith("15."),
        _criterion("Operating System Version", "like", "15."),
    ),
}


@attrs.define
class ComputerGroup:
    """A smart (``rule`` set) or static (``members``) computer group."""

    id: int
    name: str
    description: str = ""
    rule: str | None = None
    members: set[int] = attrs.field(factory=set)
    site_id: int = -1

    @property
    def is_smart(self) -> bool:
        return self.rule is not None

    def criteria(self) -> list[dict[str, Any]]:
        return [dict(SMART_RULES[self.rule][1])] if self.rule else []

    def contains(self, record: ComputerRecord, now_ms: int) -> bool:
        if self.rule is None:
            return record.id in self.members
        return SMART_RULES[self.rule][0](record, now_ms)


def demo_groups(computer_count: int, departments: dict[int, int]) -> dict[int, ComputerGroup]:
    """Four smart groups (ids 1-4) and three static groups (ids 5-7).

    ``departments`` maps computer id → department id (used to fill "Sales Team Macs").
    """
    engineering = sorted(cid for cid, dept in departments.items() if dept == 3 and cid <= 500)[:8]
    sales = sorted(cid for cid, dept in departments.items() if dept == 2 and cid <= 500)[:12]
    groups = [
        ComputerGroup(1, "All Managed Clients", "Every managed Mac.", rule="managed"),
        ComputerGroup(
            2, "Stale Check-in > 30 days", "Macs that stopped checking in.", rule="stale30"
        ),
        ComputerGroup(
            3, "FileVault Not Enabled", "Macs without full-disk encryption.", rule="filevault_off"
        ),
        ComputerGroup(4, "macOS 15", "Macs running macOS Sequoia.", rule="macos15"),
        ComputerGroup(
            5, "Engineering Pilot", "Early adopters in Engineering.", members={77, *engineering}
        ),
        ComputerGroup(6, "Sales Team Macs", "Macs of the Sales team.", members=set(sales)),
        ComputerGroup(7, "Loaner Pool", "Macs lent out by IT."),
    ]
    for group in groups:
        group.members = {cid for cid in group.members if cid <= computer_count}
    return {group.id: group for group in groups}
