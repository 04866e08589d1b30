"""ChatGPT connects to `jamf-mcp serve` both ways its connector settings allow — automatically,
with its Client ID Metadata Document and `private_key_jwt`, and with a pre-registered client
typed into the settings form — then runs the seed's scenarios the way ChatGPT calls tools: no
session id, no protocol-version header, the tool scan's octet-stream, refresh, reconnect without
`scope`. The stand-in is `tests/clients/chatgpt.py` (its docstring cites what it is built from);
the person signs in in headless Chromium.
"""

from __future__ import annotations

import base64
import logging
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from dependency_injector import providers

from jamf_mcp.adapters.system.clock import SystemClock
from jamf_mcp.containers import Container
from jamf_mcp.settings import ActionSettings
from tests.clients.chatgpt import CallResult, ChatGpt, PreRegistered, chatgpt_backend
from tests.clients.chatgpt_site import CONNECTOR_PLATFORM_REDIRECT, ChatGptSite
from tests.e2e.conftest import RunningServer, start_server, stop_server
from tests.e2e.inprocess import InProcessServer, serving
from tests.support.approval import decide_in_browser

pytestmark = pytest.mark.e2e

RUN_MAC_123 = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
MARKETING_MACS = {"department": "Marketing", "deviceType": "computer"}


def on_request() -> ActionSettings:
    """The inventory policy an on-demand inventory needs (docs/configuration.md)."""
    return ActionSettings(inventory_policy="Inventory on Request")


def chatgpt_on_the_internet(site: ChatGptSite) -> Callable[[Container], None]:
    """The server's own metadata fetcher (every SSRF check), with chatgpt.com as its internet."""

    def configure(container: Container) -> None:
        container.identity.cimd_fetcher.override(providers.Object(site.fetcher(SystemClock())))

    return configure


async def confirmed_action(
    chatgpt: ChatGpt, tool: str, arguments: dict[str, Any], *, progress: bool = False
) -> CallResult:
    """Run an action the way a client without elicitation confirms it (issue 14): the first call
    returns an approval link, the person opens it in their browser, signs in as themselves and
    approves; the model then calls again with the same arguments and gets the result."""
    asked = await chatgpt.call_tool(tool, arguments)
    assert asked.structured["status"] == "approval_required", asked.result
    assert "confirmationToken" not in asked.structured
    heading = await decide_in_browser(asked.structured["approvalUrl"], chatgpt.person)
    assert heading == "Approved"
    return await chatgpt.call_tool(tool, arguments, progress=progress)


async def seed_scenarios(chatgpt: ChatGpt, server_writes: Callable[[], int] | None = None) -> None:
    """The seed's four scenarios, as ChatGPT calls them (`server_writes`: what the simulated
    Jamf Pro received, when the test can see it)."""
    compliance = await chatgpt.call_tool("checkDeviceCompliance", {"daysSinceLastCheckin": 30})
    summary = compliance.structured["summary"]
    assert (summary["total"], summary["noncompliant"], summary["critical"]) == (500, 23, 5)
    assert compliance.content_type.startswith("application/json")

    found = await chatgpt.call_tool("searchDevices", {"searchTerm": "John Smith"})
    macs = [d for d in found.structured["devices"] if d["deviceType"] == "computer"]
    assert [m["user"] for m in macs] == ["John Smith"]
    assert "MacBook" in (macs[0]["model"] or "")

    before = server_writes() if server_writes else 0
    run = await confirmed_action(chatgpt, "executePolicy", RUN_MAC_123)
    assert (run.structured["status"], run.structured["confirmedVia"]) == ("queued", "approval_page")
    assert server_writes is None or server_writes() > before

    bulk = await confirmed_action(chatgpt, "updateInventory", MARKETING_MACS, progress=True)
    devices = bulk.structured["totalDevices"]
    assert bulk.structured["status"] == "queued" and devices >= 1
    assert bulk.content_type.startswith("text/event-stream")
    values = [note["progress"] for note in bulk.progress]
    assert values and values == sorted(values) and values[-1] == devices


def connection_events(caplog: pytest.LogCaptureFixture, message: str) -> list[dict[str, Any]]:
    return [
        dict(getattr(record, "fields", {}))
        for record in caplog.records
        if record.getMessage() == message
    ]


