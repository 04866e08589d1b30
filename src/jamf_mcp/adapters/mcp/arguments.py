"""Validation of tool arguments against a tool's JSON Schema, with messages a model can act on.

JSON Schema counts `25.0` as an integer, so a validated "integer" may still arrive as a float;
`ArgumentValidator.normalized` turns every such whole-number float into an `int`, so the code
behind a tool sees the type its schema promised (a float slice index or `page=0.0` sent to Jamf
broke calls; `45.0` and `45` must confirm the same action).

A tool's defaults are written once, as `default` in its schema's `properties`: the arguments a
handler receives have every absent defaulted property filled in (`ArgumentValidator.completed`),
so a handler reads `args["limit"]` and never restates a default (ADR 0042).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import SchemaError

_MAX_REPORTED = 5
_MAX_PROBLEM_CHARS = 300


class InvalidToolSchema(ValueError):
    """A tool's input schema is not a valid JSON Schema 2020-12 object schema."""


def _argument_path(path: Iterable[Any]) -> str:
    rendered = ""
    for part in path:
        if isinstance(part, int):
            rendered += f"[{part}]"
        else:
            rendered += f".{part}" if rendered else str(part)
    return rendered


def _describe(error: ValidationError) -> str:
    problem = error.message
    if len(problem) > _MAX_PROBLEM_CHARS:
        problem = problem[: _MAX_PROBLEM_CHARS - 1] + "…"
    where = _argument_path(error.absolute_path)
    if where:
        return f"Invalid argument '{where}': {problem}"
    return f"Invalid arguments: {problem}"


Normalize = Callable[[Any], Any]


