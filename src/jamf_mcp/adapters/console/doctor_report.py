"""`jamf-mcp doctor`'s report: one line per check (✓ passed, ✗ failed, ! warning, - skipped),
grouped by area, each failure and warning followed by its fix."""

from __future__ import annotations

import textwrap

from jamf_mcp.domain.diagnostics import CheckStatus, Diagnosis

MARKS = {
    CheckStatus.PASSED: "✓",
    CheckStatus.FAILED: "✗",
    CheckStatus.WARNING: "!",
    CheckStatus.SKIPPED: "-",
}
WIDTH = 100


def format_diagnosis(diagnosis: Diagnosis, *, title: str = "jamf-mcp doctor") -> str:
    """The whole report, ending with a one-line verdict."""
    lines = [title]
    area = None
    for result in diagnosis.results:
        if result.area != area:
            area = result.area
            lines += ["", area]
        head = f"  {MARKS[result.status]} {result.title}"
        text = f"{head}: {result.detail}" if result.detail else head
        lines += textwrap.wrap(text, WIDTH, subsequent_indent="      ")
        if result.fix and result.status in (CheckStatus.FAILED, CheckStatus.WARNING):
            lines += textwrap.wrap(
                f"fix: {result.fix}", WIDTH, initial_indent="      ", subsequent_indent="        "
            )
    failures = len(diagnosis.failures)
    warnings = sum(1 for r in diagnosis.results if r.status is CheckStatus.WARNING)
    verdict = (f"{failures} problem(s) to fix" if failures else "No problems found") + (
        f", {warnings} warning(s)." if warnings else "."
    )
    return "\n".join([*lines, "", verdict])
