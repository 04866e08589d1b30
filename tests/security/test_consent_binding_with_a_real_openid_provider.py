"""The consent binding with a real upstream, the npm `oidc-provider` (as Auth0 or Okta would be),
in real browsers: the honest sign-in works in one Chromium profile; the victim who completes the
attacker's sign-in link in another profile ends on our error page and the attacker gets nothing.

oidc-provider's development login (any login name, any password) and consent pages are driven as
a person would, by their labels; see tests/support/oidc_provider_server.mjs for its set-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.conftest import RunningServer, free_port, start_server, stop_server
from tests.security.listener import Listener, listening
from tests.security.sign_in_support import ping, register
from tests.support.browser import chromium
from tests.support.oidc_provider import OidcProviderHandle, running_oidc_provider

if TYPE_CHECKING:
    from playwright.async_api import Page

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def behind_oidc_provider(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[RunningServer, OidcProviderHandle]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with running_oidc_provider(
        "jamf-mcp-front-door",
        "front-door-secret-never-logged",
        [f"{base}/auth/upstream/callback"],
        audience=f"{base}/mcp",
    ) as idp:
        server = start_server(
            Path(tmp_path_factory.mktemp("oidc-binding")),
            {
                "OIDC_ISSUER": idp.issuer,
                "OIDC_CLIENT_ID": idp.client_id,
                "OIDC_CLIENT_SECRET": idp.client_secret,
                "OIDC_AUDIENCE": f"{base}/mcp",
                "JAMF_MCP_AUTH": "oidc",
            },
            port=port,
        )
        yield server, idp
        stop_server(server)


@pytest.fixture
def client_listener() -> Iterator[Listener]:
    with listening() as listener:
        yield listener


async def _sign_in_at_oidc_provider(page: Page, login: str) -> None:
    await page.locator("input[name=login]").fill(login)
    await page.locator("input[name=password]").fill("any password")
    await page.get_by_role("button", name="Sign-in").click()
    await page.get_by_role("button", name="Continue").click()  # its consent page


async def test_a_user_of_a_real_provider_signs_in_in_one_browser_and_the_client_gets_a_code(
    behind_oidc_provider: tuple[RunningServer, OidcProviderHandle], client_listener: Listener
) -> None:
    server, idp = behind_oidc_provider
    client = await register(server.base_url, client_listener.url)
    async with chromium() as browser:
        page = await (await browser.new_context()).new_page()
        await page.goto(client.authorize_url())
        await page.get_by_role("button", name="Approve").click()
        await page.wait_for_url(f"{idp.issuer}/**")
        await _sign_in_at_oidc_provider(page, "ada")
        await page.wait_for_url(f"{client_listener.url}?**")
    (code,) = client_listener.codes()
    tokens = await client.redeem(code)
    assert tokens.status_code == 200, tokens.text
    assert set(tokens.json()["scope"].split()) == {"read:jamf", "write:jamf"}
    assert await ping(server.base_url, tokens.json()["access_token"]) == 200


async def test_a_victim_completing_the_attackers_link_at_a_real_provider_gives_away_nothing(
    behind_oidc_provider: tuple[RunningServer, OidcProviderHandle], client_listener: Listener
) -> None:
    server, idp = behind_oidc_provider
    attacker_client = await register(server.base_url, client_listener.url)
    async with chromium() as browser:
        attacker = await (await browser.new_context()).new_page()
        await attacker.goto(attacker_client.authorize_url())
        # The link to hand over is where consent sends the browser: the provider's authorization
        # endpoint with our state (the provider then moves on to a page bound to this browser).
        async with attacker.expect_request(f"{idp.issuer}/auth?**") as sent:
            await attacker.get_by_role("button", name="Approve").click()
        link = (await sent.value).url
        victim = await (await browser.new_context()).new_page()
        await victim.goto(link)
        await _sign_in_at_oidc_provider(victim, "victim")
        await victim.wait_for_url(f"{server.base_url}/auth/upstream/callback?**")
        heading = victim.get_by_role("heading", name="This sign-in was started in another browser")
        assert await heading.is_visible()
    assert client_listener.requests == []
    assert "front-door-secret-never-logged" not in server.output()


async def _on_the_approval_page(page: Page, url: str, login: str) -> None:
    """Open an approval link; sign in at the provider as `login` if it asks (a provider session
    from the connector's sign-in may let the browser straight through), and land on the page."""
    await page.goto(url)
    if await page.locator("input[name=login]").count():
        await page.locator("input[name=login]").fill(login)
        await page.locator("input[name=password]").fill("any password")
        await page.get_by_role("button", name="Sign-in").click()
    continue_button = page.get_by_role("button", name="Continue")
    if await continue_button.count():
        await continue_button.click()
    await page.wait_for_url(url)


async def test_the_approval_page_signs_in_at_a_real_provider_and_refuses_another_of_its_users(
    behind_oidc_provider: tuple[RunningServer, OidcProviderHandle], client_listener: Listener
) -> None:
    import httpx

    server, _idp = behind_oidc_provider
    client = await register(server.base_url, client_listener.url)
    run = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
            "params": {"name": "executePolicy", "arguments": run}}  # fmt: skip
    async with chromium() as browser:
        ada = await (await browser.new_context()).new_page()
        await ada.goto(client.authorize_url())
        await ada.get_by_role("button", name="Approve").click()
        await _sign_in_at_oidc_provider(ada, "ada")
        await ada.wait_for_url(f"{client_listener.url}?**")
        (code,) = client_listener.codes()
        access = (await client.redeem(code)).json()["access_token"]
        headers = {
            "Authorization": f"Bearer {access}",
            "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": "2025-06-18",
        }
        async with httpx.AsyncClient(headers=headers, timeout=30) as http:
            asked = (await http.post(server.mcp_url, json=body)).json()["result"]
            url = asked["structuredContent"]["approvalUrl"]

            eve = await (await browser.new_context()).new_page()
            await _on_the_approval_page(eve, url, "eve")
            assert "Not your request" in await eve.inner_text("h1")

            await _on_the_approval_page(ada, url, "ada")
            assert "Inventory on Request" in await ada.inner_text("body")
            await ada.get_by_role("button", name="Approve").click()
            await ada.wait_for_load_state()
            assert "Approved" in await ada.inner_text("h1")
            done = (await http.post(server.mcp_url, json=body)).json()["result"]
    assert done["structuredContent"]["status"] == "queued"
    assert done["structuredContent"]["confirmedVia"] == "approval_page"
    assert "front-door-secret-never-logged" not in server.output()
