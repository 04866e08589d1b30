"""Rate limits: a burst from one user gets 429 with retry_after while other users are served."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.e2e.inprocess import serving

pytestmark = pytest.mark.e2e

PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


async def test_a_burst_from_one_user_is_refused_while_another_user_is_served(
    tmp_path: Path,
) -> None:
    async with (
        serving(tmp_path / "data", rate_limit_per_minute=5) as server,
        httpx.AsyncClient(base_url=server.settings.public_url) as http,
    ):
        alice = {**HEADERS, "Authorization": f"Bearer {server.token('alice')}"}
        bob = {**HEADERS, "Authorization": f"Bearer {server.token('bob')}"}
        burst = [await http.post("/mcp", json=PING, headers=alice) for _ in range(8)]
        other = await http.post("/mcp", json=PING, headers=bob)

    statuses = [response.status_code for response in burst]
    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    refused = burst[-1]
    assert refused.json() == {
        "error": "Rate limit exceeded",
        "retry_after": refused.json()["retry_after"],
    }
    assert refused.json()["retry_after"] >= 1
    assert refused.headers["retry-after"] == str(refused.json()["retry_after"])
    assert other.status_code == 200


async def test_the_sign_in_pages_are_limited_per_client_address(tmp_path: Path) -> None:
    async with (
        serving(tmp_path / "data", auth_rate_limit_per_minute=3) as server,
        httpx.AsyncClient(base_url=server.settings.public_url) as http,
    ):
        answers = [await http.get("/auth/authorize", params={"client_id": "x"}) for _ in range(5)]
        mcp = await http.post(
            "/mcp",
            json=PING,
            headers={**HEADERS, "Authorization": f"Bearer {server.token('alice')}"},
        )

    assert [a.status_code for a in answers[:3]] == [400, 400, 400]  # an unknown application
    assert {a.status_code for a in answers[3:]} == {429}
    assert answers[-1].json()["error"] == "Rate limit exceeded"
    assert mcp.status_code == 200


async def _confidential_client(http: httpx.AsyncClient) -> tuple[str, str]:
    registered = await http.post(
        "/auth/register",
        json={
            "redirect_uris": ["https://chatgpt.com/connector_platform_oauth_redirect"],
            "token_endpoint_auth_method": "client_secret_post",
        },
    )
    assert registered.status_code == 201, registered.text
    return registered.json()["client_id"], registered.json()["client_secret"]


async def test_token_requests_are_limited_per_client_not_by_the_sign_in_limit_per_address(
    tmp_path: Path,
) -> None:
    """OpenAI's servers send every ChatGPT user's token requests from a few addresses: the
    per-address sign-in limit must not throttle them all at once (issue 13)."""
    limits = {"token_rate_limit_per_minute": 6, "token_address_ceiling_per_minute": 20}
    async with (
        serving(tmp_path / "data", auth_rate_limit_per_minute=3, auth_options=limits) as server,
        httpx.AsyncClient(base_url=server.settings.public_url) as http,
    ):
        chatgpt, secret = await _confidential_client(http)
        other, other_secret = await _confidential_client(http)
        form = {"grant_type": "refresh_token", "refresh_token": "expired-long-ago"}
        burst = [
            await http.post(
                "/auth/token", data={**form, "client_id": chatgpt, "client_secret": secret}
            )
            for _ in range(8)
        ]
        second_client = await http.post(
            "/auth/token", data={**form, "client_id": other, "client_secret": other_secret}
        )
        page = await http.get("/auth/authorize", params={"client_id": "x"})
        strangers = [
            await http.post("/auth/token", data={**form, "client_id": f"nobody-{n}"})
            for n in range(15)
        ]
        metrics = (await http.get("/metrics")).text

    # Six answers for ChatGPT's client although one address sent them, beyond the page limit of 3:
    assert [a.status_code for a in burst[:6]] == [400] * 6  # authenticated; the grant is bad
    assert {a.json()["error"] for a in burst[:6]} == {"invalid_grant"}
    assert [(a.status_code, a.json()["error"]) for a in burst[6:]] == [(429, "slow_down")] * 2
    assert burst[-1].headers["retry-after"]
    assert second_client.status_code == 400  # its own bucket
    assert page.status_code == 400  # the sign-in pages' per-address bucket is a separate one
    # A stranger claiming clients from this address meets the per-address ceiling: 20 token
    # requests in all (9 above, 11 here), then 429 (the bucket refills one every 3 seconds).
    statuses = [a.status_code for a in strangers]
    assert statuses[:11] == [401] * 11
    assert 429 in statuses[11:]
    refused = {
        scope: float(value)
        for scope, value in re.findall(
            r'jamf_mcp_rate_limited_requests_total\{scope="(\w+)"\} (\S+)', metrics
        )
    }
    assert refused["client"] == 2 and refused["token_ip"] >= 1
