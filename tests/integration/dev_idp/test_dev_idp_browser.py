"""The development IdP's login page in a real headless Chromium served by a real uvicorn."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import attrs
import pytest
from litestar import Litestar, MediaType, Request, get

from jamf_mcp.adapters.dev_idp import BANNER, DevIdentityProvider, dev_idp_route_handlers
from jamf_mcp.adapters.dev_idp.pages import WRONG_CREDENTIALS
from tests.integration.dev_idp.dev_idp_support import authorize_query, make_provider, pkce_pair
from tests.support.browser import browser_page, save_screenshot, serving


@get("/auth/upstream/callback", media_type=MediaType.HTML, sync_to_thread=False)
def callback(request: Request[object, object, object]) -> str:
    """Stands in for the front door's upstream callback: just says it was reached."""
    del request
    return "<!doctype html><title>callback</title><p>Callback reached</p>"


@attrs.frozen
class LiveIdp:
    base_url: str
    provider: DevIdentityProvider

    def authorize_url(self) -> tuple[str, dict[str, str]]:
        _, challenge = pkce_pair()
        query = authorize_query(
            self.provider, challenge, redirect_uri=f"{self.base_url}/auth/upstream/callback"
        )
        return f"{self.base_url}/dev-idp/authorize?{urlencode(query)}", query


@pytest.fixture
def live_idp(tmp_path: Path) -> Iterator[LiveIdp]:
    built: dict[str, DevIdentityProvider] = {}

    def app_for(base_url: str) -> Litestar:
        built["provider"] = make_provider(tmp_path / "data", public_url=base_url)
        return Litestar(
            route_handlers=[*dev_idp_route_handlers(built["provider"]), callback], debug=False
        )

    with serving(app_for) as base_url:
        yield LiveIdp(base_url, built["provider"])


async def test_alice_signs_in_in_a_real_browser_and_lands_on_the_callback_with_a_code(
    live_idp: LiveIdp, tmp_path: Path
) -> None:
    url, query = live_idp.authorize_url()
    async with browser_page() as page:
        response = await page.goto(url)
        assert response is not None and response.status == 200
        banner = page.get_by_text(BANNER)
        assert await banner.is_visible()
        assert await page.get_by_text("read and write").is_visible()
        shot = await save_screenshot(page, tmp_path / "dev-idp-login.png")
        assert shot.stat().st_size > 10_000
        await page.get_by_label("Username").fill("alice")
        await page.get_by_label("Password").fill("alice")
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(f"{live_idp.base_url}/auth/upstream/callback?**")
        assert await page.get_by_text("Callback reached").is_visible()
        landed = page.url
    params = parse_qs(urlsplit(landed).query)
    assert len(params["code"][0]) >= 32
    assert params["state"] == [query["state"]]
    assert params["iss"] == [live_idp.provider.issuer]


async def test_a_wrong_password_shows_the_error_in_the_browser_and_stays_on_the_login_page(
    live_idp: LiveIdp, tmp_path: Path
) -> None:
    url, _ = live_idp.authorize_url()
    async with browser_page() as page:
        await page.goto(url)
        await page.get_by_label("Username").fill("alice")
        await page.get_by_label("Password").fill("wrong")
        async with page.expect_response(lambda r: r.request.method == "POST") as answer:
            await page.get_by_role("button", name="Sign in").click()
        assert (await answer.value).status == 401
        await page.wait_for_load_state()
        alert = page.get_by_role("alert")
        assert await alert.is_visible()
        assert WRONG_CREDENTIALS in await alert.inner_text()
        assert urlsplit(page.url).path == "/dev-idp/authorize"
        await save_screenshot(page, tmp_path / "dev-idp-wrong-password.png")
        # The same form still works with the right password.
        await page.get_by_label("Password").fill("alice")
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(f"{live_idp.base_url}/auth/upstream/callback?**")
