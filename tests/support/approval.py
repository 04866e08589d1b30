"""A person approving (or declining) on the server's approval page, in headless Chromium."""

from __future__ import annotations

from tests.support.browser import browser_page


async def decide_in_browser(url: str, person: str, decision: str = "Approve") -> str:
    """Open the approval link, sign in at the development IdP as `person` (password = name, as
    the demo users have), press `decision`; the heading of the page that follows."""
    async with browser_page() as page:
        await page.goto(url)
        await page.get_by_label("Username").fill(person)
        await page.get_by_label("Password").fill(person)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_load_state()
        await page.get_by_role("button", name=decision).click()
        await page.wait_for_load_state()
        return await page.inner_text("h1")
