"""Use case: suggest device, policy or department names that complete what a person typed."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Sequence
from enum import StrEnum

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports.jamf_inventory import DeviceInventory, Directory
from jamf_mcp.application.ports.jamf_policies import PolicyCatalogue
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect

MAX_SUGGESTIONS = 100
MAX_TYPED = 200
SCAN_PAGE = 200
SCAN_PAGES = 5
"""A device completion reads at most SCAN_PAGE * SCAN_PAGES candidate records per family."""

_NAME_ASPECTS = frozenset({InventoryAspect.GENERAL})
_JAMF_ID = re.compile(r"[0-9]{1,19}")


class NameSource(StrEnum):
    """What the suggestions are drawn from."""

    COMPUTERS = "computers"
    MOBILE_DEVICES = "mobile_devices"
    DEVICES = "devices"
    POLICIES = "policies"
    DEPARTMENTS = "departments"

    @property
    def kinds(self) -> tuple[DeviceKind, ...]:
        """The device families this source covers (none for policies and departments)."""
        return {
            NameSource.COMPUTERS: (DeviceKind.COMPUTER,),
            NameSource.MOBILE_DEVICES: (DeviceKind.MOBILE,),
            NameSource.DEVICES: (DeviceKind.COMPUTER, DeviceKind.MOBILE),
        }.get(self, ())


@attrs.frozen
class CompleteNamesRequest:
    """Where to look, what has been typed so far, and how many suggestions to return."""

    source: NameSource
    typed: str = attrs.field(default="", validator=attrs.validators.max_len(MAX_TYPED))
    limit: int = attrs.field(
        default=MAX_SUGGESTIONS, validator=attrs.validators.in_(range(1, MAX_SUGGESTIONS + 1))
    )


@attrs.frozen
class NamedItem:
    """One suggestion: its key (Jamf id, policy id or the department name) and its name."""

    key: str
    name: str


@attrs.frozen
class NameCompletions:
    """Suggestions, best first, and how many there are in all.

    Attributes:
        items: at most the requested number of suggestions.
        total: every match there is, or None when it is not known without reading further.
        has_more: whether matches beyond `items` exist; None when that is not known.
    """

    items: tuple[NamedItem, ...]
    total: int | None
    has_more: bool | None

    @classmethod
    def combined(cls, parts: Sequence[NameCompletions], limit: int) -> NameCompletions:
        """The parts one after another, cut to `limit`, with honest totals."""
        everything = tuple(item for part in parts for item in part.items)
        totals = [part.total for part in parts]
        total = None if None in totals else sum(t for t in totals if t is not None)
        has_more: bool | None
        if total is not None:
            has_more = total > limit
        elif len(everything) > limit or any(part.has_more for part in parts):
            has_more = True
        else:
            has_more = None
        return cls(everything[:limit], total, has_more)


def _rank(typed: str, item: NamedItem, ids: bool) -> int | None:
    """0 exact id, 1 name prefix, 2 id prefix, 3 name contains; None when it does not match."""
    needle, name = typed.casefold(), item.name.casefold()
    if ids and typed and item.key == typed:
        return 0
    if name.startswith(needle):
        return 1
    if ids and _JAMF_ID.fullmatch(typed) and item.key.startswith(typed):
        return 2
    return 3 if needle in name else None


def _best(items: Iterable[NamedItem], typed: str, limit: int, *, ids: bool) -> NameCompletions:
    ranked = sorted(
        (rank, item.name.casefold(), item.key, item)
        for item in items
        if (rank := _rank(typed, item, ids)) is not None
    )
    matches = tuple(entry[-1] for entry in ranked)
    return NameCompletions(matches[:limit], len(matches), len(matches) > limit)


def _named(device: Device) -> NamedItem:
    return NamedItem(device.identity.jamf_id, device.identity.name)


class CompleteNames:
    """Complete a device, policy or department name (or a Jamf id) as it is typed.

    Rules:
    - Needs `read:jamf`.
    - Matching is case-insensitive: names that start with the typed text come first. Policies
      and departments are read in full, so names that merely contain the text follow, and
      `total` is exact.
    - Devices: the typed text goes to Jamf as a search term (data, never query syntax) and the
      candidates are scanned in name order for names that start with it, at most
      `SCAN_PAGE * SCAN_PAGES` records per family; `total` is exact only when every candidate
      was scanned. Typed digits that are a device's Jamf id put that device first.
    - Policies: typed digits also match policy ids (exact id first, then ids that start so).
    """

    required_scopes = READ

    def __init__(
        self, inventory: DeviceInventory, policies: PolicyCatalogue, directory: Directory
    ) -> None:
        self._inventory = inventory
        self._policies = policies
        self._directory = directory

    async def execute(self, request: CompleteNamesRequest, principal: Principal) -> NameCompletions:
        """Suggestions for what `request.typed` may become."""
        require(principal, self.required_scopes)
        typed, limit = request.typed.strip(), request.limit
        if request.source is NameSource.POLICIES:
            refs = await self._policies.list_policies()
            items = (NamedItem(str(ref.policy_id), ref.name) for ref in refs)
            return _best(items, typed, limit, ids=True)
        if request.source is NameSource.DEPARTMENTS:
            names = await self._directory.departments()
            return _best((NamedItem(name, name) for name in names), typed, limit, ids=False)
        parts = await asyncio.gather(
            *(self._devices(kind, typed, limit) for kind in request.source.kinds)
        )
        return NameCompletions.combined(parts, limit)

    async def _devices(self, kind: DeviceKind, typed: str, limit: int) -> NameCompletions:
        if not typed:
            page = await self._inventory.search(
                kind, DeviceQuery(), aspects=_NAME_ASPECTS, offset=0, limit=limit
            )
            return NameCompletions(
                tuple(_named(d) for d in page.items), page.total, page.total > limit
            )
        found: dict[str, NamedItem] = {}
        if _JAMF_ID.fullmatch(typed):
            for device in await self._inventory.find(kind, typed, aspects=_NAME_ASPECTS):
                if device.identity.jamf_id == typed:
                    found[typed] = _named(device)
        needle, query, offset = typed.casefold(), DeviceQuery(text=typed), 0
        for _ in range(SCAN_PAGES):
            page = await self._inventory.search(
                kind, query, aspects=_NAME_ASPECTS, offset=offset, limit=SCAN_PAGE
            )
            for device in page.items:
                if device.identity.name.casefold().startswith(needle):
                    found.setdefault(device.identity.jamf_id, _named(device))
            offset += len(page.items)
            if not page.items or offset >= page.total:
                items = tuple(found.values())
                return NameCompletions(items[:limit], len(items), len(items) > limit)
            if len(found) > limit:
                break
        items = tuple(found.values())
        return NameCompletions(items[:limit], None, True if len(items) > limit else None)
