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