async def test_chatgpt_connects_with_its_metadata_document_and_private_key_jwt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="jamf_mcp.connections")
    site = ChatGptSite()
    async with (
        serving(
            tmp_path / "data", actions=on_request(), configure=chatgpt_on_the_internet(site)
        ) as server,
        chatgpt_backend() as http,
    ):
        chatgpt = ChatGpt(server.mcp_url, http, site=site)
        tokens = await chatgpt.connect()

        assert chatgpt.metadata["client_id_metadata_document_supported"] is True
        assert "private_key_jwt" in chatgpt.metadata["token_endpoint_auth_methods_supported"]
        assert "offline_access" in chatgpt.metadata["scopes_supported"]
        assert set(tokens.scope.split()) >= {"read:jamf", "write:jamf"}
        assert site.served == [site.client_id, "https://chatgpt.com/oauth/jwks.json"]
        consent = chatgpt.sign_ins[0].consent_text
        assert "ChatGPT" in consent and "chatgpt.com" in consent
        assert chatgpt.authorize_requests[0]["resource"] == server.mcp_url

        tools = {tool["name"]: tool for tool in await chatgpt.tool_scan()}
        assert tools["executePolicy"]["securitySchemes"] == [
            {"type": "oauth2", "scopes": ["read:jamf", "write:jamf"]}
        ]
        assert (
            tools["executePolicy"]["_meta"]["securitySchemes"]
            == (tools["executePolicy"]["securitySchemes"])
        )
        [established] = connection_events(caplog, "MCP connection established")
        assert established == {
            "subject": "alice",
            "client": "openai-mcp",
            "oauth_client": site.client_id,
            "transport": "streamable-http",
            "protocol_version": "2025-06-18",
            "connection": "session",
        }
        assert await active_sessions(server) == 1

        await seed_scenarios(chatgpt, server.writes)

        refreshed = await chatgpt.refresh()
        assert refreshed.access_token != tokens.access_token
        after = await chatgpt.call_tool("getFleetSummary", {})
        assert after.structured["total"] >= 500

        again = await chatgpt.reconnect()  # Disconnect → Connect: no scope in the request
        assert "scope" not in chatgpt.authorize_requests[-1]
        assert set(again.scope.split()) >= {"read:jamf", "write:jamf"}
        assert (await chatgpt.call_tool("getFleetSummary", {})).structured["total"] >= 500


async def active_sessions(server: InProcessServer) -> float:
    async with httpx.AsyncClient() as http:
        text = (await http.get(f"{server.settings.public_url}/metrics")).text
    [line] = [row for row in text.splitlines() if row.startswith("jamf_mcp_mcp_sessions_active ")]
    return float(line.split()[1])


# --- the pre-registered client, exactly as the settings form describes it --------------------


@pytest.fixture(scope="module")
def form_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningServer, str, str]]:
    """`jamf-mcp clients add`, then `jamf-mcp serve` on the same data directory."""
    tmp = Path(tmp_path_factory.mktemp("form"))
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "jamf_mcp",
            "clients",
            "add",
            "--name",
            "ChatGPT",
            "--redirect-uri",
            CONNECTOR_PLATFORM_REDIRECT,
            "--data-dir",
            str(tmp / "data"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp)},
    )
    assert added.returncode == 0, added.stderr
    client_id = re.search(r"OAuth client ID\s+(\S+)", added.stdout)
    secret = re.search(r"OAuth client secret\s+(\S+)", added.stdout)
    assert client_id and secret, added.stdout
    server = start_server(
        tmp, {"JAMF_MCP_AUTH": "dev", "JAMF_MCP_INVENTORY_POLICY": "Inventory on Request"}
    )
    yield server, client_id.group(1), secret.group(1)
    stop_server(server)


@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
async def test_chatgpt_connects_with_a_pre_registered_client_from_the_settings_form(
    form_server: tuple[RunningServer, str, str], auth_method: str
) -> None:
    server, client_id, secret = form_server
    form = PreRegistered(
        client_id=client_id,
        client_secret=secret,
        authorization_url=f"{server.base_url}/auth/authorize",
        token_url=f"{server.base_url}/auth/callback",
        auth_method=auth_method,
    )
    async with chatgpt_backend() as http:
        home = (await http.get(server.base_url + "/")).text
        assert "Pre-registered client" in home
        chatgpt = ChatGpt(server.mcp_url, http, form=form)
        tokens = await chatgpt.connect()
        assert chatgpt.authorize_requests[0]["scope"] == "openid profile email read:jamf write:jamf"
        assert set(tokens.scope.split()) == {
            "openid",
            "profile",
            "email",
            "read:jamf",
            "write:jamf",
        }
        assert "ChatGPT" in chatgpt.sign_ins[0].consent_text
        await chatgpt.tool_scan()
        await seed_scenarios(chatgpt)
        await chatgpt.refresh()
        assert (await chatgpt.call_tool("getFleetSummary", {})).structured["total"] >= 500
        wrong = await http.post(
            form.token_url,
            data={
                "grant_type": "refresh_token",
                "refresh_token": chatgpt.tokens.refresh_token or "",
            },
            headers={
                "Authorization": "Basic " + base64.b64encode(f"{client_id}:wrong".encode()).decode()
            },
        )
        assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
