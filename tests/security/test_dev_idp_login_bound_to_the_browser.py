"""The development IdP's own login form is bound to the browser that opened it: its fields
(login id, CSRF token) are visible to whoever opened the page, but posting them from another
browser — to sign someone in, or to make their browser sign in — is refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.dev_idp import DevIdentityProvider
from tests.integration.dev_idp.dev_idp_support import login_page, make_app, make_provider
from tests.support.web_forms import forms_in

Client = AsyncTestClient[Litestar]


@pytest.fixture
def provider(tmp_path: Path) -> DevIdentityProvider:
    return make_provider(tmp_path / "data")


@pytest.fixture
async def browsers(provider: DevIdentityProvider) -> AsyncIterator[tuple[Client, Client]]:
    app = make_app(provider)
    async with AsyncTestClient(app=app) as first, AsyncTestClient(app=app) as second:
        first.follow_redirects = second.follow_redirects = False
        yield first, second


async def test_a_login_form_posted_from_another_browser_is_refused_and_gives_no_code(
    provider: DevIdentityProvider, browsers: tuple[Client, Client]
) -> None:
    attacker, victim = browsers
    page, _, _ = await login_page(attacker, provider)
    fields = forms_in(page.text)[0].fields
    await login_page(victim, provider)  # the victim's browser has a binding cookie of its own
    for password in ("alice", "wrong"):
        answer = await victim.post(
            "/dev-idp/authorize",
            data={**fields, "username": "alice", "password": password, "action": "sign_in"},
        )
        assert answer.status_code == 403
        assert "location" not in answer.headers
    # The attacker's own browser can still use the form: nothing was spent or counted.
    mine = await attacker.post(
        "/dev-idp/authorize",
        data={**fields, "username": "alice", "password": "alice", "action": "sign_in"},
    )
    assert mine.status_code == 303 and "code=" in mine.headers["location"]


async def test_two_login_tabs_in_one_browser_both_work(
    provider: DevIdentityProvider, browsers: tuple[Client, Client]
) -> None:
    browser, _ = browsers
    first, _, _ = await login_page(browser, provider)
    second, _, _ = await login_page(browser, provider)
    for page in (first, second):
        fields = forms_in(page.text)[0].fields
        answer = await browser.post(
            "/dev-idp/authorize",
            data={**fields, "username": "bob", "password": "bob", "action": "sign_in"},
        )
        assert answer.status_code == 303, answer.text
