"""Rate limits: a burst from one user gets 429 with retry_after while other users are served."""

from __future__ import annotations

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


async def test_the_sign_in_endpoints_are_limited_per_client_address(tmp_path: Path) -> None:
    async with (
        serving(tmp_path / "data", auth_rate_limit_per_minute=3) as server,
        httpx.AsyncClient(base_url=server.settings.public_url) as http,
    ):
        answers = [
            await http.post("/auth/token", data={"grant_type": "authorization_code"})
            for _ in range(5)
        ]
        mcp = await http.post(
            "/mcp",
            json=PING,
            headers={**HEADERS, "Authorization": f"Bearer {server.token('alice')}"},
        )

    assert [a.status_code for a in answers[:3]] == [401, 401, 401]  # no client credentials
    assert {a.status_code for a in answers[3:]} == {429}
    assert answers[-1].json()["error"] == "Rate limit exceeded"
    assert mcp.status_code == 200
