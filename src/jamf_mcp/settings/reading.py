"""Reading settings: one generic loop over the declared fields, from the environment and flags."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import attrs
from attrs import AttrsInstance

from jamf_mcp.settings.declarations import Declaration, SettingsError, declaration_of, group_class

T = TypeVar("T", bound=AttrsInstance)


def read_settings(
    settings_class: type[T], env: Mapping[str, str], overrides: Mapping[str, object]
) -> T:
    """Build `settings_class` (and its groups) from `env`; `overrides` (flags) win.

    Variables that are unset or blank keep the declared default (unless the setting keeps blank
    values); an override of None is no override.

    Raises:
        SettingsError: a value cannot be parsed or breaks a check; the message names the variable
            and, unless the setting is secret, the value.
    """
    values: dict[str, object] = {}
    for attribute in attrs.fields(settings_class):
        nested = group_class(attribute)
        if nested is not None:
            values[attribute.name] = read_settings(nested, env, overrides)
            continue
        declaration = declaration_of(attribute)
        if declaration is None:
            continue
        value = _value(declaration, env, overrides)
        if value is not _UNSET:
            values[attribute.name] = value
    build: Callable[..., T] = settings_class
    return build(**values)


_UNSET: Any = object()


def _value(
    declaration: Declaration, env: Mapping[str, str], overrides: Mapping[str, object]
) -> object:
    flag = declaration.override_name
    if flag is not None and overrides.get(flag) is not None:
        return overrides[flag]
    raw = env.get(declaration.env)
    if raw is None or (not raw.strip() and not declaration.keep_blank):
        return _UNSET
    try:
        return declaration.parse(raw)
    except ValueError as error:
        got = "" if declaration.secret else f", got {raw!r}"
        raise SettingsError(f"{declaration.env} {error}{got}") from None
