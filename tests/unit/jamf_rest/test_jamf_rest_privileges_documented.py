"""The privileges table of docs/configuration.md names every privilege the Jamf adapter's
table holds, in the row of its feature (the code is the one home of the fact; the docs follow)."""

from __future__ import annotations

from pathlib import Path

from jamf_mcp.adapters.jamf_rest.privileges import PRIVILEGE_NEEDS
from jamf_mcp.application.ports.doctor import JamfFeature

DOC = Path(__file__).resolve().parents[3] / "docs" / "configuration.md"


def _rows() -> dict[str, str]:
    section = DOC.read_text().split("### Jamf Pro privileges", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    return {row.split("|")[1].strip(): row for row in rows}


def test_every_feature_row_lists_the_privileges_the_adapter_needs() -> None:
    rows = _rows()
    for feature in JamfFeature:
        assert feature.value in rows, feature
        row = rows[feature.value]
        for need in PRIVILEGE_NEEDS:
            if need.feature is feature:
                assert need.privilege in row, (feature.value, need.privilege)
