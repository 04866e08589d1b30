"""Developer and CI sessions: `nox` runs lint, typecheck, architecture and tests."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["lint", "typecheck", "architecture", "deploy_lint", "tests"]
nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHON = "3.11"


def _install(session: nox.Session, *groups: str, project: bool = True) -> None:
    session.install("--upgrade", "pip")
    requirements = [
        req for group in groups for req in nox.project.dependency_groups(PYPROJECT, group)
    ]
    if project:
        session.install("-e", ".", *requirements)
    elif requirements:
        session.install(*requirements)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff lint and format check."""
    _install(session, "lint", project=False)
    session.run("ruff", "check", "src", "tests", "noxfile.py", "scripts", *session.posargs)
    session.run("ruff", "format", "--check", "src", "tests", "noxfile.py", "scripts")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Mypy in strict mode on src/."""
    _install(session, "typecheck")
    session.run("mypy", *session.posargs)


@nox.session(python=PYTHON)
def architecture(session: nox.Session) -> None:
    """Import-linter contracts that enforce the hexagonal layering."""
    _install(session, "architecture")
    session.run("lint-imports", *session.posargs)


@nox.session(python=PYTHON)
def deploy_lint(session: nox.Session) -> None:
    """cfn-lint on the AWS CloudFormation template of the reference deployment."""
    _install(session, "deploy", project=False)
    session.run("cfn-lint", *(session.posargs or ["deploy/aws/jamf-mcp.yaml"]))


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """The whole pytest suite: unit, integration and end-to-end through the official MCP client."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def screenshots(session: nox.Session) -> None:
    """Retake the home and approval page screenshots in docs/screenshots (headless Chromium)."""
    _install(session, "test")
    session.run(
        "pytest",
        "tests/e2e/test_home_page_in_a_browser.py",
        "tests/e2e/test_approval_page_in_a_browser.py::"
        "test_the_page_reads_on_a_desktop_and_a_phone_without_any_script",
        *session.posargs,
        env={"JAMF_MCP_SCREENSHOTS_DIR": "docs/screenshots"},
    )


@nox.session(python=PYTHON)
def mutants(session: nox.Session) -> None:
    """Mutation testing (mutmut) of domain/, application/ and the RSQL builder; not in the defaults.

    Posargs are mutant-name globs, e.g. `nox -s mutants -- 'jamf_mcp.domain.compliance*'`. One
    worker by default (the machine is shared); set MUTANTS_WORKERS to use more. Ends with the
    survivors (`mutmut results`); `mutmut show NAME` in the venv prints one's diff.
    """
    _install(session, "test", "mutants")
    workers = os.environ.get("MUTANTS_WORKERS", "1")
    session.run("mutmut", "run", "--max-children", workers, *session.posargs)
    session.run("mutmut", "results")


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """All benchmarks (~10 min): writes docs/performance.md and docs/benchmarks/latest.json."""
    _install(session, "test", "bench")
    session.run("python", "scripts/bench_all.py", *session.posargs)
