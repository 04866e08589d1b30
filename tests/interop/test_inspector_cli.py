"""MCP Inspector's CLI (`@modelcontextprotocol/inspector --cli`) against the signed-in server.

Over Streamable HTTP (`/mcp`) and the legacy 2024-11-05 HTTP+SSE transport (`/sse`), with a
bearer token from `jamf-mcp dev-token`: it lists the tools and calls `checkDeviceCompliance` on
the demo tenant (500 computers, 23 of them not checked in for 30 days).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.interop.servers import SignedInServer
from tests.support.node_tools import NodeTools

pytestmark = pytest.mark.e2e

TRANSPORTS = [
    pytest.param("http", "/mcp", id="streamable-http"),
    pytest.param("sse", "/sse", id="legacy-http-sse"),
]
EXIT_AUTH_REQUIRED = 3


@attrs.frozen
class InspectorRun:
    """One Inspector CLI run: exit code, the JSON it printed, and a note for failed assertions."""

    exit_code: int
    result: Any
    """stdout's JSON (`{"result": ...}`), or stderr's error envelope (`{"error": ...}`)."""
    note: str

    def require_result(self) -> None:
        """Fail the test, showing the Inspector's output, unless it exited 0 with a result."""
        if not (self.exit_code == 0 and isinstance(self.result, dict) and "result" in self.result):
            pytest.fail(self.note, pytrace=False)


def _json_from(text: str) -> Any:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    for candidate in (text, lines[-1] if lines else ""):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def _inspect(
    node_tools: NodeTools,
    target: SignedInServer,
    transport: str,
    path: str,
    method_args: list[str],
    state_dir: Path,
    *,
    token: str | None = None,
) -> InspectorRun:
    """Run `inspector --cli URL --transport T METHOD_ARGS --format json` once."""
    args = [
        target.server.url(path),
        "--transport",
        transport,
        *method_args,
        "--format",
        "json",
        "--stored-auth-only",  # never start an interactive OAuth login in a test
        "--connect-timeout",
        "15000",
    ]
    if token is not None:
        args += ["--header", f"Authorization: Bearer {token}"]
    completed = node_tools.inspector_cli(args, state_dir=state_dir)
    note = (
        f"inspector --cli {' '.join(args[:3])} {' '.join(method_args)} exited "
        f"{completed.returncode}\nstdout:\n{completed.stdout[-3000:]}\n"
        f"stderr:\n{completed.stderr[-3000:]}{target.server.trouble()}"
    )
    payload = _json_from(completed.stdout)
    if payload is None:
        payload = _json_from(completed.stderr)
    return InspectorRun(completed.returncode, payload, note)


def _compliance_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The report's summary: `structuredContent`, or the JSON text block 2024-11-05 clients get."""
    structured = result.get("structuredContent")
    if isinstance(structured, dict) and "summary" in structured:
        return dict(structured["summary"])
    for block in result.get("content", []):
        if block.get("type") != "text":
            continue
        try:
            data = json.loads(block["text"])
        except ValueError:
            continue
        if isinstance(data, dict) and "summary" in data:
            return dict(data["summary"])
    raise AssertionError(f"no compliance summary in the result: {json.dumps(result)[:2000]}")


@pytest.mark.parametrize(("transport", "path"), TRANSPORTS)
def test_inspector_lists_the_tools_including_check_device_compliance(
    transport: str,
    path: str,
    node_tools: NodeTools,
    signed_in_server: SignedInServer,
    tmp_path: Path,
) -> None:
    run = _inspect(
        node_tools,
        signed_in_server,
        transport,
        path,
        ["--method", "tools/list"],
        tmp_path,
        token=signed_in_server.token,
    )
    run.require_result()
    names = [tool["name"] for tool in run.result["result"]["tools"]]
    assert "checkDeviceCompliance" in names, f"tools listed: {names}"


@pytest.mark.parametrize(("transport", "path"), TRANSPORTS)
def test_inspector_calls_check_device_compliance_and_gets_the_demo_tenant_report(
    transport: str,
    path: str,
    node_tools: NodeTools,
    signed_in_server: SignedInServer,
    tmp_path: Path,
) -> None:
    run = _inspect(
        node_tools,
        signed_in_server,
        transport,
        path,
        [
            "--method",
            "tools/call",
            "--tool-name",
            "checkDeviceCompliance",
            "--tool-arg",
            "daysSinceLastCheckin=30",
        ],
        tmp_path,
        token=signed_in_server.token,
    )
    run.require_result()
    result = run.result["result"]
    assert result.get("isError") is not True, run.note
    summary = _compliance_summary(result)
    assert (summary["total"], summary["noncompliant"]) == (500, 23), summary


def test_inspector_without_a_token_is_told_to_sign_in(
    node_tools: NodeTools, signed_in_server: SignedInServer, tmp_path: Path
) -> None:
    run = _inspect(
        node_tools, signed_in_server, "http", "/mcp", ["--method", "tools/list"], tmp_path
    )
    assert run.exit_code == EXIT_AUTH_REQUIRED, run.note
    assert isinstance(run.result, dict), run.note
    assert run.result.get("error", {}).get("code") == "auth_required", run.note
