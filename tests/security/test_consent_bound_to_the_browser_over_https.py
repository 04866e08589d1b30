"""The same attack and the same honest sign-in over https (the production shape): the binding
cookie is a `__Host-` cookie with `Secure`, and real Chromium keeps and returns it.

The app is served in this process with a self-signed certificate for 127.0.0.1 (both Chromium
profiles are told to accept it); the development IdP plays the company's identity provider.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.security.listener import Listener, listening
from tests.security.sign_in_support import ping, register
from tests.security.tls_server import serving_https
from tests.support.browser import chromium

if TYPE_CHECKING:
    from playwright.async_api import Page

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def https_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving_https(Path(tmp_path_factory.mktemp("https"))) as base_url:
        yield base_url


@pytest.fixture
def client_listener() -> Iterator[Listener]:
    with listening() as listener:
        yield listener


async def _sign_in_at_the_idp(page: Page, username: str) -> None:
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(username)
    await page.get_by_role("button", name="Sign in").click()


async def test_over_https_the_honest_sign_in_rides_on_secure_host_only_cookies(
    https_server: str, client_listener: Listener
) -> None:
    client = await register(https_server, client_listener.url)
    async with chromium() as browser:
        context = await browser.new_context(ignore_https_errors=True)
        page = await context.new_page()
        await page.goto(client.authorize_url())
        await page.get_by_role("button", name="Approve").click()
        await _sign_in_at_the_idp(page, "alice")
        await page.wait_for_url(f"{client_listener.url}?**")
        cookies = {c["name"]: c for c in await context.cookies(https_server)}
    for name in ("__Host-jamf_mcp_signin", "__Host-jamf_mcp_csrf", "__Host-dev_idp_signin"):
        cookie = cookies[name]
        assert cookie["secure"] and cookie["httpOnly"] and cookie["path"] == "/", cookie
        assert cookie["sameSite"] == "Lax"
        assert cookie["domain"] == "127.0.0.1"  # host-only: no Domain attribute was sent
    assert "jamf_mcp_signin_http" not in cookies
    (code,) = client_listener.codes()
    tokens = await client.redeem(code)
    assert tokens.status_code == 200, tokens.text
    assert await ping(https_server, tokens.json()["access_token"]) == 200


async def test_over_https_the_victims_sign_in_through_the_attackers_link_is_refused(
    https_server: str, client_listener: Listener
) -> None:
    attacker_client = await register(https_server, client_listener.url)
    async with chromium() as browser:
        attacker = await (await browser.new_context(ignore_https_errors=True)).new_page()
        await attacker.goto(attacker_client.authorize_url())
        await attacker.get_by_role("button", name="Approve").click()
        await attacker.wait_for_url(f"{https_server}/dev-idp/authorize?**")
        victim = await (await browser.new_context(ignore_https_errors=True)).new_page()
        await victim.goto(attacker.url)
        await _sign_in_at_the_idp(victim, "alice")
        await victim.wait_for_url(f"{https_server}/auth/upstream/callback?**")
        heading = victim.get_by_role("heading", name="This sign-in was started in another browser")
        assert await heading.is_visible()
    assert client_listener.requests == []
