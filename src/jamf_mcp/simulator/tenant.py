"""The in-memory state of one simulated Jamf Pro tenant."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from jamf_mcp.simulator.catalog import BUILDINGS, CATEGORIES, DEPARTMENTS
from jamf_mcp.simulator.clock import MS_PER_DAY, MS_PER_HOUR, SimClock, to_ms
from jamf_mcp.simulator.computer_facts import ComputerFacts
from jamf_mcp.simulator.computer_fields import computer_sort_fields
from jamf_mcp.simulator.exact_index import ExactIndex
from jamf_mcp.simulator.groups import ComputerGroup, demo_groups
from jamf_mcp.simulator.mdm_state import MdmState
from jamf_mcp.simulator.options import SimulatorOptions
from jamf_mcp.simulator.people import PeoplePool
from jamf_mcp.simulator.policy_model import demo_policies
from jamf_mcp.simulator.query import SortSpec, sort_records
from jamf_mcp.simulator.records import ComputerRecord, MobileRecord
from jamf_mcp.simulator.rsql import Field
from jamf_mcp.simulator.rsql_compile import Predicate
from jamf_mcp.simulator.seed_fleet import build_computers, build_mobile_devices

SEEDED_HISTORY_LIMIT = 500  # computers with seeded policy logs (ids 1..500)


@attrs.define
class PolicyLog:
    """One line of a computer's policy history."""

    policy_id: int
    policy_name: str
    username: str
    completed_ms: int
    status: str = "Completed"


