"""Trying to turn the server into an open redirector with a self-registered client: anything
wrong with an authorization request, before the user has seen the consent page, is an HTML error
page on the server's domain — never a redirect to the registered URI (RFC 9700 §4.11; RFC 6749
§4.1.2.1 requires it only for an invalid redirect URI, we extend it to every pre-consent error)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import RunningServer, start_server, stop_server
from tests.security.sign_in_support import Client, register
from tests.support.web_forms import forms_in

pytestmark = pytest.mark.e2e

EVIL = "https://phishing.attacker.example/landing"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(
        Path(tmp_path_factory.mktemp("redirects")),
        {"JAMF_MCP_AUTH": "dev", "JAMF_MCP_REGISTRATIONS_PER_IP_PER_DAY": "1000"},
    )
    yield running
    stop_server(running)


@pytest.fixture
async def evil_client(server: RunningServer) -> Client:
    return await register(server.base_url, EVIL, "Phishing kit")


def _query(client: Client, **changes: str | None) -> dict[str, str]:
    base: dict[str, str | None] = {
        "response_type": "code",
        "client_id": client.client_id,
        "redirect_uri": client.redirect_uri,
        "code_challenge": client.challenge,
        "code_challenge_method": "S256",
        "state": "s",
        "resource": f"{client.base_url}/mcp",
        **changes,
    }
    return {k: v for k, v in base.items() if v is not None}


ATTEMPTS: list[dict[str, Any]] = [
    {"response_type": "token"},
    {"response_type": None},
    {"code_challenge": None},
    {"code_challenge_method": "plain"},
    {"code_challenge": "short"},
    {"scope": "admin superuser"},
    {"prompt": "none"},
    {"resource": "https://elsewhere.example/mcp"},
    {"state": "x" * 3000},
    {"redirect_uri": EVIL + "/../../other"},
    {"redirect_uri": "https://phishing.attacker.example/landing?next=1"},
    {"redirect_uri": "https://phishing.attacker.example/"},
    {"client_id": "jmc_made_up"},
]


@pytest.mark.parametrize("changes", ATTEMPTS)
async def test_a_bad_authorization_request_gets_an_error_page_and_never_a_redirect(
    server: RunningServer, evil_client: Client, changes: dict[str, str | None]
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.get(
            f"{server.base_url}/auth/authorize", params=_query(evil_client, **changes)
        )
    assert answer.status_code == 400
    assert "location" not in answer.headers
    assert answer.headers["content-type"].startswith("text/html")
    assert "phishing.attacker.example" not in answer.text
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


async def test_callbacks_and_consents_that_do_not_belong_to_a_sign_in_never_redirect(
    server: RunningServer, evil_client: Client
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        forged_state = await http.get(
            f"{server.base_url}/auth/upstream/callback", params={"state": "x", "code": "y"}
        )
        forged_error = await http.get(
            f"{server.base_url}/auth/upstream/callback",
            params={"state": "x", "error": "access_denied"},
        )
        page = await http.get(f"{server.base_url}/auth/authorize", params=_query(evil_client))
        fields = forms_in(page.text)[0].fields
        http.cookies.clear()  # a cross-site form post: no CSRF cookie
        forged_consent = await http.post(
            f"{server.base_url}/auth/consent", data={**fields, "decision": "deny"}
        )
    for answer in (forged_state, forged_error, forged_consent):
        assert answer.status_code in (400, 403)
        assert "location" not in answer.headers


async def test_only_after_the_consent_page_named_the_destination_does_a_deny_go_back(
    server: RunningServer, evil_client: Client
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        page = await http.get(f"{server.base_url}/auth/authorize", params=_query(evil_client))
        assert "phishing.attacker.example" in page.text  # the user is told where they will go
        fields = forms_in(page.text)[0].fields
        denied = await http.post(
            f"{server.base_url}/auth/consent", data={**fields, "decision": "deny"}
        )
    assert denied.status_code == 303
    assert denied.headers["location"].startswith(EVIL + "?error=access_denied")


@pytest.mark.parametrize(
    "uri",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://phishing.attacker.example/cb",
        "https://chatgpt.com@phishing.attacker.example/cb",
        "https://phishing.attacker.example/cb#fragment",
        "//phishing.attacker.example/cb",
        "https://phishing.attacker.example/\ncb",
        "https://" + "a" * 600 + ".example/cb",
    ],
)
async def test_unsafe_redirect_uris_cannot_be_registered(server: RunningServer, uri: str) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(
            f"{server.base_url}/auth/register",
            json={"redirect_uris": [uri], "token_endpoint_auth_method": "none"},
        )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_redirect_uri"


async def test_the_development_idp_never_redirects_to_an_address_it_does_not_know(
    server: RunningServer,
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.get(
            f"{server.base_url}/dev-idp/authorize",
            params={
                "response_type": "code",
                "client_id": "jamf-mcp",
                "redirect_uri": EVIL,
                "scope": "openid",
                "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "code_challenge_method": "S256",
            },
        )
    assert answer.status_code == 400 and "location" not in answer.headers
