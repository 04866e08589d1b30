"""Client ID Metadata Documents: fetched safely (no SSRF), validated, cached, and used to authorize."""

from __future__ import annotations

import ipaddress
import json
from datetime import timedelta

import httpx
import pytest

from jamf_mcp.adapters.oauth_server import (
    ClientMetadataUnavailable,
    ConsentPrompt,
    ErrorPage,
    SafeClientMetadataFetcher,
    is_public_address,
)
from jamf_mcp.adapters.oauth_server.client_metadata import MAX_DOCUMENT_BYTES
from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    authorize_params,
    build_world,
    pkce_pair,
    start_clock,
)

URL = "https://client.example.com/oauth/metadata.json"
PUBLIC_IP = "93.184.216.34"


class FakeResolver:
    """Answers host lookups from a table (implements `HostResolver`)."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.lookups: list[str] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host not in self.table:
            raise OSError("no such host")
        return self.table[host]


def _document(**overrides: object) -> dict[str, object]:
    return {
        "client_id": URL,
        "client_name": "Example",
        "redirect_uris": [CHATGPT_REDIRECT],
        **overrides,
    }


class Server:
    """A MockTransport router recording what reached 'the network'."""

    def __init__(self, response: httpx.Response | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.response = response or httpx.Response(200, json=_document())

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.response


def _fetcher(
    server: Server, table: dict[str, list[str]] | None = None, **kwargs: object
) -> tuple[SafeClientMetadataFetcher, FakeResolver]:
    resolver = FakeResolver(table if table is not None else {"client.example.com": [PUBLIC_IP]})
    client = httpx.AsyncClient(transport=httpx.MockTransport(server))
    fetcher = SafeClientMetadataFetcher(client, start_clock(), resolver=resolver, **kwargs)  # type: ignore[arg-type]
    return fetcher, resolver


async def test_fetches_from_the_checked_address_with_the_original_host_header() -> None:
    server = Server()
    fetcher, _ = _fetcher(server)
    assert await fetcher.fetch(URL) == _document()
    (request,) = server.requests
    assert request.url.host == PUBLIC_IP
    assert request.url.path == "/oauth/metadata.json"
    assert request.headers["host"] == "client.example.com"
    assert request.extensions["sni_hostname"] == "client.example.com"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
        "0.0.0.0",
        "100.64.0.1",
        "240.0.0.1",
    ],
)
async def test_refuses_hosts_that_resolve_to_non_public_addresses(address: str) -> None:
    server = Server()
    fetcher, _ = _fetcher(server, {"client.example.com": [PUBLIC_IP, address]})
    with pytest.raises(ClientMetadataUnavailable, match="public"):
        await fetcher.fetch(URL)
    assert server.requests == []


async def test_refuses_plain_http() -> None:
    server = Server()
    fetcher, _ = _fetcher(server)
    with pytest.raises(ClientMetadataUnavailable, match="https"):
        await fetcher.fetch("http://client.example.com/metadata.json")
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/metadata.json",
        "https://10.0.0.8/metadata.json",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/metadata.json",
    ],
)
async def test_refuses_private_address_literals_without_resolving_them(url: str) -> None:
    server = Server()
    fetcher, resolver = _fetcher(server)
    with pytest.raises(ClientMetadataUnavailable, match="public"):
        await fetcher.fetch(url)
    assert server.requests == []
    assert resolver.lookups == []


@pytest.mark.parametrize(
    "url",
    [
        "https://client.example.com",
        "https://client.example.com/",
        "https://client.example.com/a/../b",
        "https://user@client.example.com/meta",
        "https://client.example.com/meta#frag",
    ],
)
async def test_refuses_client_id_urls_without_a_clean_path(url: str) -> None:
    fetcher, _ = _fetcher(Server())
    with pytest.raises(ClientMetadataUnavailable):
        await fetcher.fetch(url)


async def test_does_not_follow_redirects() -> None:
    server = Server(httpx.Response(302, headers={"Location": "http://169.254.169.254/"}))
    fetcher, _ = _fetcher(server)
    with pytest.raises(ClientMetadataUnavailable, match="redirect"):
        await fetcher.fetch(URL)
    assert len(server.requests) == 1


async def test_refuses_an_oversized_document() -> None:
    huge = json.dumps(_document(padding="x" * MAX_DOCUMENT_BYTES)).encode()
    fetcher, _ = _fetcher(Server(httpx.Response(200, content=huge)))
    with pytest.raises(ClientMetadataUnavailable, match="too large"):
        await fetcher.fetch(URL)


async def test_refuses_non_json_and_error_statuses() -> None:
    fetcher, _ = _fetcher(Server(httpx.Response(200, content=b"<html>")))
    with pytest.raises(ClientMetadataUnavailable, match="JSON"):
        await fetcher.fetch(URL)
    fetcher, _ = _fetcher(Server(httpx.Response(404)))
    with pytest.raises(ClientMetadataUnavailable):
        await fetcher.fetch(URL)


async def test_caches_a_document_for_five_minutes() -> None:
    server = Server()
    resolver = FakeResolver({"client.example.com": [PUBLIC_IP]})
    clock = start_clock()
    fetcher = SafeClientMetadataFetcher(
        httpx.AsyncClient(transport=httpx.MockTransport(server)), clock, resolver=resolver
    )
    await fetcher.fetch(URL)
    await fetcher.fetch(URL)
    assert len(server.requests) == 1
    clock.advance(timedelta(seconds=301))
    await fetcher.fetch(URL)
    assert len(server.requests) == 2


async def test_a_loopback_server_can_be_allowed_explicitly_for_tests() -> None:
    server = Server()
    fetcher, _ = _fetcher(
        server,
        {"client.example.com": ["127.0.0.1"]},
        address_allowed=lambda address: address.is_loopback,
    )
    assert await fetcher.fetch(URL) == _document()
    assert server.requests[0].url.host == "127.0.0.1"


def test_only_global_unicast_addresses_count_as_public() -> None:
    assert is_public_address(ipaddress.ip_address(PUBLIC_IP))
    assert is_public_address(ipaddress.ip_address("2606:4700:4700::1111"))
    assert not is_public_address(ipaddress.ip_address("::ffff:10.0.0.1"))
    assert not is_public_address(ipaddress.ip_address("2002:0a00:0001::1"))  # 6to4 of 10.0.0.1


async def _authorize_with(server: Server) -> object:
    fetcher, _ = _fetcher(server)
    world = build_world(fetcher=fetcher)
    _, challenge = pkce_pair()
    return await world.front_door.authorize(authorize_params(URL, challenge), None)


async def test_a_metadata_document_client_reaches_the_consent_page_naming_its_publisher() -> None:
    prompt = await _authorize_with(Server())
    assert isinstance(prompt, ConsentPrompt)
    assert prompt.client_id == URL
    assert prompt.verified_by_url == "client.example.com"


@pytest.mark.parametrize(
    "document",
    [
        _document(client_id="https://client.example.com/other.json"),
        _document(redirect_uris=["https://evil.example/cb"]),
        _document(token_endpoint_auth_method="client_secret_post"),
    ],
)
async def test_a_document_with_a_wrong_client_id_or_other_redirects_gets_an_error_page(
    document: dict[str, object],
) -> None:
    outcome = await _authorize_with(Server(httpx.Response(200, json=document)))
    assert isinstance(outcome, ErrorPage)
    assert outcome.status == 400
