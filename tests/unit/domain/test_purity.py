"""The domain imports nothing but the standard library, attrs and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import jamf_mcp.domain

ALLOWED = set(sys.stdlib_module_names) | {"attrs", "jamf_mcp"}


def test_every_domain_module_imports_only_stdlib_attrs_and_the_domain() -> None:
    package = Path(jamf_mcp.domain.__file__).parent
    offenders: list[str] = []
    for module in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                inside_domain = name == "jamf_mcp.domain" or name.startswith("jamf_mcp.domain.")
                if top not in ALLOWED or (top == "jamf_mcp" and not inside_domain):
                    offenders.append(f"{module.name}: {name}")
    assert offenders == []
