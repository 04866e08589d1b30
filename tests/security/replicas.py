"""Two `jamf-mcp serve` replicas sharing Redis (one prefix), one data directory (the signing key)
and one public URL, each with its embedded demo tenant; and a browserless sign-in whose every step
may go to either replica, as behind a load balancer without stickiness."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import attrs
import httpx

from tests.e2e.conftest import RunningServer, free_port, start_server, stop_server
from tests.security.sign_in_support import Client
from tests.support.web_forms import forms_in

REDIS_URL = os.environ.get("JAMF_MCP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@attrs.frozen
class Replicas:
    """Two replicas and what they share."""

    a: RunningServer
    b: RunningServer
    public_url: str
    prefix: str

    @property
    def data_dir(self) -> Path:
        return self.a.data_dir

    def env(self) -> dict[str, str]:
        """The environment an operator's command needs to reach the same shared state."""
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_"))}
        return {
            **clean,
            "REDIS_URL": REDIS_URL,
            "JAMF_MCP_REDIS_PREFIX": self.prefix,
            "JAMF_MCP_PUBLIC_URL": self.public_url,
            "JAMF_MCP_DATA_DIR": str(self.data_dir),
        }

    def jamf_mcp(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run the `jamf-mcp` command against the shared state."""
        return subprocess.run(
            [sys.executable, "-m", "jamf_mcp", *args],
            capture_output=True,
            text=True,
            check=False,
            env=self.env() if env is None else env,
            timeout=60,
        )

    def dev_token(self, subject: str) -> str:
        done = self.jamf_mcp("dev-token", "--subject", subject, "--server", self.public_url)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


@contextmanager
def two_replicas(
    tmp: Path, extra: dict[str, str] | None = None, extra_b: dict[str, str] | None = None
) -> Iterator[Replicas]:
    """Start replicas A and B (B with `extra_b` on top); stop them and drop their keys after."""
    port_a, port_b = free_port(), free_port()
    public_url = f"http://127.0.0.1:{port_a}"
    prefix = f"jamf-mcp-test:{uuid.uuid4().hex}:"
    env = {
        "JAMF_MCP_AUTH": "dev",
        "JAMF_MCP_PUBLIC_URL": public_url,
        "REDIS_URL": REDIS_URL,
        "JAMF_MCP_REDIS_PREFIX": prefix,
        "JAMF_MCP_LOG_FORMAT": "json",
        **(extra or {}),
    }
    a = start_server(tmp, env, port=port_a)  # creates the shared keys first
    try:
        b = start_server(tmp, {**env, **(extra_b or {})}, port=port_b)
    except BaseException:
        stop_server(a)
        raise
    try:
        yield Replicas(a, b, public_url, prefix)
    finally:
        stop_server(a)
        stop_server(b)
        _forget_keys(prefix)


def _forget_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _on(replica: RunningServer, url: str, public_url: str) -> str:
    """`url` (under the public URL) sent to `replica` instead, as a load balancer would."""
    return replica.base_url + url.removeprefix(public_url)


async def sign_in_across(
    replicas: Replicas, client: Client, username: str, route: Sequence[RunningServer]
) -> str:
    """Consent, dev IdP login page, login post and callback, each at the next replica of
    `route` (four steps), in one browser (cookie jar); the code that reaches the client."""
    steps = iter(route)
    public = replicas.public_url
    async with httpx.AsyncClient(timeout=30) as browser:
        consent = await browser.get(_on(next(steps), client.authorize_url(), public))
        assert consent.status_code == 200, consent.text
        form = forms_in(consent.text)[0]
        approved = await browser.post(
            urljoin(str(consent.url), form.action),
            data={**form.fields, "decision": "approve"},
        )
        assert approved.status_code == 303, approved.text
        login = await browser.get(_on(next(steps), approved.headers["location"], public))
        assert login.status_code == 200, login.text
        login_form = forms_in(login.text)[0]
        fields = {**login_form.fields, "username": username, "password": username}
        posted = await browser.post(
            _on(next(steps), f"{public}/dev-idp/authorize", public),
            data={**fields, "action": "sign_in"},
        )
        assert posted.status_code == 303, posted.text
        back = await browser.get(_on(next(steps), posted.headers["location"], public))
        assert back.status_code == 303, back.text
        location = back.headers["location"]
    assert location.startswith(client.redirect_uri + "?"), location
    return parse_qs(urlsplit(location).query)["code"][0]