class Tenant:
    """Computers, mobile devices, groups, policies and policy logs, plus the tenant clock."""

    def __init__(self, options: SimulatorOptions, start_ms: int) -> None:
        self.options = options
        self.seed = options.seed
        self.start_ms = start_ms
        self.clock = SimClock(start_ms)
        self.facts = ComputerFacts(options.seed)
        people = PeoplePool()
        self.computers: list[ComputerRecord] = build_computers(
            options.seed, options.computers, start_ms, people
        )
        self.computers_by_id = {rec.id: rec for rec in self.computers}
        self.mobiles: list[MobileRecord] = build_mobile_devices(
            options.seed, options.mobile_device_count, start_ms, people
        )
        self.mobiles_by_id = {rec.id: rec for rec in self.mobiles}
        self.departments = {dept_id: name for dept_id, name, _short, _share in DEPARTMENTS}
        self.buildings = {b.id: b for b in BUILDINGS}
        self.categories = {cid: (name, priority) for cid, name, priority in CATEGORIES}
        self.sites = {1: "Main Campus"}
        self.policies: dict[int, dict[str, Any]] = demo_policies()
        small = {rec.id: rec.department_id for rec in self.computers[:SEEDED_HISTORY_LIMIT]}
        self.groups: dict[int, ComputerGroup] = demo_groups(options.computers, small)
        self.policy_logs: dict[int, list[PolicyLog]] = {}
        self.last_run: dict[tuple[int, int], int] = {}
        self.mdm = MdmState()
        self.management_index: dict[str, tuple[str, int]] | None = None  # built on first MDM use
        self.revision = 0
        self._sorted: dict[tuple[str, SortSpec], tuple[int, list[Any]]] = {}
        self.exact = ExactIndex()
        self._matches: dict[tuple[str, SortSpec, str], tuple[int, list[Any]]] = {}
        self._seed_policy_logs()
        # warm the default order so the first count query on a big fleet is fast
        self.sorted_view(
            "computers",
            self.computers,
            (("general.name", False),),
            computer_sort_fields(self.seed, False),
        )

    @property
    def computer_count(self) -> int:
        return len(self.computers)

    @property
    def mobile_device_count(self) -> int:
        return len(self.mobiles)

    def now_ms(self) -> int:
        return self.clock.now_ms()

    def touch(self) -> None:
        """Record a mutation (drops cached sort orders)."""
        self.revision += 1

    def sorted_view(
        self, name: str, records: Sequence[Any], spec: SortSpec, fields: Mapping[str, Field]
    ) -> list[Any]:
        """``records`` sorted by ``spec``, cached until the next mutation."""
        cached = self._sorted.get((name, spec))
        if cached is not None and cached[0] == self.revision:
            return cached[1]
        if len(self._sorted) > 16:
            self._sorted.clear()
        ordered = sort_records(records, spec, fields)
        self._sorted[(name, spec)] = (self.revision, ordered)
        return ordered

    def matching(
        self,
        name: str,
        records: Sequence[Any],
        spec: SortSpec,
        fields: Mapping[str, Field],
        predicate: Predicate | None,
        exact: Sequence[tuple[str, str]] | None = None,
        exact_fields: Mapping[str, Field] | None = None,
        filter_text: str = "",
    ) -> Sequence[Any]:
        """Records matching ``predicate`` in ``spec`` order.

        ``exact`` (from ``exact_terms``, with the fields it names) answers an identifier
        look-up from an index instead of a scan; the result is the same. With ``filter_text``
        the matches are kept until the next mutation, so a repeated query (a benchmark's) costs
        the simulator no rescan: what is measured is the server, not this stand-in's scan.

        Scans a cached sort order when there is one; otherwise filters first and sorts only the
        matches, so a selective filter over 100,000 computers stays fast.
        """
        if exact is not None and exact_fields is not None:
            hits = self.exact.lookup(name, self.revision, records, exact_fields, exact)
            return sort_records(hits, spec, fields)
        if predicate is None:
            return self.sorted_view(name, records, spec, fields)
        if filter_text:
            key = (name, spec, filter_text)
            kept = self._matches.get(key)
            if kept is not None and kept[0] == self.revision:
                return kept[1]
            if len(self._matches) > 64:
                self._matches.clear()
            found = list(self.matching(name, records, spec, fields, predicate))
            self._matches[key] = (self.revision, found)
            return found
        cached = self._sorted.get((name, spec))
        if cached is not None and cached[0] == self.revision:
            return [record for record in cached[1] if predicate(record)]
        return sort_records([record for record in records if predicate(record)], spec, fields)

    # groups and scope -------------------------------------------------------------------------

    def group_member_ids(self, group: ComputerGroup) -> list[int]:
        now = self.now_ms()
        if not group.is_smart:
            return sorted(group.members)
        return [rec.id for rec in self.computers if group.contains(rec, now)]

    def groups_of(self, rec: ComputerRecord) -> list[ComputerGroup]:
        now = self.now_ms()
        return [group for group in self.groups.values() if group.contains(rec, now)]

    def in_scope(self, policy: dict[str, Any], rec: ComputerRecord, now_ms: int) -> bool:
        """Jamf scope semantics: targets OR-ed together, then exclusions win."""
        scope = policy["scope"]
        targeted = (
            scope.get("all_computers")
            or _has_id(scope.get("computers"), rec.id)
            or _has_id(scope.get("buildings"), rec.building_id)
            or _has_id(scope.get("departments"), rec.department_id)
            or any(self._in_group(ref, rec, now_ms) for ref in scope.get("computer_groups") or [])
        )
        if not targeted:
            return False
        excluded = scope.get("exclusions") or {}
        return not (
            _has_id(excluded.get("computers"), rec.id)
            or _has_id(excluded.get("buildings"), rec.building_id)
            or _has_id(excluded.get("departments"), rec.department_id)
            or any(
                self._in_group(ref, rec, now_ms) for ref in excluded.get("computer_groups") or []
            )
        )

    def _in_group(self, ref: dict[str, Any], rec: ComputerRecord, now_ms: int) -> bool:
        group = self.groups.get(_as_int(ref.get("id")))
        return group is not None and group.contains(rec, now_ms)

    # policy history ---------------------------------------------------------------------------

    def record_run(self, policy: dict[str, Any], rec: ComputerRecord, when_ms: int) -> None:
        general = policy["general"]
        log = PolicyLog(general["id"], general["name"], rec.username, when_ms)
        self.policy_logs.setdefault(rec.id, []).append(log)
        self.last_run[(general["id"], rec.id)] = when_ms

    def _seed_policy_logs(self) -> None:
        """Plausible history for the first computers: inventory at reportDate, updates, installs."""
        for rec in self.computers[:SEEDED_HISTORY_LIMIT]:
            first = rec.enrolled + MS_PER_HOUR
            if 2 in self.policies and self.groups[1].contains(rec, self.start_ms):
                self.record_run(self.policies[2], rec, first)
            if 4 in self.policies:
                self.record_run(self.policies[4], rec, first + 20 * 60_000)
            if 45 in self.policies and rec.last_contact is not None:
                # a daily policy last ran a day or more before the Mac's last check-in
                ran = rec.last_contact - MS_PER_DAY - (rec.id % 20) * MS_PER_HOUR
                self.record_run(self.policies[45], rec, ran)
            if 1 in self.policies:
                self.record_run(self.policies[1], rec, rec.report)
        for logs in self.policy_logs.values():
            logs.sort(key=lambda log: log.completed_ms)

    def flush_policy_logs(self, policy_id: int, cutoff_ms: int) -> int:
        """Forget ``policy_id``'s logs completed at or before ``cutoff_ms`` on every computer, so
        a "Once per …" policy runs again wherever it is in scope. Returns the number removed."""
        return self._flush(cutoff_ms, lambda log, _cid: log.policy_id == policy_id)

    def flush_computer_logs(self, computer_ids: set[int], cutoff_ms: int) -> int:
        """Forget every policy log of these computers completed at or before ``cutoff_ms``: every
        "Once per …" policy in their scope runs again. Returns the number removed."""
        return self._flush(cutoff_ms, lambda _log, cid: cid in computer_ids)

    def _flush(self, cutoff_ms: int, chosen: Callable[[PolicyLog, int], bool]) -> int:
        removed: set[tuple[int, int]] = set()
        count = 0
        for cid, logs in self.policy_logs.items():
            kept = []
            for log in logs:
                if log.completed_ms <= cutoff_ms and chosen(log, cid):
                    removed.add((log.policy_id, cid))
                    count += 1
                else:
                    kept.append(log)
            logs[:] = kept
        for pid, cid in removed:  # the last run is now the newest log left, if any
            left = [log.completed_ms for log in self.policy_logs[cid] if log.policy_id == pid]
            if left:
                self.last_run[(pid, cid)] = max(left)
            else:
                self.last_run.pop((pid, cid), None)
        return count

    def history_of(self, rec: ComputerRecord) -> list[PolicyLog]:
        """Policy logs, newest first (as Jamf lists them)."""
        return sorted(self.policy_logs.get(rec.id, []), key=lambda log: -log.completed_ms)


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -(10**9)


def _has_id(refs: Any, wanted: int) -> bool:
    return bool(refs) and any(_as_int(ref.get("id")) == wanted for ref in refs)


def start_instant_ms(options: SimulatorOptions) -> int:
    """Epoch ms of the tenant's start-up instant."""
    return to_ms(options.now or datetime.now(UTC))
