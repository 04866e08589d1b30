"""Strict readers for the JSON records the Redis adapters wrote themselves.

A record that does not read back exactly as written (a bug, or a rolling upgrade that changed a
format) raises `StoredRecordInvalid` naming the field, rather than building a half-valid object.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

Json = Mapping[str, Any]


class StoredRecordInvalid(ValueError):
    """A record read from Redis is not in the shape this version writes."""


def dump(record: Json) -> bytes:
    """Compact, key-sorted JSON."""
    return json.dumps(record, separators=(",", ":"), sort_keys=True).encode()


def load(raw: bytes | str) -> Json:
    """A JSON object."""
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise StoredRecordInvalid("a stored record is not JSON") from error
    if not isinstance(value, dict):
        raise StoredRecordInvalid("a stored record is not a JSON object")
    return value


def _field(record: Json, name: str) -> Any:
    if name not in record:
        raise StoredRecordInvalid(f"a stored record lacks {name!r}")
    return record[name]


def _wrong(name: str, expected: str) -> StoredRecordInvalid:
    return StoredRecordInvalid(f"the stored field {name!r} is not {expected}")


def text(record: Json, name: str) -> str:
    """A string."""
    value = _field(record, name)
    if not isinstance(value, str):
        raise _wrong(name, "a string")
    return value


def optional_text(record: Json, name: str) -> str | None:
    """A string or null."""
    value = _field(record, name)
    if value is not None and not isinstance(value, str):
        raise _wrong(name, "a string or null")
    return value


def texts(record: Json, name: str) -> tuple[str, ...]:
    """A list of strings."""
    value = _field(record, name)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _wrong(name, "a list of strings")
    return tuple(value)


def flag(record: Json, name: str) -> bool:
    """A boolean."""
    value = _field(record, name)
    if not isinstance(value, bool):
        raise _wrong(name, "a boolean")
    return value


def integer(record: Json, name: str) -> int:
    """An integer (not a boolean)."""
    value = _field(record, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(name, "an integer")
    return value


def real(record: Json, name: str) -> float:
    """A number."""
    value = _field(record, name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _wrong(name, "a number")
    return float(value)


def real_or(record: Json, name: str, default: float) -> float:
    """A number, or `default` when a record written by an earlier version lacks the field."""
    return real(record, name) if name in record else default


def optional_text_or_absent(record: Json, name: str) -> str | None:
    """A string or null; None too when a record written by an earlier version lacks the field."""
    return optional_text(record, name) if name in record else None


def obj(record: Json, name: str) -> Json:
    """A nested JSON object."""
    value = _field(record, name)
    if not isinstance(value, dict):
        raise _wrong(name, "an object")
    return value


def instant(record: Json, name: str) -> datetime:
    """An aware datetime written by `datetime.isoformat`."""
    value = text(record, name)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise _wrong(name, "an ISO-8601 instant") from error
    if parsed.tzinfo is None:
        raise _wrong(name, "an aware instant")
    return parsed
