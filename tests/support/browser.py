"""A real browser for tests: headless Debian Chromium driven by Playwright, and a live app to visit.

Chromium comes from Debian's `chromium` and `chromium-driver` packages (installed here with apt when
missing and we are root); Playwright's own browser download (`playwright install`) is never used.
Anything missing is a test failure with instructions, never a skip: a browser test that silently
does not run proves nothing.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

DEBIAN_PACKAGES = ("chromium", "chromium-driver")
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
_INSTALL_LOCK = Path("/tmp/jamf-mcp-chromium-install.lock")
_APT_TIMEOUT = 900


def _apt_get(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        ["apt-get", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=_APT_TIMEOUT,
        check=False,
    )


def _install_chromium() -> None:
    install = ("install", "-y", "--no-install-recommends", *DEBIAN_PACKAGES)
    result = _apt_get(*install)
    if result.returncode != 0:  # package lists missing or stale: refresh once, then retry
        update = _apt_get("update")
        if update.returncode != 0:
            pytest.fail(f"apt-get update failed, so Chromium cannot be installed:\n{update.stderr}")
        result = _apt_get(*install)
    if result.returncode != 0:
        pytest.fail(f"apt-get install {' '.join(DEBIAN_PACKAGES)} failed:\n{result.stderr[-2000:]}")


def ensure_chromium() -> str:
    """The path of Debian's Chromium, installing `chromium` and `chromium-driver` if needed."""
    found = shutil.which("chromium")
    if found and shutil.which("chromedriver"):
        return found
    if not (shutil.which("apt-get") and os.geteuid() == 0):
        pytest.fail(
            "The browser tests need Debian's Chromium: run "
            f"`apt-get install -y {' '.join(DEBIAN_PACKAGES)}` as root (this test installs them "
            "itself only when it runs as root)."
        )
    with _INSTALL_LOCK.open("w") as lock:  # parallel workers install once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (shutil.which("chromium") and shutil.which("chromedriver")):
            _install_chromium()
    found = shutil.which("chromium")
    if found is None:
        pytest.fail("apt-get reported success but `chromium` is still not on PATH.")
    return found


def _async_playwright() -> Any:
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        pytest.fail(
            "The browser tests need the `playwright` Python package (the test dependency group "
            "has it: `pip install playwright`). Do not run `playwright install`: the tests use "
            "Debian's Chromium."
        )
    return async_playwright


@asynccontextmanager
async def browser_page(
    *,
    viewport: tuple[int, int] = (1000, 900),
    locale: str = "en-US",
    javascript: bool = True,
    permissions: Sequence[str] = (),
    mobile: bool = False,
) -> AsyncIterator[Page]:
    """A fresh page in a fresh headless Chromium (its own cookies), closed afterwards.

    `javascript=False` renders pages as a browser with scripts off would; `permissions` are
    granted to every origin (e.g. `clipboard-read`); `mobile` emulates a touch phone.
    """
    executable = ensure_chromium()
    async with _async_playwright()() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            context = await browser.new_context(
                viewport={"width": viewport[0], "height": viewport[1]},
                locale=locale,
                java_script_enabled=javascript,
                is_mobile=mobile,
                has_touch=mobile,
            )
            if permissions:
                await context.grant_permissions(list(permissions))
            yield await context.new_page()
        finally:
            await browser.close()


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """A headless Chromium; each `browser.new_context()` is a separate browser profile (its own
    cookies), so one test can play two people on two machines."""
    executable = ensure_chromium()
    async with _async_playwright()() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            await browser.close()


async def save_screenshot(page: Page, path: Path) -> Path:
    """Save a full-page PNG of `page` at `path` (parents created) and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(path), full_page=True)
    return path


@contextmanager
def serving(app_for: Callable[[str], Any], *, startup_timeout: float = 10.0) -> Iterator[str]:
    """Serve an ASGI app on a free loopback port with uvicorn in a thread; yields its base URL.

    `app_for` receives the base URL first, so apps whose issuer or callbacks name their own URL
    can be built for it (the port is reserved before the app exists).
    """
    import uvicorn

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(app_for(base_url), log_level="warning", lifespan="auto")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            sock.close()
            pytest.fail(f"uvicorn did not start on {base_url}")
        time.sleep(0.02)
    try:
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
