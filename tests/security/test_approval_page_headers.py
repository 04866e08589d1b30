"""The approval page's protections: its cookie, its headers, and its form's CSRF token.

A browser is stood in for by an httpx client with a cookie jar (the dev IdP's login form is
driven with `tests.support.web_forms`); the page flow in a real Chromium is in
`tests/e2e/test_approval_page_in_a_browser.py`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.inprocess import InProcessServer, serving
from tests.support.web_forms import follow_until, forms_in, submit

pytestmark = pytest.mark.e2e

RUN_MAC_123 = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
HEADERS = {"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}


async def call(server: InProcessServer, arguments: dict[str, Any]) -> dict[str, Any]:
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "executePolicy", "arguments": arguments},
    }
    async with httpx.AsyncClient(
        headers={**HEADERS, "Authorization": f"Bearer {server.token('alice')}"}, timeout=30
    ) as http:
        answer = await http.post(server.mcp_url, json=body)
    result: dict[str, Any] = answer.json()["result"]["structuredContent"]
    return result


async def signed_in_page(browser: httpx.AsyncClient, url: str, user: str) -> httpx.Response:
    first = await browser.get(url)
    assert first.status_code == 303
    cookie = first.headers["set-cookie"]
    assert cookie.startswith("jamf_mcp_page_http=")  # plain http: no __Host- prefix (ADR 0013)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie or "SameSite=lax" in cookie
    assert "Path=/" in cookie
    login = await follow_until(browser, first, "never")
    assert isinstance(login, httpx.Response)
    sent = await submit(browser, login, fill={"username": user, "password": user})
    page = await follow_until(browser, sent, "never")
    assert isinstance(page, httpx.Response)
    return page


async def test_the_page_cannot_be_framed_cached_or_leak_its_address_and_needs_the_csrf_token(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path / "data") as server:
        asked = await call(server, RUN_MAC_123)
        url = asked["approvalUrl"]
        writes = server.writes()
        async with httpx.AsyncClient(timeout=30) as browser:
            page = await signed_in_page(browser, url, "alice")
            assert page.status_code == 200
            assert "MAC-123" in page.text
            csp = page.headers["content-security-policy"]
            assert "frame-ancestors 'none'" in csp
            assert "form-action 'self'" in csp
            assert "default-src 'none'" in csp
            assert "<script" not in page.text
            assert page.headers["x-frame-options"] == "DENY"
            assert "no-store" in page.headers["cache-control"]
            assert page.headers["referrer-policy"] == "no-referrer"

            [form] = forms_in(page.text)
            forged = await browser.post(url, data={"decision": "approve", "csrf_token": "x" * 43})
            assert forged.status_code == 403
            missing = await browser.post(url, data={"decision": "approve"})
            assert missing.status_code == 403
            async with httpx.AsyncClient(timeout=30) as stranger:  # no page session at all
                anonymous = await stranger.post(
                    url, data={"decision": "approve", "csrf_token": form.fields["csrf_token"]}
                )
            assert anonymous.status_code == 401
            still = await call(server, RUN_MAC_123)
            assert (still["status"], still["waiting"]) == ("approval_required", True)

            approved = await submit(browser, page, button=("decision", "approve"))
            assert approved.status_code == 200
            assert "Approved" in approved.text
            twice = await submit(browser, page, button=("decision", "approve"))
            assert twice.status_code == 409  # a replayed decision changes nothing
        assert server.writes() == writes
        done = await call(server, RUN_MAC_123)
        assert done["status"] == "queued"


async def test_a_link_that_names_nothing_is_a_plain_not_found(tmp_path: Path) -> None:
    async with serving(tmp_path / "data") as server:
        async with httpx.AsyncClient(timeout=30) as browser:
            await call(server, RUN_MAC_123)  # a real approval exists, but not this one
            page = await signed_in_page(
                browser, f"{server.settings.public_url}/confirm/{'A' * 43}", "alice"
            )
        assert page.status_code == 404
        assert "Request not found" in page.text
        assert page.headers["x-frame-options"] == "DENY"
