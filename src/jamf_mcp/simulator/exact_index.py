"""Exact-match look-ups without a scan: how the tenant answers `name=="X",serial=="Y"` filters.

A real Jamf Pro answers an identifier look-up from its database indexes. Filters that are only an
OR of exact `==` comparisons on identifier fields (no wildcard) are answered here from an index
built once per tenant revision, so the simulator's own scan time does not dwarf what is measured
(the benchmark runs it in the server's process). Anything else is filtered by scanning, as before;
the answers are identical.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from jamf_mcp.simulator.rsql import Comparison, Field, Or, RsqlError, parse

COMPUTER_KEYS = frozenset(
    {"id", "udid", "general.name", "general.assetTag", "hardware.serialNumber"}
)
MOBILE_KEYS = frozenset({"mobileDeviceId", "udid", "displayName", "serialNumber", "assetTag"})


def exact_terms(text: str, keys: frozenset[str]) -> list[tuple[str, str]] | None:
    """`[(field, value)]` when `text` is only exact comparisons OR-ed on `keys`, else None."""
    if not text.strip():
        return None
    try:
        node = parse(text)
    except RsqlError:
        return None
    comparisons = node.children if isinstance(node, Or) else (node,)
    terms = []
    for item in comparisons:
        if not isinstance(item, Comparison) or item.operator != "==" or len(item.values) != 1:
            return None
        value = item.values[0]
        if item.selector not in keys or value.has_wildcard:
            return None
        terms.append((item.selector, value.text))
    return terms


class ExactIndex:
    """Per-field maps from a case-folded value to the records holding it, rebuilt on change."""

    def __init__(self) -> None:
        self._maps: dict[tuple[str, str], tuple[int, dict[str, list[Any]]]] = {}

    def lookup(
        self,
        name: str,
        revision: int,
        records: Sequence[Any],
        fields: Mapping[str, Field],
        terms: Sequence[tuple[str, str]],
    ) -> list[Any]:
        """The records matching any term, each once, in `records` order."""
        found: dict[int, Any] = {}
        for field, value in terms:
            for record in self._map(name, revision, records, field, fields[field]).get(
                value.casefold(), ()
            ):
                found.setdefault(id(record), record)
        order = {id(record): index for index, record in enumerate(records)} if found else {}
        return sorted(found.values(), key=lambda record: order[id(record)])

    def _map(
        self, name: str, revision: int, records: Sequence[Any], field: str, getter: Field
    ) -> dict[str, list[Any]]:
        cached = self._maps.get((name, field))
        if cached is not None and cached[0] == revision:
            return cached[1]
        mapping: dict[str, list[Any]] = {}
        for record in records:
            value = getter.get(record)
            if value is not None:
                mapping.setdefault(str(value).casefold(), []).append(record)
        self._maps[(name, field)] = (revision, mapping)
        return mapping
