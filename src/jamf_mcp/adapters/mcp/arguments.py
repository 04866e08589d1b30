"""Validation of tool arguments against a tool's JSON Schema, with messages a model can act on."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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


class ArgumentValidator:
    """A tool's input schema, checked and compiled once, applied to every call.

    Args:
        tool_name: used in error messages about the schema itself.
        schema: the tool's `inputSchema`.

    Raises:
        InvalidToolSchema: when the schema is not a valid object schema.
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

    def problems(self, arguments: Mapping[str, Any]) -> list[str]:
        """Return one sentence per violation (at most five), sorted by argument; empty if valid."""
        if self._fast.is_valid(arguments):
            return []
        errors = sorted(
            self._validator.iter_errors(arguments),
            key=lambda e: (_argument_path(e.absolute_path), e.message),
        )
        return [_describe(error) for error in errors[:_MAX_REPORTED]]
