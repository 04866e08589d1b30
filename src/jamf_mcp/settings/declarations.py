"""How a setting is declared: one attrs field carrying its variable, parser, checks and doc.

`setting(...)` returns an `attrs.field` whose metadata is a `Declaration`; `group(...)` nests a
settings class. Everything that reads settings generically (`reading.read_settings`, the
configuration reference in `reference.py`) walks `attrs.fields` and these declarations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

import attrs

T = TypeVar("T")

DECLARATION = "jamf_mcp.setting"
GROUP = "jamf_mcp.settings_group"


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


@attrs.frozen
class Declaration:
    """What the reader and the reference need to know about one setting.

    Attributes:
        env: the environment variable.
        parse: turns the variable's text into the field's type; raises `ValueError` whose message
            completes "VARIABLE ...", e.g. "must be a whole number".
        section: the heading of `docs/configuration.md` the setting is listed under.
        doc: its meaning, one Markdown paragraph (the reference table's last column).
        secret: the value never appears in `repr`, in error messages or in the reference.
        flag: the command-line flag that overrides it (`from_env` keyword: the flag's name
            without dashes, `-` as `_`).
        shown_default: the reference's default column when the default is computed or unclear.
        keep_blank: an empty value is a value (e.g. "no extra scopes"), not "unset".
    """

    env: str
    parse: Callable[[str], object]
    section: str
    doc: str
    secret: bool = False
    flag: str | None = None
    shown_default: str | None = None
    keep_blank: bool = False

    @property
    def override_name(self) -> str | None:
        """The `Settings.from_env` keyword of the flag, if there is one."""
        return self.flag.lstrip("-").replace("-", "_") if self.flag else None


Check = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def setting(
    env: str,
    *,
    default: T | None = None,
    factory: Callable[[Any], T] | None = None,
    parse: Callable[[str], T],
    section: str,
    doc: str,
    checks: tuple[Check, ...] = (),
    convert: Callable[[Any], T] | None = None,
    secret: bool = False,
    flag: str | None = None,
    shown_default: str | None = None,
    keep_blank: bool = False,
) -> T:
    """Declare one setting as an attrs field (use as `name: type = setting(...)`).

    Args:
        env: the environment variable that sets it.
        default: its value when the variable is unset (or blank).
        factory: instead of `default`, computed from the settings object's fields declared
            before this one (an `attrs.Factory(..., takes_self=True)`).
        parse: text to value; `parsers.py` has one per kind of value.
        section / doc / secret / flag / shown_default / keep_blank: see `Declaration`.
        checks: attrs validators, also run when the object is built or evolved in code;
            `checks.py` has the common ones (they name the variable in their errors).
        convert: normalises a value however it arrived (text, flag or code), e.g. `str.lower`.
    """
    if factory is not None and shown_default is None:
        raise TypeError(f"{env}: a computed default needs shown_default for the reference")
    declaration = Declaration(
        env=env,
        parse=parse,
        section=section,
        doc=doc,
        secret=secret,
        flag=flag,
        shown_default=shown_default,
        keep_blank=keep_blank,
    )
    initial: object = attrs.Factory(factory, takes_self=True) if factory else default
    field = attrs.field(
        default=initial,
        validator=list(checks) if checks else None,
        converter=convert,
        repr=not secret,
        metadata={DECLARATION: declaration},
    )
    # attrs' field() is typed to return its default's type only for the plugin; the runtime object
    # is a field description, which the class decorator turns into the attribute.
    return cast("T", field)


def group(settings_class: type[T]) -> T:
    """Nest a settings class (built from the same environment) as one field."""
    return attrs.field(factory=settings_class, metadata={GROUP: settings_class})


def declaration_of(attribute: attrs.Attribute[Any]) -> Declaration | None:
    """The declaration of a setting field, None for a group or a plain field."""
    found = attribute.metadata.get(DECLARATION)
    return found if isinstance(found, Declaration) else None


def group_class(attribute: attrs.Attribute[Any]) -> type[Any] | None:
    """The settings class nested in a group field, None for a setting."""
    found = attribute.metadata.get(GROUP)
    return found if isinstance(found, type) else None


def env_name(attribute: attrs.Attribute[Any]) -> str:
    """The variable behind a field, for error messages (the field's name if it has none)."""
    declaration = declaration_of(attribute)
    return declaration.env if declaration else attribute.name


def shown(attribute: attrs.Attribute[Any], value: object) -> str:
    """`, got VALUE` for error messages, or nothing for a secret."""
    declaration = declaration_of(attribute)
    if declaration and declaration.secret:
        return ""
    return f", got {value:g}" if isinstance(value, float) else f", got {value!r}"


def walk(settings_class: type[Any]) -> Iterator[tuple[attrs.Attribute[Any], Declaration]]:
    """Every setting of a settings class and its groups, in declaration order."""
    for attribute in attrs.fields(settings_class):
        nested = group_class(attribute)
        if nested is not None:
            yield from walk(nested)
            continue
        declaration = declaration_of(attribute)
        if declaration is not None:
            yield attribute, declaration
