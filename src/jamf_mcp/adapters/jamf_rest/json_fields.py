"""Tolerant readers for Jamf JSON: null sections, `-1` sentinels, strings where booleans belong."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any

Json = Mapping[str, Any]
_EMPTY: Json = {}


def section(record: Json, key: str) -> Json:
    """A nested object, or an empty mapping when it is null, missing or not an object."""
    value = record.get(key)
    return value if isinstance(value, Mapping) else _EMPTY


def items(record: Json, key: str, wrapper: str | None = None) -> Iterator[Json]:
    """The objects of a list (Classic JSON may wrap each as `{wrapper: {...}}`, or send one object)."""
    value = record.get(key)
    if isinstance(value, Mapping):
        value = [value.get(wrapper)] if wrapper and wrapper in value else [value]
    if not isinstance(value, list):
        return
    for item in value:
        if wrapper and isinstance(item, Mapping) and isinstance(item.get(wrapper), Mapping):
            item = item[wrapper]
        if isinstance(item, Mapping):
            yield item


def text(record: Json, key: str) -> str | None:
    """A non-empty string (numbers become strings); None otherwise."""
    value = record.get(key)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None


def ref_id(record: Json, key: str) -> str | None:
    """An id reference; `-1`, blanks and null all mean "none"."""
    value = text(record, key)
    return None if value is None or value.strip() in ("-1", "") else value.strip()


def number(record: Json, key: str) -> int | None:
    """A non-negative integer; Jamf's `-1` "unknown" sentinel and junk become None."""
    value = record.get(key)
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return None
    if isinstance(value, float):
        value = int(value)
    return value if isinstance(value, int) and value >= 0 else None


def flag(record: Json, key: str) -> bool | None:
    """A boolean; `"true"`/`"false"` strings accepted; anything else is None."""
    value = record.get(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def instant(record: Json, key: str) -> datetime | None:
    """An aware UTC datetime from ISO-8601 (`…Z`, offsets, or a bare date); None if unreadable."""
    value = text(record, key)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            return None
        parsed = datetime(day.year, day.month, day.day)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
