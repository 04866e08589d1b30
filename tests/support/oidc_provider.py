"""Run the real OpenID provider from npm (`oidc-provider@9`) on a loopback port, for tests.

`running_oidc_provider(...)` installs the package once into `<repo>/.cache/node`, starts
`oidc_provider_server.mjs` with the machine's `node`, waits until discovery answers and stops it on
exit. `complete_login(...)` drives the provider's development login and consent pages with plain
HTTP form posts and returns the redirect back to the client's callback.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import parse_qs

import attrs
import httpx

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_PREFIX = REPO_ROOT / ".cache" / "node"
SERVER_SCRIPT = Path(__file__).with_name("oidc_provider_server.mjs")
PACKAGE = "oidc-provider@9"
INSTALL_NODE = "Install Node.js 20 or later with npm (Debian: apt-get install -y nodejs npm)."


class OidcProviderUnavailable(RuntimeError):
    """`node`/`npm` is missing, the install failed, or the provider did not come up."""


@attrs.frozen
class OidcProviderHandle:
    """A running provider: its issuer and the one confidential client it knows."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    audience: str
    scope: str

    @property
    def discovery_url(self) -> str:
        """The OpenID discovery document's URL."""
        return f"{self.issuer}/.well-known/openid-configuration"

    def administer(self, *, disable: Sequence[str] = (), read_only: Sequence[str] = ()) -> None:
        """Act as the IdP's administrator: disable accounts, or take `write:jamf` away from them
        (the test control of `oidc_provider_server.mjs`)."""
        answer = httpx.post(
            f"{self.issuer}/test-admin/accounts",
            json={"disable": list(disable), "read_only": list(read_only)},
            timeout=5,
        )
        answer.raise_for_status()


@attrs.frozen
class LoginResult:
    """Where the provider finally sent the browser (the client's callback) and its parameters."""

    url: str
    params: dict[str, str]

    @property
    def code(self) -> str:
        """The authorization code (KeyError-style failure with the provider's error otherwise)."""
        if "code" not in self.params:
            raise AssertionError(f"no code in the callback: {self.params}")
        return self.params["code"]


def ensure_installed() -> Path:
    """Install `oidc-provider@9` under `.cache/node` unless present; return its node_modules."""
    modules = NODE_PREFIX / "node_modules"
    if (modules / "oidc-provider" / "package.json").exists():
        return modules
    npm = shutil.which("npm")
    if npm is None:
        raise OidcProviderUnavailable(f"npm is not on PATH; it fetches {PACKAGE}. {INSTALL_NODE}")
    NODE_PREFIX.mkdir(parents=True, exist_ok=True)
    with (NODE_PREFIX / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # parallel test workers install once
        if not (modules / "oidc-provider" / "package.json").exists():
            completed = subprocess.run(
                [npm, "install", "--no-audit", "--no-fund", "--prefix", str(NODE_PREFIX), PACKAGE],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            if completed.returncode != 0:
                raise OidcProviderUnavailable(f"npm install {PACKAGE} failed:\n{completed.stderr}")
    return modules


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_ready(
    handle: OidcProviderHandle, process: subprocess.Popen[bytes], log: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise OidcProviderUnavailable(f"oidc-provider exited early:\n{log.read_text()}")
        try:
            if httpx.get(handle.discovery_url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise OidcProviderUnavailable(f"oidc-provider did not answer in {timeout}s:\n{log.read_text()}")


@contextlib.contextmanager
def running_oidc_provider(
    client_id: str,
    client_secret: str,
    redirect_uris: Sequence[str],
    audience: str,
    *,
    scope: str = "read:jamf write:jamf",
    token_endpoint_auth_method: str = "client_secret_basic",
    startup_timeout: float = 30,
) -> Iterator[OidcProviderHandle]:
    """Start oidc-provider with one confidential client; yield its handle; stop it afterwards.

    Access tokens for `audience` (also the default resource, so no `resource=` is needed) are
    JWTs carrying `scope`; PKCE S256 is required; any username logs in.
    """
    node = shutil.which("node")
    if node is None:
        raise OidcProviderUnavailable(f"node is not on PATH; it runs {PACKAGE}. {INSTALL_NODE}")
    modules = ensure_installed()
    port = free_port()
    handle = OidcProviderHandle(
        issuer=f"http://127.0.0.1:{port}",
        client_id=client_id,
        client_secret=client_secret,
        redirect_uris=tuple(redirect_uris),
        audience=audience,
        scope=scope,
    )
    config = {
        "issuer": handle.issuer,
        "port": port,
        "audience": audience,
        "scope": scope,
        "client": {
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uris": list(redirect_uris),
            "token_endpoint_auth_method": token_endpoint_auth_method,
        },
    }
    env = {**os.environ, "OIDC_PROVIDER_CONFIG": json.dumps(config), "NODE_PATH": str(modules)}
    with tempfile.TemporaryDirectory(prefix="oidc-provider-") as scratch:
        log = Path(scratch) / "provider.log"
        # The script must resolve `oidc-provider` from .cache/node: ESM ignores NODE_PATH, so run
        # a copy that sits next to that node_modules directory.
        script = NODE_PREFIX / SERVER_SCRIPT.name
        shutil.copyfile(SERVER_SCRIPT, script)
        with log.open("wb") as output:
            process = subprocess.Popen(
                [node, str(script)], env=env, stdout=output, stderr=subprocess.STDOUT
            )
        try:
            _wait_until_ready(handle, process, log, startup_timeout)
            yield handle
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


async def complete_login(
    authorize_url: str,
    *,
    username: str = "ada",
    stop_at: str | Sequence[str] | None = None,
    max_steps: int = 20,
) -> LoginResult:
    """Follow an authorization request through oidc-provider's login and consent pages.

    Redirects are followed by hand with a cookie-keeping client; the login page is answered with
    `username` (any password) and the consent page with "Continue". Stops at the first redirect to
    a URL starting with one of `stop_at` (default: any URL off the provider's origin) and returns
    it without requesting it.
    """
    origin = httpx.URL(authorize_url)
    prefixes = (stop_at,) if isinstance(stop_at, str) else tuple(stop_at or ())

    def leaving(url: httpx.URL) -> bool:
        if prefixes:
            return str(url).startswith(prefixes)
        return (url.scheme, url.host, url.port) != (origin.scheme, origin.host, origin.port)

    async with httpx.AsyncClient(follow_redirects=False, timeout=10) as browser:
        response = await browser.get(authorize_url)
        for _ in range(max_steps):
            if response.is_redirect:
                target = response.url.join(response.headers["location"])
                if leaving(target):
                    query = parse_qs(target.query.decode())
                    return LoginResult(str(target), {k: v[0] for k, v in query.items()})
                response = await browser.get(target)
            elif response.status_code == 200 and "/interaction/" in response.url.path:
                page = response.text
                form = (
                    {"prompt": "login", "login": username, "password": "any"}
                    if 'name="login"' in page
                    else {"prompt": "consent"}
                )
                response = await browser.post(response.url, data=form)
            else:
                raise AssertionError(
                    f"unexpected {response.status_code} at {response.url}: {response.text[:500]}"
                )
    raise AssertionError(f"login did not finish within {max_steps} steps")
