"""Parsers: the text of one environment variable to a value, one per kind of value.

Each raises `ValueError` with a message that completes "VARIABLE ..."; the reader adds the
variable's name and (unless it is secret) the text it was given.
"""

from __future__ import annotations

from pathlib import Path

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})


def text(raw: str) -> str:
    """The value as given, surrounding whitespace removed."""
    return raw.strip()


def optional_text(raw: str) -> str | None:
    """Like `text`, for settings whose default is "unset"."""
    return raw.strip()


def boolean(raw: str) -> bool:
    """`1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off`, in any case; anything else is refused."""
    value = raw.strip().lower()
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ValueError("must be one of 1, true, yes, on or 0, false, no, off")


def whole_number(raw: str) -> int:
    """A whole number, such as `8000`."""
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError("must be a whole number") from None


def number(raw: str) -> float:
    """A number, such as `2.5` or `30`."""
    try:
        return float(raw.strip())
    except ValueError:
        raise ValueError("must be a number") from None


def path(raw: str) -> Path:
    """A file system path."""
    return Path(raw.strip())


def comma_set(raw: str) -> frozenset[str]:
    """Comma-separated values, blanks and surrounding whitespace dropped."""
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def sorted_comma_list(raw: str) -> tuple[str, ...]:
    """Comma-separated values, each once, in sorted order."""
    return tuple(sorted(comma_set(raw)))


def user_scopes(raw: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """`name=scope scope;name=scope`: users and their scopes (blank entries skipped)."""
    users: list[tuple[str, frozenset[str]]] = []
    for entry in raw.split(";"):
        if not entry.strip():
            continue
        name, _, scopes = entry.partition("=")
        if not name.strip():
            raise ValueError("has a user with no name (write name=scopes;name=scopes)")
        users.append((name.strip(), frozenset(scopes.split())))
    return tuple(users)
