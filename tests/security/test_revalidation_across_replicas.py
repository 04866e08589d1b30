"""Re-validation at the identity provider, across replicas: a grant made at replica A is re-checked
when it is refreshed at replica B, through the identity provider's own refresh token kept (sealed)
in the shared state.

To change a user "at the identity provider" without restarting it, replica B runs its embedded
development IdP with another user list than A: there erin holds only `read:jamf` and frank no
longer exists. Both replicas re-check after one second (`JAMF_MCP_REVALIDATE_SECONDS=1`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.security.replicas import Replicas, sign_in_across, two_replicas
from tests.security.sign_in_support import register

pytestmark = pytest.mark.e2e

CALLBACK = "http://127.0.0.1:9/callback"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    with two_replicas(
        Path(tmp_path_factory.mktemp("revalidation")),
        {
            "JAMF_MCP_REVALIDATE_SECONDS": "1",
            "JAMF_MCP_DEV_USERS": "erin=read:jamf write:jamf;frank=read:jamf write:jamf",
        },
        extra_b={"JAMF_MCP_DEV_USERS": "erin=read:jamf"},
    ) as pair:
        yield pair


async def _refresh_after_a_recheck_is_due(
    replicas: Replicas, username: str
) -> tuple[httpx.Response, dict[str, str]]:
    client = await register(replicas.public_url, CALLBACK)
    a = replicas.a
    code = await sign_in_across(replicas, client, username, [a, a, a, a])
    async with httpx.AsyncClient(timeout=30) as http:
        tokens = await http.post(
            f"{a.base_url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "client_id": client.client_id,
                "code": code,
                "code_verifier": client.verifier,
                "redirect_uri": CALLBACK,
            },
        )
        assert tokens.status_code == 200, tokens.text
        assert tokens.json()["scope"] == "read:jamf write:jamf"
        await asyncio.sleep(1.1)  # the re-check interval has to pass: there is no event for it
        refreshed = await http.post(
            f"{replicas.b.base_url}/auth/token",
            data={
                "grant_type": "refresh_token",
                "client_id": client.client_id,
                "refresh_token": tokens.json()["refresh_token"],
            },
        )
    return refreshed, tokens.json()


async def test_a_user_who_lost_write_at_the_identity_provider_gets_read_only_at_the_next_refresh(
    replicas: Replicas,
) -> None:
    refreshed, _ = await _refresh_after_a_recheck_is_due(replicas, "erin")
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["scope"] == "read:jamf"


async def test_a_user_removed_at_the_identity_provider_loses_the_grant_and_its_tokens(
    replicas: Replicas,
) -> None:
    refreshed, tokens = await _refresh_after_a_recheck_is_due(replicas, "frank")
    assert refreshed.status_code == 400
    assert refreshed.json()["error"] == "invalid_grant"
    assert "identity provider" in refreshed.json()["error_description"]
    call = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {
        "Authorization": f"Bearer {tokens['access_token']}",
        "Accept": "application/json, text/event-stream",
    }
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(100):  # the denylist reaches replica A within a second
            answer = await http.post(replicas.a.mcp_url, json=call, headers=headers)
            if answer.status_code == 401:
                break
            await asyncio.sleep(0.05)
    assert answer.status_code == 401
