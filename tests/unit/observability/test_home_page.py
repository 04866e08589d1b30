"""The home page: connector settings from the front door's configuration, status from whatever
readiness probes exist, a strict CSP that still lets its own script run, and nothing secret."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import UTC, datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.asgi_observability.readiness import ProbeResult, Readiness
from jamf_mcp.adapters.litestar_http.home_page import ConnectorSettings, HomePage
from jamf_mcp.adapters.litestar_http.home_routes import connector_settings, home_route_handlers
from jamf_mcp.adapters.oauth_server import FrontDoorConfig
from tests.unit.observability.test_readiness import SECRET_HOST, FakeProbe

ISSUER = "https://mcp.example.com"
NOON = datetime(2026, 12, 2, 12, 0, 5, tzinfo=UTC)


def page(connector: ConnectorSettings, sign_in: str = "oidc", docs: str | None = None) -> HomePage:
    return HomePage(version="9.9.9", connector=connector, sign_in=sign_in, docs_url=docs)


def app(home: HomePage, readiness: Readiness | None) -> Litestar:
    return Litestar(route_handlers=home_route_handlers(home, lambda: readiness, clock=lambda: NOON))


def oauth_connector(**config: object) -> ConnectorSettings:
    return connector_settings(
        f"{ISSUER}/mcp",
        FrontDoorConfig(issuer=ISSUER, resource=f"{ISSUER}/mcp", **config),  # type: ignore[arg-type]
    )


def text_of(html: str) -> str:
    without_code = re.sub(r"(?s)<(script|style)>.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", without_code))


async def get_home(home: HomePage, readiness: Readiness | None) -> tuple[int, dict[str, str], str]:
    async with AsyncTestClient(app(home, readiness)) as client:
        response = await client.get("/")
    return response.status_code, dict(response.headers), response.text


def test_the_connector_settings_come_from_the_front_door_and_its_discovery_metadata() -> None:
    connector = oauth_connector()
    assert connector == ConnectorSettings(
        mcp_url=f"{ISSUER}/mcp",
        authorization_url=f"{ISSUER}/auth/authorize",
        token_url=f"{ISSUER}/auth/callback",
        scopes=("openid", "profile", "email", "read:jamf", "write:jamf"),
        registration=("dynamic_registration", "client_metadata_document"),
    )
    assert connector_settings("http://127.0.0.1:8000/mcp", None) == ConnectorSettings(
        mcp_url="http://127.0.0.1:8000/mcp"
    )


async def test_the_page_shows_each_value_to_paste_with_a_copy_button() -> None:
    status, headers, html = await get_home(page(oauth_connector()), Readiness([FakeProbe("jamf")]))
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    text = text_of(html)
    for label, value in [
        ("MCP server URL", f"{ISSUER}/mcp"),
        ("Authorization URL", f"{ISSUER}/auth/authorize"),
        ("Token URL", f"{ISSUER}/auth/callback"),
        ("Scopes", "openid profile email read:jamf write:jamf"),
        ("Registration", "Dynamic Client Registration"),
    ]:
        assert f"{label} {value}" in text
    assert html.count('class="copy"') == 5
    assert "jamf-mcp 9.9.9" in text
    assert "leave the OAuth client ID and secret empty" in text


async def test_a_pre_registered_mode_in_the_front_door_configuration_changes_the_registration() -> (
    None
):
    connector = oauth_connector(registration=("pre_registered",))
    _, _, html = await get_home(page(connector), Readiness([FakeProbe("jamf")]))
    assert "Registration Pre-registered client" in text_of(html)
    assert "client ID and secret your administrator created" in text_of(html)


async def test_with_sign_in_off_only_the_mcp_url_is_offered() -> None:
    connector = connector_settings("http://127.0.0.1:8000/mcp", None)
    _, _, html = await get_home(page(connector, sign_in="none"), Readiness([FakeProbe("jamf")]))
    text = text_of(html)
    assert "MCP server URL http://127.0.0.1:8000/mcp" in text
    assert "Authorization URL" not in text
    assert "Identity provider Sign-in is off" in text


async def test_the_status_lists_every_probe_generically_with_its_public_detail() -> None:
    probes = [
        FakeProbe("jamf", ProbeResult(True, "Jamf Pro 11.30.1, signed in")),
        FakeProbe("identity_keys", ProbeResult(False, f"cannot reach {SECRET_HOST}")),
        FakeProbe("redis"),
        FakeProbe("postgres", ProbeResult(True, "answers")),
        FakeProbe("accepting"),
    ]
    _, _, html = await get_home(page(oauth_connector()), Readiness(probes))
    text = text_of(html)
    assert "✗ Not ready" in text
    assert "checked at 12:00:05 UTC" in text
    assert "Jamf Pro Jamf Pro 11.30.1, signed in ✓ OK" in text
    assert "Identity provider cannot reach [withheld] ✗ Failing" in text
    assert "Redis ✓ OK" in text
    assert "Audit store No readiness probe — Not checked" in text
    assert "Postgres answers ✓ OK" in text  # a probe this page was never told about
    assert SECRET_HOST not in html
    order = [m.group(1) for m in re.finditer(r'data-component="([^"]+)"', html)]
    assert order == ["jamf", "identity_keys", "redis", "audit", "accepting", "postgres"]


async def test_before_the_resources_start_the_status_says_so() -> None:
    _, _, html = await get_home(page(oauth_connector()), None)
    assert "Starting up" in text_of(html)


async def test_the_policy_allows_only_the_pages_own_script_and_style_and_no_framing() -> None:
    _, headers, html = await get_home(page(oauth_connector()), Readiness([FakeProbe("jamf")]))
    policy = headers["content-security-policy"]
    (script,) = re.findall(r"(?s)<script>(.*?)</script>", html)
    (style,) = re.findall(r"(?s)<style>(.*?)</style>", html)
    for kind, source in (("script-src", script), ("style-src", style)):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert f"{kind} 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["x-frame-options"] == "DENY"
    assert headers["cache-control"] == "no-store"
    assert not re.search(r"\son[a-z]+\s*=", html)  # no inline event handler anywhere


async def test_links_point_to_the_published_docs_when_their_address_is_configured() -> None:
    home = page(oauth_connector(), docs="https://git.example.com/jamf-mcp/blob/main/")
    _, _, html = await get_home(home, Readiness([FakeProbe("jamf")]))
    assert 'href="https://git.example.com/jamf-mcp/blob/main/docs/sign-in.md"' in html
    _, _, plain = await get_home(page(oauth_connector()), Readiness([FakeProbe("jamf")]))
    assert "<code>docs/sign-in.md</code>" in plain
