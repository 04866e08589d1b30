"""Regenerate the settings tables of docs/configuration.md from the settings declarations.

Usage: `python scripts/settings_reference.py [--check]`; `--check` only says whether the document
is up to date (exit status 1 when it is stale). tests/unit/test_settings_reference.py runs the
same check.
"""

from __future__ import annotations

import sys
from pathlib import Path

from jamf_mcp.settings.reference import regenerate, render

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def main(argv: list[str]) -> int:
    """Rewrite (or with `--check`, only compare) the reference; 1 when it was stale."""
    if "--check" in argv:
        current = DOCUMENT.read_text(encoding="utf-8")
        stale = render(current) != current
        if stale:
            print(f"{DOCUMENT} is stale: run python scripts/settings_reference.py", file=sys.stderr)
        return 1 if stale else 0
    changed = regenerate(DOCUMENT)
    print(f"{DOCUMENT}: {'regenerated' if changed else 'already up to date'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
