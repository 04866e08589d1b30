"""The compiled argument check never changes a verdict: valid exactly when `jsonschema` says so.

Run over every tool input schema the server publishes, with arguments built from the schemas'
own property names and values chosen to sit on the edges (digits with a trailing newline,
non-ASCII digits, lengths at the limits, nulls, wrong types, unknown keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from jamf_mcp.adapters.mcp.arguments import ArgumentValidator
from jamf_mcp.adapters.mcp_jamf import chatgpt_tools, jamf_action_schemas, jamf_tools_schemas


def _input_schemas() -> dict[str, Mapping[str, Any]]:
    found = {}
    for module in (jamf_tools_schemas, jamf_action_schemas, chatgpt_tools):
        for name, value in vars(module).items():
            if name.endswith("_INPUT") and isinstance(value, dict):
                found[f"{module.__name__.rsplit('.', 1)[-1]}.{name}"] = value
    return found


SCHEMAS = _input_schemas()

edge_strings = st.sampled_from(
    ["", " ", "123456", "123456\n", "12345", "1234567", "١٢٣٤٥٦", "14.2", "14.2.1", "14.2.1.0",
     "1.2.3\n", "MAC-123", "a" * 255, "a" * 256, "a" * 500, "a" * 501, "ALL", "all", "null"]
)  # fmt: skip
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 2000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | edge_strings
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)


def _values_for(prop: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    choices = [json_values]
    if "enum" in prop:
        choices.append(st.sampled_from(list(prop["enum"])))
    if prop.get("type") == "array" or "array" in (prop.get("type") or []):
        choices.append(st.lists(edge_strings | json_values, max_size=6))
    return st.one_of(choices)


@st.composite
def arguments_for(draw: st.DrawFn, schema: Mapping[str, Any]) -> dict[str, Any]:
    properties: Mapping[str, Any] = schema.get("properties", {})
    chosen = draw(st.lists(st.sampled_from(sorted(properties)), unique=True)) if properties else []
    arguments = {name: draw(_values_for(properties[name])) for name in chosen}
    if draw(st.integers(0, 9)) == 0:
        arguments[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    return arguments


@pytest.mark.parametrize("schema_name", sorted(SCHEMAS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_the_fast_path_agrees_with_jsonschema(schema_name: str, data: st.DataObject) -> None:
    schema = SCHEMAS[schema_name]
    reference = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    validator = ArgumentValidator(schema_name, schema)
    arguments = data.draw(arguments_for(schema))
    valid = not list(reference.iter_errors(arguments))
    problems = validator.problems(arguments)
    assert (problems == []) == valid, (arguments, problems)


def test_a_trailing_newline_is_judged_as_jsonschema_judges_it() -> None:
    schema = {
        "type": "object",
        "properties": {"code": {"type": "string", "pattern": "^[0-9]{6}$"}},
        "required": ["code"],
    }
    validator = ArgumentValidator("lock", schema)
    reference = Draft202012Validator(schema)
    for code in ("123456", "123456\n", "12345"):
        assert (validator.problems({"code": code}) == []) == reference.is_valid({"code": code})
