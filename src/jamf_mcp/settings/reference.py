"""The configuration reference: `docs/configuration.md`'s settings tables, made from the declarations.

The document keeps its own prose; each table sits between `<!-- settings: SECTION -->` and
`<!-- /settings -->` and lists, in declaration order, every setting declared with that section.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs

from jamf_mcp.settings.declarations import Declaration, walk
from jamf_mcp.settings.model import Settings

BLOCK = re.compile(r"(<!-- settings: ([a-z-]+) -->\n)(.*?)(<!-- /settings -->)", re.DOTALL)
HEADER = "| variable / flag | default | meaning |\n|---|---|---|\n"


class StaleReference(ValueError):
    """The document names a section no setting is declared in, or leaves a section out."""


def rows(section: str) -> list[str]:
    """The table rows of one section, in declaration order."""
    return [
        _row(attribute, declaration)
        for attribute, declaration in walk(Settings)
        if declaration.section == section
    ]


def render(document: str) -> str:
    """`document` with every settings table regenerated (the prose around them untouched).

    Raises:
        StaleReference: a table names an unknown section, or a declared section has no table.
    """
    declared = {declaration.section for _, declaration in walk(Settings)}
    found: set[str] = set()

    def table(match: re.Match[str]) -> str:
        section = match.group(2)
        if section not in declared:
            raise StaleReference(f"no setting is declared in section {section!r}")
        found.add(section)
        return (
            match.group(1) + HEADER + "".join(f"{row}\n" for row in rows(section)) + match.group(4)
        )

    rendered = BLOCK.sub(table, document)
    missing = declared - found
    if missing:
        raise StaleReference(f"no table for the settings of {', '.join(sorted(missing))}")
    return rendered


def regenerate(path: Path) -> bool:
    """Rewrite the reference at `path`; True when it changed."""
    before = path.read_text(encoding="utf-8")
    after = render(before)
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def _row(attribute: attrs.Attribute[Any], declaration: Declaration) -> str:
    name = f"`{declaration.env}`"
    if declaration.flag:
        name = f"`{declaration.flag}` / {name}"
    return f"| {name} | {_default(attribute, declaration)} | {declaration.doc} |"


def _default(attribute: attrs.Attribute[Any], declaration: Declaration) -> str:
    if declaration.shown_default is not None:  # always given for a computed default
        return declaration.shown_default
    value = attribute.default
    if value is None or value in (frozenset(), ()):
        return ""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"`{value:g}`"
    return f"`{value}`"
