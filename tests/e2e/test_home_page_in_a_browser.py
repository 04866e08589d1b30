"""The home page of `jamf-mcp serve` in a real headless Chromium: copy buttons, no JavaScript,
a phone's screen, and a CSP the page itself never trips.

Screenshots go to the test's temporary directory, and also to `$JAMF_MCP_SCREENSHOTS_DIR` when
set (`nox -s screenshots` sets it to `docs/screenshots`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import RunningServer, start_server, stop_server
from tests.support.browser import browser_page, save_screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    server = start_server(Path(tmp_path_factory.mktemp("home")), {"JAMF_MCP_AUTH": "dev"})
    yield server
    stop_server(server)


async def _screenshot(page: object, tmp_path: Path, name: str) -> None:
    await save_screenshot(page, tmp_path / name)  # type: ignore[arg-type]
    published = os.environ.get("JAMF_MCP_SCREENSHOTS_DIR")
    if published:
        await save_screenshot(page, Path(published) / name)  # type: ignore[arg-type]


async def test_an_operator_copies_the_mcp_url_with_one_click(
    dev_server: RunningServer, tmp_path: Path
) -> None:
    from playwright.async_api import expect

    problems: list[str] = []
    async with browser_page(
        viewport=(1100, 1000), permissions=["clipboard-read", "clipboard-write"]
    ) as page:
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        await page.goto(f"{dev_server.base_url}/")
        copy_mcp = page.locator('button[data-copy="v-mcp"]')
        await expect(copy_mcp).to_be_visible()
        await expect(page.locator("button.copy")).to_have_count(5)
        await copy_mcp.click()
        await expect(copy_mcp).to_have_text("Copied")
        copied = await page.evaluate("navigator.clipboard.readText()")
        await page.locator('button[data-copy="v-scopes"]').click()
        scopes = await page.evaluate("navigator.clipboard.readText()")
        await expect(page.locator('[data-component="jamf"]')).to_contain_text("Jamf Pro 11.30.1")
        await _screenshot(page, tmp_path, "home.png")
    assert copied == dev_server.mcp_url
    assert scopes == "openid profile email read:jamf write:jamf"
    assert problems == []  # a CSP violation would show here as "Refused to …"


async def test_without_javascript_every_setting_and_status_is_still_there(
    dev_server: RunningServer,
) -> None:
    from playwright.async_api import expect

    async with browser_page(javascript=False) as page:
        await page.goto(f"{dev_server.base_url}/")
        await expect(page.locator("#v-mcp")).to_have_text(dev_server.mcp_url)
        await expect(page.locator("#v-auth")).to_have_text(f"{dev_server.base_url}/auth/authorize")
        await expect(page.locator("#v-token")).to_have_text(f"{dev_server.base_url}/auth/callback")
        await expect(page.locator("body")).to_contain_text("✓ Ready")
        await expect(page.locator("button.copy").first).to_be_hidden()
        text = await page.locator("body").inner_text()
    assert "alice" not in text and "bob" not in text  # no user names for anonymous visitors
    assert "jamfcloud" not in text


async def test_on_a_phone_the_page_fits_the_screen(
    dev_server: RunningServer, tmp_path: Path
) -> None:
    from playwright.async_api import expect

    async with browser_page(viewport=(390, 844), mobile=True) as page:
        await page.goto(f"{dev_server.base_url}/")
        await expect(page.locator('button[data-copy="v-mcp"]')).to_be_visible()
        overflow = await page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        await _screenshot(page, tmp_path, "home-mobile.png")
    assert overflow <= 0
