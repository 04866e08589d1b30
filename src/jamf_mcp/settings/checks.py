"""Checks: attrs validators for settings, whose errors name the variable and the bad value.

They run whenever a settings object is built or evolved, from the environment or in code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from jamf_mcp.settings.declarations import SettingsError, env_name, shown

if TYPE_CHECKING:
    import attrs

    Attribute = attrs.Attribute[Any]


def positive(_: object, attribute: Attribute, value: float) -> None:
    """Greater than 0."""
    if value <= 0:
        raise SettingsError(
            f"{env_name(attribute)} must be greater than 0{shown(attribute, value)}"
        )


def not_negative(_: object, attribute: Attribute, value: float) -> None:
    """0 (meaning off) or more."""
    if value < 0:
        raise SettingsError(
            f"{env_name(attribute)} must be 0 (off) or more{shown(attribute, value)}"
        )


def between(low: float, high: float, why: str = "") -> Callable[[object, Attribute, float], None]:
    """From `low` to `high`, both included; `why` says where the range comes from."""

    def check(_: object, attribute: Attribute, value: float) -> None:
        if not low <= value <= high:
            reason = f" ({why})" if why else ""
            raise SettingsError(
                f"{env_name(attribute)} must be {_number(low)} to {_number(high)}{reason}"
                f"{shown(attribute, value)}"
            )

    return check


def one_of(*choices: str) -> Callable[[object, Attribute, str], None]:
    """One of `choices` (compared after the field's converter ran)."""
    listed = " or ".join(choices) if len(choices) == 2 else f"one of {', '.join(choices)}"

    def check(_: object, attribute: Attribute, value: str) -> None:
        if value not in choices:
            raise SettingsError(f"{env_name(attribute)} must be {listed}{shown(attribute, value)}")

    return check


def redis_prefix(_: object, attribute: Attribute, value: str) -> None:
    """No whitespace or braces (a brace would put every key in one slot of a Redis Cluster)."""
    if any(c.isspace() or c in "{}" for c in value):
        raise SettingsError(
            f"{env_name(attribute)} must not contain whitespace or braces (braces would put "
            f"every key in one slot of a Redis Cluster){shown(attribute, value)}"
        )


def digest_key(_: object, attribute: Attribute, value: str | None) -> None:
    """At least 32 random bytes in base64 or hex (checked once, at start-up)."""
    if value is None:
        return
    from jamf_mcp.adapters.local_files import parse_digest_key

    try:
        parse_digest_key(value)
    except ValueError:
        raise SettingsError(
            f"{env_name(attribute)} must be at least 32 random bytes in base64 or hex "
            "(e.g. the output of `openssl rand -base64 32`)"
        ) from None


def postgresql_url(_: object, attribute: Attribute, value: str | None) -> None:
    """A `postgresql://` (or `postgres://`) URL, when set."""
    if value is not None and not value.startswith(("postgresql://", "postgres://")):
        raise SettingsError(
            f"{env_name(attribute)} must be a postgresql:// URL (leave it unset for the "
            "embedded SQLite trail in the data directory)"
        )


def sql_name(_: object, attribute: Attribute, value: str) -> None:
    """A lower-case SQL identifier: letters, digits and `_`, not starting with a digit."""
    if not value.replace("_", "a").isalnum() or not value.islower() or value[0].isdigit():
        raise SettingsError(
            f"{env_name(attribute)} must be lower-case letters, digits and _{shown(attribute, value)}"
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
