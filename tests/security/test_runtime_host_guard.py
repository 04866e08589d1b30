"""`Host` is checked on every route by default: a DNS-rebinding page reaches nothing.

A page on `evil.example` whose name the attacker re-points at 127.0.0.1 makes the victim's browser
send requests with `Host: evil.example` to this server. Before, `Host` was checked only on the MCP
endpoint and only with `JAMF_MCP_ALLOWED_HOSTS` set; now the public URL's host, loopback names and
IP literals (health checks address replicas by IP; rebinding needs a name) are served, and any
other `Host` gets 403 on every route.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.inprocess import serving

ROUTES = [
    ("POST", "/mcp"),
    ("GET", "/mcp"),
    ("GET", "/sse"),
    ("POST", "/messages?session_id=x"),
    ("GET", "/health"),
    ("GET", "/health/ready"),
    ("GET", "/metrics"),
    ("GET", "/.well-known/oauth-authorization-server"),
    ("GET", "/.well-known/oauth-protected-resource/mcp"),
    ("GET", "/auth/authorize?client_id=x"),
    ("POST", "/auth/register"),
    ("POST", "/auth/token"),
    ("GET", "/auth/jwks.json"),
    ("GET", "/dev-idp/.well-known/openid-configuration"),
    ("GET", "/dev-idp/authorize"),
    ("GET", "/no-such-page"),
]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "localhost.evil.example"])
async def test_every_route_refuses_a_foreign_host(tmp_path: Path, host: str) -> None:
    async with serving(tmp_path / "data") as server, httpx.AsyncClient(timeout=10) as http:
        base = server.settings.public_url
        for method, path in ROUTES:
            answer = await http.request(method, f"{base}{path}", headers={"Host": host})
            assert answer.status_code == 403, (method, path, answer.status_code)
            assert "Host is not allowed" in answer.text


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost:1234", "[::1]:80", "10.1.2.3:8000"])
async def test_loopback_names_and_ip_literals_are_served(tmp_path: Path, host: str) -> None:
    async with serving(tmp_path / "data") as server, httpx.AsyncClient(timeout=10) as http:
        answer = await http.get(f"{server.settings.public_url}/health", headers={"Host": host})
    assert answer.status_code == 200


async def test_the_public_url_host_and_configured_names_are_served(tmp_path: Path) -> None:
    async with (
        serving(
            tmp_path / "data",
            allowed_hosts=frozenset({"mcp.internal.example"}),
        ) as server,
        httpx.AsyncClient(timeout=10) as http,
    ):
        base = server.settings.public_url
        configured = await http.get(f"{base}/health", headers={"Host": "mcp.internal.example"})
        other = await http.get(f"{base}/health", headers={"Host": "mcp.other.example"})
    assert (configured.status_code, other.status_code) == (200, 403)


async def test_a_star_turns_the_check_off(tmp_path: Path) -> None:
    async with (
        serving(tmp_path / "data", allowed_hosts=frozenset({"*"})) as server,
        httpx.AsyncClient(timeout=10) as http,
    ):
        answer = await http.get(
            f"{server.settings.public_url}/health", headers={"Host": "anything.example"}
        )
    assert answer.status_code == 200


def test_the_public_url_host_is_served_without_configuration() -> None:
    from jamf_mcp.adapters.asgi_mcp.request_checks import HostAllowList
    from jamf_mcp.settings import Settings

    settings = Settings.from_env({"JAMF_MCP_PUBLIC_URL": "https://mcp.example.com"})
    assert settings.host_names == frozenset({"mcp.example.com"})
    hosts = HostAllowList(settings.host_names)
    assert hosts.allows("mcp.example.com")
    assert hosts.allows("MCP.example.com:443")
    assert not hosts.allows("mcp.example.com.evil.example")
    assert not hosts.allows(None)
    assert not hosts.allows("mcp.example.com\r\nX: y")
