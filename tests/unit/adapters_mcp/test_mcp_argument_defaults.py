"""A tool's defaults come from its schema: read once per tool, filled in before the handler runs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jamf_mcp.adapters.mcp import InvalidCatalogue, ToolCatalogue
from jamf_mcp.adapters.mcp.arguments import (
    ArgumentValidator,
    InvalidToolSchema,
    schema_defaults,
    with_defaults,
)
from tests.unit.adapters_mcp.test_mcp_argument_fast_path import SCHEMAS, arguments_for
from tests.unit.adapters_mcp.test_mcp_catalogue import tool

PAGED = {
    "type": "object",
    "properties": {
        "searchTerm": {"type": "string", "default": ""},
        "limit": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
        "verbose": {"type": "boolean", "default": False},
        "department": {"type": "string"},
    },
    "additionalProperties": False,
}


def test_only_properties_that_declare_a_default_have_one() -> None:
    assert dict(schema_defaults(PAGED)) == {"searchTerm": "", "limit": 50, "verbose": False}
    assert dict(schema_defaults({"type": "object"})) == {}


def test_the_defaults_cannot_be_changed_through_what_is_returned() -> None:
    defaults = schema_defaults(PAGED)
    with pytest.raises(TypeError):
        defaults["limit"] = 1  # type: ignore[index]


def test_absent_arguments_get_their_default_and_given_ones_are_kept() -> None:
    given_ = {"limit": 5, "verbose": None, "department": "Sales"}
    filled = with_defaults(given_, schema_defaults(PAGED))
    assert filled == {"limit": 5, "verbose": None, "department": "Sales", "searchTerm": ""}
    assert given_ == {"limit": 5, "verbose": None, "department": "Sales"}  # not changed


def test_arguments_lacking_nothing_are_returned_as_they_are() -> None:
    complete = {"searchTerm": "x", "limit": 0, "verbose": False}
    assert with_defaults(complete, schema_defaults(PAGED)) is complete
    empty: dict[str, Any] = {}
    assert with_defaults(empty, {}) is empty


def test_completed_arguments_are_normalized_then_filled() -> None:
    validator = ArgumentValidator("search", PAGED)
    arguments = {"limit": 25.0}
    assert validator.problems(arguments) == []
    completed = validator.completed(arguments)
    assert completed == {"limit": 25, "searchTerm": "", "verbose": False}
    assert type(completed["limit"]) is int


def test_a_default_the_property_itself_refuses_stops_the_catalogue() -> None:
    schema = {"type": "object", "properties": {"limit": {"type": "integer", "default": "ten"}}}
    with pytest.raises(InvalidToolSchema, match="default of 'limit' is not valid"):
        ArgumentValidator("search", schema)
    with pytest.raises(InvalidCatalogue, match="default of 'limit' is not valid"):
        ToolCatalogue([tool("search", schema)])


@pytest.mark.parametrize(
    ("property_schema", "where"),
    [
        ({"type": "object", "properties": {"depth": {"type": "integer", "default": 1}}}, "f.depth"),
        ({"type": "array", "items": {"type": "string", "default": "x"}}, "f/items"),
        ({"anyOf": [{"type": "string", "default": "a"}, {"type": "null"}]}, "f/anyOf[0]"),
    ],
)
def test_a_default_below_the_top_level_properties_is_refused_since_none_would_apply_it(
    property_schema: Mapping[str, Any], where: str
) -> None:
    schema = {"type": "object", "properties": {"f": property_schema}}
    with pytest.raises(InvalidToolSchema, match=f"never applied .*{re.escape(where)}"):
        ArgumentValidator("deep", schema)


def test_a_property_called_default_is_just_a_property() -> None:
    schema = {"type": "object", "properties": {"default": {"type": "string"}}}
    validator = ArgumentValidator("odd", schema)
    assert dict(validator.defaults) == {}


@pytest.mark.parametrize("schema_name", sorted(SCHEMAS))
def test_every_published_schema_is_accepted_with_the_defaults_it_declares(
    schema_name: str,
) -> None:
    schema = SCHEMAS[schema_name]
    validator = ArgumentValidator(schema_name, schema)
    assert dict(validator.defaults) == {
        name: sub["default"] for name, sub in schema["properties"].items() if "default" in sub
    }


@pytest.mark.parametrize("schema_name", sorted(SCHEMAS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_completing_keeps_every_given_argument_and_adds_exactly_the_missing_defaults(
    schema_name: str, data: st.DataObject
) -> None:
    schema = SCHEMAS[schema_name]
    validator = ArgumentValidator(schema_name, schema)
    arguments = data.draw(arguments_for(schema))
    completed = validator.completed(arguments)
    normalized = validator.normalized(arguments)
    assert set(completed) == set(arguments) | set(validator.defaults)
    for name in arguments:
        assert completed[name] == normalized[name]
        assert type(completed[name]) is type(normalized[name])
    for name, default in validator.defaults.items():
        if name not in arguments:
            assert completed[name] == default
    if validator.problems(arguments) == []:
        assert validator.problems(completed) == []
