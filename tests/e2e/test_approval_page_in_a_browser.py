"""The approval page end to end, as a person meets it: the official MCP client calls an action,
headless Chromium opens the link, signs in with the development identity provider, reads the
summary and approves or declines; the simulated Jamf Pro shows whether anything was sent.
"""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import mcp.types as types
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from jamf_mcp.adapters.memory import FixedClock
from jamf_mcp.adapters.sqlite import SqliteAuditLog
from jamf_mcp.domain.audit_records import AuditQuery
from jamf_mcp.settings import ActionSettings
from tests.e2e.inprocess import InProcessServer, serving
from tests.support.browser import browser_page, chromium, save_screenshot

pytestmark = pytest.mark.e2e

RUN_MAC_123 = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
ON_REQUEST = 12
URL_MODE = ActionSettings(confirmation_mode="url")


def client(server: InProcessServer, subject: str = "alice", **options: Any) -> Client:
    transport = streamable_http_client(server.mcp_url, http_client=server.http(subject))
    return Client(transport, mode="legacy", **options)


async def sign_in(page: Any, url: str, user: str) -> Any:
    """Open `url`; the page sends the browser to the development IdP, where `user` signs in."""
    await page.goto(url)
    await page.get_by_label("Username").fill(user)
    await page.get_by_label("Password").fill(user)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_load_state()
    return page


async def trail(server: InProcessServer) -> Any:
    records = await SqliteAuditLog(server.settings.audit_path).search(AuditQuery(limit=10))
    return list(reversed(records))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


async def test_a_client_without_elicitation_gets_a_link_and_runs_only_after_alice_approves(
    data_dir: Path,
) -> None:
    async with serving(data_dir) as server:
        writes = server.writes()
        async with client(server) as mcp:
            first = await mcp.call_tool("executePolicy", RUN_MAC_123)
            data = first.structured_content
            assert data is not None
            assert data["status"] == "approval_required"
            assert "confirmationToken" not in data
            url = data["approvalUrl"]
            assert url.startswith(f"{server.settings.public_url}/confirm/")
            assert "open it" in first.content[0].text  # type: ignore[union-attr]
            # The model calling again on its own changes nothing: still waiting.
            again = await mcp.call_tool("executePolicy", RUN_MAC_123)
            assert again.structured_content is not None
            assert again.structured_content["status"] == "approval_required"
            assert again.structured_content["waiting"] is True
            assert again.structured_content["approvalUrl"] == url
            # Nor does a token it makes up (tokens are off by default).
            forged = await mcp.call_tool(
                "executePolicy", {**RUN_MAC_123, "confirmationToken": "x" * 43}
            )
            assert forged.is_error is True
            assert server.writes() == writes

            async with browser_page() as page:
                await sign_in(page, url, "alice")
                body = await page.inner_text("body")
                assert "Inventory on Request" in body
                assert "MAC-123" in body
                assert "Asked by alice" in body
                assert "mcp" in body  # the client's name
                await page.get_by_role("button", name="Approve").click()
                await page.wait_for_load_state()
                assert "Approved" in await page.inner_text("h1")
                assert server.writes() == writes  # approving runs nothing by itself

                done = await mcp.call_tool("executePolicy", RUN_MAC_123)
                assert done.structured_content is not None
                assert done.structured_content["status"] == "queued"
                assert done.structured_content["confirmedVia"] == "approval_page"
                assert server.writes() > writes
                ran = server.writes()

                # Replaying the approved link approves nothing more.
                replay = await page.goto(url)
                assert replay is not None
                assert replay.status == 409
                assert "Already approved" in await page.inner_text("h1")
                # The same call again is a new question, not a second run.
                next_call = await mcp.call_tool("executePolicy", RUN_MAC_123)
                assert next_call.structured_content is not None
                assert next_call.structured_content["status"] == "approval_required"
                assert next_call.structured_content["approvalUrl"] != url
                assert server.writes() == ran

        record = next(r for r in await trail(server) if r.status.value == "queued")
        assert record.approval is not None
        assert record.approval.channel.value == "approval_page"
        assert record.approval.actor.subject == "alice"


