"""The ordered, immutable set of tools a server offers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from jamf_mcp.adapters.mcp.arguments import ArgumentValidator
from jamf_mcp.adapters.mcp.tools import ToolDefinition

_TOOL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class InvalidCatalogue(ValueError):
    """A tool definition cannot be published (bad or duplicate name, invalid schema)."""


class ToolCatalogue:
    """The tools a server offers, in publication order; fixed once built.

    Input schemas are checked and compiled here, once, so a bad tool fails at start-up rather
    than on its first call.

    Args:
        tools: the definitions, in the order `tools/list` should present them.

    Raises:
        InvalidCatalogue: for an invalid or duplicate tool name or an invalid input schema.
    """

    def __init__(self, tools: Iterable[ToolDefinition]) -> None:
        self._tools: tuple[ToolDefinition, ...] = tuple(tools)
        self._by_name: dict[str, ToolDefinition] = {}
        self._validators: dict[str, ArgumentValidator] = {}
        for tool in self._tools:
            if not _TOOL_NAME.fullmatch(tool.name):
                raise InvalidCatalogue(
                    f"Tool name {tool.name!r} must be 1-64 characters of A-Z a-z 0-9 _ . -"
                )
            if tool.name in self._by_name:
                raise InvalidCatalogue(f"Tool name {tool.name!r} is used twice")
            try:
                self._validators[tool.name] = ArgumentValidator(tool.name, tool.input_schema)
            except ValueError as exc:
                raise InvalidCatalogue(str(exc)) from exc
            self._by_name[tool.name] = tool

    def __len__(self) -> int:
        return len(self._tools)

    def __iter__(self) -> Iterator[ToolDefinition]:
        return iter(self._tools)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> ToolDefinition | None:
        """The tool called `name`, or None."""
        return self._by_name.get(name)

    def validator(self, name: str) -> ArgumentValidator:
        """The compiled argument validator of a tool in this catalogue."""
        return self._validators[name]

    def page(self, offset: int, size: int) -> tuple[ToolDefinition, ...]:
        """`size` tools starting at `offset`."""
        return self._tools[offset : offset + size]
