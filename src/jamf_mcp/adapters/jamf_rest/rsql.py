"""RSQL filters for Jamf Pro built from domain `DeviceQuery`s; user text is always quoted data.

Jamf compares strings case-insensitively and treats an unescaped `*` inside a value as a wildcard.
Every value is double-quoted with `\\`, `"` and `*` backslash-escaped, so a user's `*` is a literal;
substring matches add our own unescaped `*` around the escaped text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

import attrs

from jamf_mcp.domain.queries import DeviceQuery

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "*": "\\*"})


@attrs.frozen
class FilterFields:
    """The RSQL field names one inventory endpoint uses.

    Attributes:
        text: Fields a free-text search matches (any of them, as a substring).
        last_contact: The last check-in timestamp.
        department: Department field (compared with the value `Resolved` maps the name to).
        building: Building field (likewise).
    """

    text: tuple[str, ...]
    last_contact: str
    department: str
    building: str


@attrs.frozen
class Resolved:
    """Department and building names (case-folded) mapped to the values the filter compares."""

    departments: Mapping[str, str] = attrs.field(factory=dict)
    buildings: Mapping[str, str] = attrs.field(factory=dict)


def escape(value: str) -> str:
    """Backslash-escape `\\`, `"` and `*` for use inside a double-quoted RSQL value."""
    return value.translate(_ESCAPES)


def quoted(value: str) -> str:
    """A double-quoted RSQL value that matches `value` literally."""
    return f'"{escape(value)}"'


def equals(field: str, value: str) -> str:
    """`field` equals `value` exactly (case-insensitively, as Jamf compares)."""
    return f"{field}=={quoted(value)}"


def contains(field: str, text: str) -> str:
    """`field` contains `text` as a literal substring."""
    return f'{field}=="*{escape(text)}*"'


def rsql_datetime(instant: datetime) -> str:
    """UTC with milliseconds and `Z` (Jamf rejects numeric offsets); naive means UTC."""
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    utc = aware.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def any_of(terms: Iterable[str]) -> str | None:
    """OR the terms, parenthesised when there is more than one; None for no terms."""
    items = list(terms)
    if not items:
        return None
    return items[0] if len(items) == 1 else "(" + ",".join(items) + ")"


def all_of(terms: Iterable[str]) -> str | None:
    """AND the terms; None for no terms."""
    items = list(terms)
    if not items:
        return None
    return items[0] if len(items) == 1 else ";".join(items)


def names_in(query: DeviceQuery) -> tuple[set[str], set[str]]:
    """Every department and building name a query mentions, including in `any_of` branches."""
    departments = {query.department} if query.department is not None else set()
    buildings = {query.building} if query.building is not None else set()
    for branch in query.any_of:
        more_departments, more_buildings = names_in(branch)
        departments |= more_departments
        buildings |= more_buildings
    return departments, buildings


def device_filter(query: DeviceQuery, fields: FilterFields, resolved: Resolved) -> str | None:
    """The RSQL filter for `query`, or None when it matches every device.

    Raises:
        KeyError: a department or building name missing from `resolved` (resolve them first).
    """
    terms: list[str] = []
    if query.text:
        text_group = any_of(contains(field, query.text) for field in fields.text)
        if text_group is not None:
            terms.append(text_group)
    if query.department is not None:
        terms.append(equals(fields.department, resolved.departments[query.department.casefold()]))
    if query.building is not None:
        terms.append(equals(fields.building, resolved.buildings[query.building.casefold()]))
    if query.checked_in_before is not None:
        terms.append(f'{fields.last_contact}=lt="{rsql_datetime(query.checked_in_before)}"')
    if query.checked_in_since is not None:
        terms.append(f'{fields.last_contact}=ge="{rsql_datetime(query.checked_in_since)}"')
    branches = [device_filter(branch, fields, resolved) for branch in query.any_of]
    if branches and all(branch is not None for branch in branches):
        group = any_of(_grouped(branch) for branch in branches if branch is not None)
        if group is not None:
            terms.append(group)
    return all_of(terms)


def _grouped(term: str) -> str:
    """Parenthesise an AND inside an OR group (`;` binds tighter, but say it plainly)."""
    return f"({term})" if ";" in _outside_quotes(term) else term


def _outside_quotes(term: str) -> str:
    out: list[str] = []
    inside = escaped = False
    for char in term:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == '"':
            inside = not inside
        elif not inside:
            out.append(char)
    return "".join(out)


def identifier_filter(
    identifier: str, *, id_field: str | None, exact_fields: Iterable[str]
) -> str | None:
    """OR of exact matches of `identifier` on `exact_fields`, plus `id_field` when it is numeric."""
    terms = [equals(field, identifier) for field in exact_fields]
    if id_field is not None and identifier.isdigit() and identifier.isascii():
        terms.insert(0, equals(id_field, identifier))
    return any_of(terms)