async def test_declining_on_the_page_sends_nothing_and_the_next_call_says_so(
    data_dir: Path,
) -> None:
    async with serving(data_dir) as server:
        writes = server.writes()
        async with client(server) as mcp:
            first = await mcp.call_tool("executePolicy", RUN_MAC_123)
            assert first.structured_content is not None
            url = first.structured_content["approvalUrl"]
            async with browser_page() as page:
                await sign_in(page, url, "alice")
                await page.get_by_role("button", name="Decline").click()
                await page.wait_for_load_state()
                assert "Declined" in await page.inner_text("h1")
            after = await mcp.call_tool("executePolicy", RUN_MAC_123)
            assert after.structured_content is not None
            assert after.structured_content["status"] == "declined"
        assert server.writes() == writes
        kinds = [e.kind.value for r in await trail(server) for e in r.events]
        assert "declined" in kinds


async def test_another_user_who_opens_the_link_is_refused_and_it_is_recorded(
    data_dir: Path,
) -> None:
    async with serving(data_dir) as server:
        writes = server.writes()
        async with client(server) as mcp:
            first = await mcp.call_tool("executePolicy", RUN_MAC_123)
            assert first.structured_content is not None
            url = first.structured_content["approvalUrl"]
            async with chromium() as browser:
                bob = await (await browser.new_context()).new_page()
                await bob.goto(url)
                await bob.get_by_label("Username").fill("bob")
                await bob.get_by_label("Password").fill("bob")
                response_wait = bob.wait_for_load_state()
                await bob.get_by_role("button", name="Sign in").click()
                await response_wait
                assert "Not your request" in await bob.inner_text("h1")
                assert "Inventory on Request" not in await bob.inner_text("body")
                assert await bob.get_by_role("button", name="Approve").count() == 0
            still = await mcp.call_tool("executePolicy", RUN_MAC_123)
            assert still.structured_content is not None
            assert still.structured_content["status"] == "approval_required"
        assert server.writes() == writes
        refusals = [e for r in await trail(server) for e in r.events if e.kind.value == "refused"]
        assert any(e.reason is not None and e.reason.value == "wrong_user" for e in refusals)
        assert any(e.actor.subject == "bob" for e in refusals)


async def test_an_expired_approval_cannot_be_approved(data_dir: Path) -> None:
    clock = FixedClock(datetime.now(UTC))
    async with serving(data_dir, clock=clock) as server:
        writes = server.writes()
        async with client(server) as mcp:
            first = await mcp.call_tool("executePolicy", RUN_MAC_123)
            assert first.structured_content is not None
            url = first.structured_content["approvalUrl"]
            async with browser_page() as page:
                await sign_in(page, url, "alice")
                clock.advance(timedelta(minutes=5))  # the page was left open past its deadline
                await page.get_by_role("button", name="Approve").click()
                await page.wait_for_load_state()
                assert "expired" in await page.inner_text("h1")
            after = await mcp.call_tool("executePolicy", RUN_MAC_123)
            assert after.structured_content is not None
            assert after.structured_content["status"] == "approval_required"
            assert after.structured_content["approvalUrl"] != url
        assert server.writes() == writes
        refusals = [e for r in await trail(server) for e in r.events if e.kind.value == "refused"]
        assert [e.reason.value for e in refusals if e.reason] == ["expired"]


class UrlElicitations:
    """A client that shows URL-mode elicitations by opening them in a browser, where alice
    approves (or declines) — as a person using a client with URL elicitation would."""

    def __init__(self, decision: str = "Approve", delay: float = 0.0) -> None:
        self.decision = decision
        self.delay = delay
        self.requests: list[Any] = []
        self.tasks: list[asyncio.Task[None]] = []

    async def __call__(self, context: Any, params: Any) -> types.ElicitResult:
        self.requests.append(params)
        self.tasks.append(asyncio.create_task(self._visit(params.url)))
        return types.ElicitResult(action="accept")

    async def _visit(self, url: str) -> None:
        await asyncio.sleep(self.delay)  # the person takes their time
        async with browser_page() as page:
            await sign_in(page, url, "alice")
            await page.get_by_role("button", name=self.decision).click()
            await page.wait_for_load_state()


