"""`jamf-mcp stdio` as a real process, driven by the official MCP client's stdio transport."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import mcp.types as types
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

from jamf_mcp.simulator import DEMO_CLIENT_SECRET, DEMO_PASSWORD

pytestmark = pytest.mark.e2e

TOOLS = [
    "searchDevices",
    "getDeviceDetails",
    "checkDeviceCompliance",
    "listPolicies",
    "getPolicyDetails",
    "getFleetSummary",
    "getCommandStatus",
    "getActionStatus",
    "executePolicy",
    "updateInventory",
    "sendMdmCommand",
    "search",
    "fetch",
]


class Elicitations:
    """An elicitation callback that accepts and remembers what it was asked."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    async def __call__(self, context: Any, params: Any) -> types.ElicitResult:
        self.messages.append(params.message)
        return types.ElicitResult(action="accept", content={"confirm": True})


def stdio_server(tmp_path: Path) -> StdioServerParameters:
    """`jamf-mcp stdio` on the embedded demo tenant, with no Jamf or OIDC settings inherited.

    Inventory goes through the demo's Ongoing recon policy (the setup docs/configuration.md
    recommends): Jamf's weekly built-in one already ran this week on most Macs.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_"))}
    env["JAMF_MCP_INVENTORY_POLICY"] = "Inventory on Request"
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "jamf_mcp", "stdio", "--data-dir", str(tmp_path / "data")],
        env=env,
        cwd=tmp_path,
    )


@asynccontextmanager
async def connected(tmp_path: Path, **options: Any) -> AsyncIterator[Client]:
    with (tmp_path / "stderr.log").open("w") as errlog:
        transport = stdio_client(stdio_server(tmp_path), errlog=errlog)
        async with Client(transport, mode="legacy", **options) as client:
            yield client


async def test_lists_the_same_tools_as_over_http(tmp_path: Path) -> None:
    async with connected(tmp_path) as client:
        listed = await client.list_tools()

    assert sorted(tool.name for tool in listed.tools) == sorted(TOOLS)


async def test_checks_compliance_of_the_demo_tenant(tmp_path: Path) -> None:
    async with connected(tmp_path) as client:
        result = await client.call_tool("checkDeviceCompliance", {"daysSinceLastCheckin": 30})

    assert result.is_error is False
    assert result.structured_content is not None
    summary = result.structured_content["summary"]
    assert (summary["total"], summary["noncompliant"], summary["critical"], summary["warning"]) == (
        500,
        23,
        5,
        18,
    )


async def test_runs_a_policy_once_the_user_accepts_the_elicitation(tmp_path: Path) -> None:
    elicit = Elicitations()
    async with connected(tmp_path, elicitation_callback=elicit) as client:
        result = await client.call_tool(
            "executePolicy", {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
        )

    assert result.is_error is False
    assert result.structured_content is not None
    assert result.structured_content["status"] == "queued"
    assert result.structured_content["confirmedVia"] == "elicitation"
    assert len(elicit.messages) == 1
    assert "Inventory on Request" in elicit.messages[0]


async def test_reports_progress_of_an_inventory_update(tmp_path: Path) -> None:
    updates: list[tuple[float, float | None, str | None]] = []

    async def record(progress: float, total: float | None, message: str | None) -> None:
        updates.append((progress, total, message))

    async with connected(tmp_path, elicitation_callback=Elicitations()) as client:
        result = await client.call_tool(
            "updateInventory", {"deviceIds": ["1", "2", "3"]}, progress_callback=record
        )

    assert result.structured_content is not None
    assert result.structured_content["status"] == "queued"
    assert updates, "no progress notification arrived"
    values = [value for value, _, _ in updates]
    assert values == sorted(values)
    assert values[-1] == 3
    assert {total for _, total, _ in updates} == {3}


async def test_logs_go_to_stderr_and_name_no_secrets(tmp_path: Path) -> None:
    async with connected(tmp_path) as client:
        await client.call_tool("getFleetSummary", {})

    log = (tmp_path / "stderr.log").read_text()
    assert "Serving MCP on stdin/stdout as the local operator" in log
    assert "tools/call getFleetSummary: ok" in log
    assert DEMO_CLIENT_SECRET not in log
    assert DEMO_PASSWORD not in log
    assert "Bearer" not in log
