"""The account-takeover attack of issue 12, in real browsers: consent approved in the attacker's
browser, the identity provider's sign-in link handed to a victim who signs in in theirs.

Two Chromium profiles (browser contexts, separate cookies) play the attacker and the victim
against `jamf-mcp serve` with the development IdP. The attack must end on an error page in the
victim's browser, and nothing — no code, no error, no request — may reach the attacker's redirect
URI, a real listener. The same browser doing the whole sign-in still works.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e.conftest import RunningServer, start_server, stop_server
from tests.security.listener import Listener, listening
from tests.security.sign_in_support import ping, register
from tests.support.browser import chromium

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(Path(tmp_path_factory.mktemp("binding")), {"JAMF_MCP_AUTH": "dev"})
    yield server
    stop_server(server)


@pytest.fixture
def attacker_listener() -> Iterator[Listener]:
    with listening() as listener:
        yield listener


async def test_a_victim_signing_in_through_the_attackers_link_gives_the_attacker_nothing(
    dev_server: RunningServer, attacker_listener: Listener
) -> None:
    attacker_client = await register(dev_server.base_url, attacker_listener.url, "Totally ChatGPT")
    async with chromium() as browser:
        attacker = await (await browser.new_context()).new_page()
        await attacker.goto(attacker_client.authorize_url())
        await attacker.get_by_role("button", name="Approve").click()
        await attacker.wait_for_url(f"{dev_server.base_url}/dev-idp/authorize?**")
        link = attacker.url  # the identity provider's sign-in, carrying the front door's state

        victim = await (await browser.new_context()).new_page()
        await victim.goto(link)
        await victim.get_by_label("Username").fill("alice")
        await victim.get_by_label("Password").fill("alice")
        await victim.get_by_role("button", name="Sign in").click()
        await victim.wait_for_url(f"{dev_server.base_url}/auth/upstream/callback?**")
        heading = victim.get_by_role("heading", name="This sign-in was started in another browser")
        assert await heading.is_visible()
        assert "close this page" in await victim.inner_text("body")
        returned_to = victim.url

        # Fooled into sending the attacker the page's address (the IdP's code in it), the victim
        # still gives nothing away: the sign-in was spent by the refusal.
        replayed = await attacker.goto(returned_to)
        assert replayed is not None and replayed.status == 400
        assert "expired" in await attacker.inner_text("body")

    assert attacker_listener.requests == []
    log = dev_server.output()
    assert "not the one that approved consent" in log
    upstream_code = parse_qs(urlsplit(returned_to).query)["code"][0]
    assert upstream_code not in log


async def test_the_same_browser_signs_in_from_consent_to_the_client_and_the_code_works(
    dev_server: RunningServer, attacker_listener: Listener
) -> None:
    client = await register(dev_server.base_url, attacker_listener.url, "An honest client")
    async with chromium() as browser:
        page = await (await browser.new_context()).new_page()
        await page.goto(client.authorize_url())
        await page.get_by_role("button", name="Approve").click()
        await page.get_by_label("Username").fill("alice")
        await page.get_by_label("Password").fill("alice")
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(f"{attacker_listener.url}?**")
        cookies = {c["name"]: c for c in await page.context.cookies(dev_server.base_url)}
    binding = cookies["jamf_mcp_signin_http"]  # plain http on loopback: the fallback name
    assert binding["httpOnly"] and binding["sameSite"] == "Lax" and binding["path"] == "/"
    (code,) = attacker_listener.codes()
    tokens = await client.redeem(code)
    assert tokens.status_code == 200, tokens.text
    assert await ping(dev_server.base_url, tokens.json()["access_token"]) == 200