async def test_a_client_with_url_elicitation_waits_for_the_page_then_runs(data_dir: Path) -> None:
    async with serving(data_dir, actions=URL_MODE) as server:
        elicit = UrlElicitations()
        notices: list[Any] = []

        async def on_message(message: Any) -> None:
            notices.append(message)

        writes = server.writes()
        async with client(server, elicitation_callback=elicit, message_handler=on_message) as mcp:
            result = await mcp.call_tool("executePolicy", RUN_MAC_123)
        await asyncio.gather(*elicit.tasks)
        assert result.structured_content is not None
        assert result.structured_content["status"] == "queued"
        assert result.structured_content["confirmedVia"] == "url_elicitation"
        [request] = elicit.requests
        assert request.mode == "url"
        assert request.url.startswith(f"{server.settings.public_url}/confirm/")
        assert "Inventory on Request" in request.message
        assert server.writes() > writes
        completes = [n for n in notices if isinstance(n, types.ElicitCompleteNotification)]
        assert [n.params.elicitation_id for n in completes] == [request.elicitation_id]


@pytest.mark.parametrize(("decision", "status"), [("Approve", "queued"), ("Decline", "declined")])
async def test_a_2026_07_28_client_opens_the_page_through_an_input_required_round_trip(
    data_dir: Path, decision: str, status: str
) -> None:
    async with serving(data_dir, actions=URL_MODE) as server:
        elicit = UrlElicitations(decision)
        writes = server.writes()
        transport = streamable_http_client(server.mcp_url, http_client=server.http("alice"))
        async with Client(transport, mode="2026-07-28", elicitation_callback=elicit) as mcp:
            result = await mcp.call_tool("executePolicy", RUN_MAC_123)
        await asyncio.gather(*elicit.tasks)
        [request] = elicit.requests
        assert request.mode == "url"
        assert request.url.startswith(f"{server.settings.public_url}/confirm/")
        assert result.structured_content is not None, result.content
        assert result.structured_content["status"] == status
        assert (server.writes() > writes) is (status == "queued")


async def test_a_person_slower_than_the_call_deadline_still_gets_the_action_run(
    data_dir: Path,
) -> None:
    async with serving(data_dir, actions=URL_MODE, tool_deadline_seconds=1) as server:
        elicit = UrlElicitations(delay=2.5)
        async with client(server, elicitation_callback=elicit) as mcp:
            result = await mcp.call_tool("executePolicy", RUN_MAC_123)
        await asyncio.gather(*elicit.tasks)
        assert result.structured_content is not None, result.content
        assert result.structured_content["status"] == "queued"


async def test_a_declined_page_ends_a_url_elicitation_call_with_nothing_sent(
    data_dir: Path,
) -> None:
    async with serving(data_dir, actions=URL_MODE) as server:
        elicit = UrlElicitations("Decline")
        writes = server.writes()
        async with client(server, elicitation_callback=elicit) as mcp:
            result = await mcp.call_tool("executePolicy", RUN_MAC_123)
        await asyncio.gather(*elicit.tasks)
        assert result.structured_content is not None
        assert result.structured_content["status"] == "declined"
        assert server.writes() == writes


async def _screenshot(page: Any, tmp_path: Path, name: str) -> None:
    await save_screenshot(page, tmp_path / name)
    published = os.environ.get("JAMF_MCP_SCREENSHOTS_DIR")
    if published:
        await save_screenshot(page, Path(published) / name)


RESTART_THREE = {
    "command": "RESTART_DEVICE",
    "deviceIdentifiers": ["MAC-123", "MAC-124", "MAC-125"],
}


@pytest.mark.parametrize(
    ("viewport", "mobile", "name"),
    [((1000, 900), False, "approval.png"), ((390, 844), True, "approval-mobile.png")],
)
async def test_the_page_reads_on_a_desktop_and_a_phone_without_any_script(
    data_dir: Path, tmp_path: Path, viewport: tuple[int, int], mobile: bool, name: str
) -> None:
    async with serving(data_dir) as server, client(server) as mcp:
        asked = await mcp.call_tool("sendMdmCommand", RESTART_THREE)
        assert asked.structured_content is not None
        url = asked.structured_content["approvalUrl"]
        async with browser_page(viewport=viewport, mobile=mobile, javascript=False) as page:
            await sign_in(page, url, "alice")
            await _screenshot(page, tmp_path, name)
            body = await page.inner_text("body")
            assert "RESTART_DEVICE" in body
            assert await page.locator("tbody tr").count() == 3
            approve = page.get_by_role("button", name="Approve")
            assert await approve.is_visible()
            box = await approve.bounding_box()
            assert box is not None
            assert box["x"] + box["width"] <= viewport[0]
