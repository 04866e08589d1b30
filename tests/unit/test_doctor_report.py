"""`jamf-mcp doctor`'s printed report: a mark per check, grouped by area, fixes under problems."""

from __future__ import annotations

from jamf_mcp.adapters.console import format_diagnosis
from jamf_mcp.domain.diagnostics import Diagnosis, failed, passed, skipped, warning


def test_marks_group_and_fixes_are_printed_and_the_verdict_counts_problems() -> None:
    diagnosis = Diagnosis.of(
        [
            passed("Jamf Pro", "Credentials accepted", 'API client "abc" signed in'),
            failed(
                "Jamf Pro",
                "Privileges for policy runs",
                "policy runs need Update Static Computer Groups: missing",
                "Add Update Static Computer Groups to an API role of this API client.",
            ),
        ],
        [
            warning("Sign-in", "Audience", "OIDC_AUDIENCE is not set", "Set OIDC_AUDIENCE."),
            skipped("Sign-in", "Issuer discovery and JWKS", "no identity provider configured"),
        ],
    )
    text = format_diagnosis(diagnosis, title="doctor")
    assert text.splitlines() == [
        "doctor",
        "",
        "Jamf Pro",
        '  ✓ Credentials accepted: API client "abc" signed in',
        "  ✗ Privileges for policy runs: policy runs need Update Static Computer Groups: missing",
        "      fix: Add Update Static Computer Groups to an API role of this API client.",
        "",
        "Sign-in",
        "  ! Audience: OIDC_AUDIENCE is not set",
        "      fix: Set OIDC_AUDIENCE.",
        "  - Issuer discovery and JWKS: no identity provider configured",
        "",
        "1 problem(s) to fix, 1 warning(s).",
    ]
    assert not diagnosis.healthy


def test_a_clean_diagnosis_says_so() -> None:
    text = format_diagnosis(Diagnosis.of([passed("Storage", "Redis", "Redis 7 answers")]))
    assert text.endswith("No problems found.")
