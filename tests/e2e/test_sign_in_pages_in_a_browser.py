"""The consent and login pages of `jamf-mcp serve` in a real headless Chromium, start to finish."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.e2e.conftest import RunningServer, start_server, stop_server
from tests.support.browser import browser_page, save_screenshot

pytestmark = pytest.mark.e2e

CALLBACK = "http://127.0.0.1:33419/callback"


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(Path(tmp_path_factory.mktemp("browser")), {"JAMF_MCP_AUTH": "dev"})
    yield server
    stop_server(server)


async def _authorize_url(server: RunningServer) -> tuple[str, str]:
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        registered = await http.post(
            "/auth/register",
            json={
                "client_name": "Browser <b>Test</b>",
                "redirect_uris": [CALLBACK],
                "token_endpoint_auth_method": "none",
            },
        )
    assert registered.status_code == 201, registered.text
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    state = secrets.token_urlsafe(16)
    query = {
        "response_type": "code",
        "client_id": registered.json()["client_id"],
        "redirect_uri": CALLBACK,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": state,
        "resource": server.mcp_url,
    }
    return f"{server.base_url}/auth/authorize?{urlencode(query)}", state


async def test_alice_approves_consent_and_signs_in_in_a_real_browser(
    dev_server: RunningServer, tmp_path: Path
) -> None:
    url, state = await _authorize_url(dev_server)
    async with browser_page() as page:
        await page.route(
            f"{CALLBACK}**",
            lambda route: route.fulfill(
                status=200, body="<p>Signed in</p>", content_type="text/html"
            ),
        )
        response = await page.goto(url)
        assert response is not None
        assert response.status == 200
        assert await page.get_by_role("heading", name="Allow access to Jamf Pro?").is_visible()
        assert (
            await page.get_by_text("Browser <b>Test</b>").count() >= 1
        )  # shown as text, not markup
        await save_screenshot(page, tmp_path / "consent.png")
        await page.get_by_role("button", name="Approve").click()
        await page.get_by_label("Username").fill("alice")
        await page.get_by_label("Password").fill("alice")
        await save_screenshot(page, tmp_path / "login.png")
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(f"{CALLBACK}?**")
        landed = page.url
    params = parse_qs(urlsplit(landed).query)
    assert params["state"] == [state]
    assert params["iss"] == [dev_server.base_url]
    assert len(params["code"][0]) >= 22


async def test_denying_consent_returns_access_denied_to_the_client(
    dev_server: RunningServer,
) -> None:
    url, state = await _authorize_url(dev_server)
    async with browser_page() as page:
        await page.route(
            f"{CALLBACK}**",
            lambda route: route.fulfill(status=200, body="<p>back</p>", content_type="text/html"),
        )
        await page.goto(url)
        await page.get_by_role("button", name="Deny").click()
        await page.wait_for_url(f"{CALLBACK}?**")
        params = parse_qs(urlsplit(page.url).query)
    assert params["error"] == ["access_denied"]
    assert params["state"] == [state]