def _types(schema: Mapping[str, Any]) -> set[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return {declared}
    return (
        {item for item in declared if isinstance(item, str)}
        if isinstance(declared, list)
        else set()
    )


def _whole_float_to_int(value: Any) -> Any:
    return int(value) if type(value) is float and value.is_integer() else value


def _normalizer(schema: object) -> Normalize | None:
    """What makes values valid under `schema` hold ints where it says integer (None: nothing to do).

    Follows `properties`, `additionalProperties`, `items`, `prefixItems` and the `anyOf`/`oneOf`/
    `allOf` branches; only meant for values the schema has already accepted.
    """
    if not isinstance(schema, Mapping):
        return None
    steps: list[Normalize] = []
    if "integer" in _types(schema):
        steps.append(_whole_float_to_int)
    properties = {
        name: step
        for name, sub in (schema.get("properties") or {}).items()
        if (step := _normalizer(sub)) is not None
    }
    extra = _normalizer(schema.get("additionalProperties"))
    if properties or extra is not None:
        declared = frozenset(schema.get("properties") or ())
        steps.append(_object_normalizer(properties, declared, extra))
    items = _normalizer(schema.get("items"))
    prefix = [_normalizer(sub) for sub in schema.get("prefixItems") or ()]
    if items is not None or any(step is not None for step in prefix):
        steps.append(_array_normalizer(prefix, items))
    for combinator in ("anyOf", "oneOf", "allOf"):
        steps.extend(
            step for sub in schema.get(combinator) or () if (step := _normalizer(sub)) is not None
        )
    if not steps:
        return None
    if len(steps) == 1:
        return steps[0]

    def chained(value: Any) -> Any:
        for step in steps:
            value = step(value)
        return value

    return chained


def _object_normalizer(
    properties: dict[str, Normalize], declared: frozenset[str], extra: Normalize | None
) -> Normalize:
    def normalize(value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        changed: dict[str, Any] | None = None
        for key, item in value.items():
            # `additionalProperties` governs only the names `properties` does not declare.
            step = properties.get(key) if key in declared else extra
            if step is None:
                continue
            new = step(item)
            if new is not item:
                if changed is None:
                    changed = dict(value)
                changed[key] = new
        return value if changed is None else changed

    return normalize


def _array_normalizer(prefix: list[Normalize | None], items: Normalize | None) -> Normalize:
    def normalize(value: Any) -> Any:
        if not isinstance(value, list):
            return value
        out = [
            step(item) if (step := (prefix[i] if i < len(prefix) else items)) else item
            for i, item in enumerate(value)
        ]
        return value if all(a is b for a, b in zip(out, value, strict=True)) else out

    return normalize


_SUBSCHEMA_KEYS = ("additionalProperties", "items", "not", "if", "then", "else")
_SUBSCHEMA_LISTS = ("prefixItems", "anyOf", "oneOf", "allOf")


def schema_defaults(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """The `default` of each of an object schema's `properties` that declares one, by name."""
    properties = schema.get("properties") or {}
    return MappingProxyType(
        {
            name: sub["default"]
            for name, sub in properties.items()
            if isinstance(sub, Mapping) and "default" in sub
        }
    )


def with_defaults(arguments: Mapping[str, Any], defaults: Mapping[str, Any]) -> Mapping[str, Any]:
    """`arguments` with every property of `defaults` they lack set to its default.

    The same object when nothing is missing. Defaults are shared, not copied: a handler treats
    its arguments as read-only.
    """
    if arguments.keys() >= defaults.keys():
        return arguments
    return {**defaults, **arguments}


def _nested_defaults(schema: object, path: str) -> Iterator[str]:
    """Where, below the top-level properties, a subschema declares a `default` nobody applies."""
    if not isinstance(schema, Mapping):
        return
    if "default" in schema and path:
        yield path
    for name, sub in (schema.get("properties") or {}).items():
        yield from _nested_defaults(sub, f"{path}.{name}" if path else name)
    for key in _SUBSCHEMA_KEYS:
        yield from _nested_defaults(schema.get(key), f"{path}/{key}")
    for key in _SUBSCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key) or ()):
            yield from _nested_defaults(sub, f"{path}/{key}[{index}]")


class ArgumentValidator:
    """A tool's input schema, checked and compiled once, applied to every call.

    Args:
        tool_name: used in error messages about the schema itself.
        schema: the tool's `inputSchema`.

    Raises:
        InvalidToolSchema: when the schema is not a valid object schema, declares a default
            its own property refuses, or declares one deeper than its top-level properties
            (where it would never be applied).
    """

    def __init__(self, tool_name: str, schema: Mapping[str, Any]) -> None:
        if schema.get("type") != "object":
            raise InvalidToolSchema(f"inputSchema of tool {tool_name!r} must have type 'object'")
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            raise InvalidToolSchema(
                f"inputSchema of tool {tool_name!r} is invalid: {exc.message}"
            ) from exc
        self._validator = Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        # The compiled (Rust) validator answers the common case — valid arguments — in well
        # under a microsecond; only arguments it refuses are examined by `jsonschema`, which
        # also words the problems. Where the two could differ (regex `$` before a trailing
        # newline), the Rust one is the stricter, so its "valid" is never wrong.
        self._fast = jsonschema_rs.Draft202012Validator(dict(schema), validate_formats=True)
        self._normalize = _normalizer(schema)
        self._defaults = schema_defaults(schema)
        self._check_defaults(tool_name, schema)

    def _check_defaults(self, tool_name: str, schema: Mapping[str, Any]) -> None:
        top_level: Mapping[str, Any] = schema.get("properties") or {}
        unapplied = [
            where
            for name, sub in top_level.items()
            if isinstance(sub, Mapping)
            for where in _nested_defaults({k: v for k, v in sub.items() if k != "default"}, name)
        ]
        if unapplied:
            raise InvalidToolSchema(
                f"inputSchema of tool {tool_name!r} declares defaults that are never applied "
                f"(only top-level properties get theirs): {', '.join(sorted(unapplied))}"
            )
        for name, value in self._defaults.items():
            if not Draft202012Validator(top_level[name]).is_valid(value):
                raise InvalidToolSchema(
                    f"inputSchema of tool {tool_name!r}: the default of {name!r} is not valid "
                    "under that property's own schema"
                )

    @property
    def defaults(self) -> Mapping[str, Any]:
        """The schema's defaults by property name (read-only)."""
        return self._defaults

    def problems(self, arguments: Mapping[str, Any]) -> list[str]:
        """Return one sentence per violation (at most five), sorted by argument; empty if valid."""
        if self._fast.is_valid(arguments):
            return []
        errors = sorted(
            self._validator.iter_errors(arguments),
            key=lambda e: (_argument_path(e.absolute_path), e.message),
        )
        return [_describe(error) for error in errors[:_MAX_REPORTED]]

    def normalized(self, arguments: Mapping[str, Any]) -> Mapping[str, Any]:
        """Valid `arguments` with every whole-number float in an integer slot made an `int`.

        The same object when nothing changes; call only after `problems` found none.
        """
        if self._normalize is None:
            return arguments
        result: Mapping[str, Any] = self._normalize(arguments)
        return result

    def completed(self, arguments: Mapping[str, Any]) -> Mapping[str, Any]:
        """Valid `arguments` as the handler gets them: `normalized`, then with the defaults filled.

        Call only after `problems` found none.
        """
        return with_defaults(self.normalized(arguments), self._defaults)
