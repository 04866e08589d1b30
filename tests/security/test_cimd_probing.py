"""Using Client ID Metadata Documents to map the server's network: every way a fetch can fail —
an internal name, a loopback or private address, a name that does not resolve, a port that hangs,
a redirect, an error status — gives the requester the same page; only the server's log says which.

The documents' format and rules are those of the OAuth Client ID Metadata Document draft
(draft-ietf-oauth-client-id-metadata-document): an https `client_id` URL whose JSON names itself.
"""

from __future__ import annotations

import logging

import httpx
import pytest

from jamf_mcp.adapters.oauth_server import ErrorPage, SafeClientMetadataFetcher
from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    authorize_params,
    build_world,
    pkce_pair,
    start_clock,
)

PUBLIC_IP = "93.184.216.34"
TABLE = {
    "intranet.corp.example": ["10.20.30.40"],
    "jamf.corp.example": ["192.168.1.10"],
    "localhost.attacker.example": ["127.0.0.1"],
    "metadata.attacker.example": ["169.254.169.254"],
    "mapped.attacker.example": ["::ffff:10.0.0.1"],
    "hangs.attacker.example": [PUBLIC_IP],
    "redirects.attacker.example": [PUBLIC_IP],
    "missing.attacker.example": [PUBLIC_IP],
}


class Resolver:
    async def resolve(self, host: str, port: int) -> list[str]:
        if host not in TABLE:
            raise OSError("no such host")
        return TABLE[host]


def network(request: httpx.Request) -> httpx.Response:
    host = request.headers["host"]
    if host.startswith("hangs."):
        raise httpx.ConnectTimeout("timed out", request=request)
    if host.startswith("redirects."):
        return httpx.Response(302, headers={"Location": "http://10.0.0.1/"})
    return httpx.Response(404)


PROBES = [
    "https://intranet.corp.example/client.json",
    "https://jamf.corp.example:8443/client.json",
    "https://localhost.attacker.example/client.json",
    "https://metadata.attacker.example/latest/meta-data",
    "https://mapped.attacker.example/client.json",
    "https://does-not-exist.corp.example/client.json",
    "https://hangs.attacker.example:22/client.json",
    "https://redirects.attacker.example/client.json",
    "https://missing.attacker.example/client.json",
    "https://10.0.0.1/client.json",
    "https://[::1]:6379/client.json",
]


async def _page_for(client_id: str) -> ErrorPage:
    http = httpx.AsyncClient(transport=httpx.MockTransport(network))
    fetcher = SafeClientMetadataFetcher(http, start_clock(), resolver=Resolver())
    world = build_world(fetcher=fetcher)
    _, challenge = pkce_pair()
    params = authorize_params(client_id, challenge, redirect_uri=CHATGPT_REDIRECT)
    outcome = await world.front_door.authorize(params, None)
    assert isinstance(outcome, ErrorPage), outcome
    return outcome


async def test_every_failed_fetch_looks_the_same_to_the_requester(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="jamf_mcp")
    pages = {probe: await _page_for(probe) for probe in PROBES}
    assert len({(page.status, page.title, page.detail) for page in pages.values()}) == 1
    detail = next(iter(pages.values())).detail
    for word in ("resolve", "public", "timed out", "redirect", "200", "10.", "corp"):
        assert word not in detail
    logged = caplog.text
    assert "does not resolve" in logged and "not a public address" in logged
    assert "could not be fetched" in logged  # the port that hangs
    assert "redirects" in logged and "did not answer 200" in logged


@pytest.mark.parametrize(
    ("client_id", "reason"),
    [
        ("https://client.example/a/../meta.json", "dot segments"),
        ("https://client.example/", "path"),
        ("https://user:pw@client.example/meta.json", "user information"),
    ],
)
async def test_a_client_id_url_of_the_wrong_shape_is_explained_without_any_fetch(
    client_id: str, reason: str
) -> None:
    page = await _page_for(client_id)
    assert reason in page.detail
