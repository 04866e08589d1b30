"""Building a ToolCatalogue: name rules, schema checks and ordering."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from jamf_mcp.adapters.mcp import (
    InvalidCatalogue,
    ToolCatalogue,
    ToolContext,
    ToolDefinition,
    ToolResult,
)
from tests.unit.adapters_mcp.mcp_core_support import READ_ONLY


async def _handler(arguments: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
    return ToolResult(None, text="ok")


def tool(name: str, schema: Mapping[str, Any] | None = None) -> ToolDefinition:
    schema = {"type": "object"} if schema is None else schema
    return ToolDefinition(name, name, "d", schema, None, READ_ONLY, frozenset(), _handler)


@pytest.mark.parametrize("name", ["", "a" * 65, "has space", "slash/name", "ünïcode", "semi;colon"])
def test_rejects_invalid_tool_names(name: str) -> None:
    with pytest.raises(InvalidCatalogue, match="must be 1-64 characters"):
        ToolCatalogue([tool(name)])


@pytest.mark.parametrize("name", ["a", "a" * 64, "search", "jamf.get-device_v2", "X_1"])
def test_accepts_valid_tool_names(name: str) -> None:
    assert name in ToolCatalogue([tool(name)])


def test_rejects_duplicate_tool_names() -> None:
    with pytest.raises(InvalidCatalogue, match="'search' is used twice"):
        ToolCatalogue([tool("search"), tool("fetch"), tool("search")])


@pytest.mark.parametrize(
    ("schema", "fragment"),
    [
        ({"type": "string"}, "must have type 'object'"),
        ({}, "must have type 'object'"),
        ({"type": "object", "properties": {"x": {"type": "banana"}}}, "is invalid"),
        ({"type": "object", "required": "x"}, "is invalid"),
    ],
)
def test_rejects_tools_whose_input_schema_is_not_a_valid_object_schema(
    schema: Mapping[str, Any], fragment: str
) -> None:
    with pytest.raises(InvalidCatalogue, match=fragment):
        ToolCatalogue([tool("bad", schema)])


def test_keeps_publication_order_and_finds_tools_by_name() -> None:
    catalogue = ToolCatalogue([tool("zeta"), tool("alpha"), tool("mid")])

    assert [t.name for t in catalogue] == ["zeta", "alpha", "mid"]
    assert len(catalogue) == 3
    assert catalogue.get("alpha") is not None
    assert catalogue.get("missing") is None
    assert [t.name for t in catalogue.page(1, 5)] == ["alpha", "mid"]
