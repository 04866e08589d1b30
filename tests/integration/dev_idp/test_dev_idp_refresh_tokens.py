"""The development IdP's refresh tokens (what the front door re-checks users with): issued for
`offline_access`, single use and rotated, and refused or narrowed when the user changed."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.dev_idp import DevIdentityProvider, InMemoryDevIdpState
from jamf_mcp.adapters.memory import FixedClock
from tests.integration.dev_idp.dev_idp_support import (
    PUBLIC_URL,
    USERS,
    make_app,
    redeem,
    sign_in,
)

Client = AsyncTestClient[Litestar]
OFFLINE = "openid profile email offline_access read:jamf write:jamf"


async def _refresh(client: Client, provider: DevIdentityProvider, token: str) -> httpx.Response:
    return await client.post(
        "/dev-idp/token",
        data={"grant_type": "refresh_token", "refresh_token": token},
        auth=(provider.client_id, provider.client_secret),
    )


async def _offline_tokens(client: Client, provider: DevIdentityProvider, user: str) -> Any:
    signed_in = await sign_in(client, provider, user, scope=OFFLINE)
    answer = await redeem(client, provider, signed_in)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_a_refresh_token_comes_only_with_offline_access(
    client: Client, provider: DevIdentityProvider
) -> None:
    online = await sign_in(client, provider, "alice")
    assert "refresh_token" not in (await redeem(client, provider, online)).json()
    assert "refresh_token" in await _offline_tokens(client, provider, "alice")


async def test_a_refresh_token_works_once_and_rotates(
    client: Client, provider: DevIdentityProvider
) -> None:
    tokens = await _offline_tokens(client, provider, "alice")
    fresh = await _refresh(client, provider, tokens["refresh_token"])
    assert fresh.status_code == 200, fresh.text
    assert fresh.json()["refresh_token"] != tokens["refresh_token"]
    assert set(fresh.json()["scope"].split()) >= {"read:jamf", "write:jamf"}
    assert "id_token" in fresh.json()
    again = await _refresh(client, provider, tokens["refresh_token"])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


async def test_a_refresh_needs_the_client_credentials(
    client: Client, provider: DevIdentityProvider
) -> None:
    tokens = await _offline_tokens(client, provider, "alice")
    anonymous = await client.post(
        "/dev-idp/token",
        data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]},
    )
    assert anonymous.status_code == 401


async def test_a_user_removed_or_downgraded_since_sign_in_is_refused_or_narrowed(
    tmp_path: Path,
) -> None:
    state = InMemoryDevIdpState(FixedClock(datetime.now(UTC)))

    def provider_with(users: tuple[tuple[str, frozenset[str]], ...]) -> DevIdentityProvider:
        return DevIdentityProvider(
            f"{PUBLIC_URL}/dev-idp",
            tmp_path / "data",
            users,
            default_audience=f"{PUBLIC_URL}/mcp",
            state=state,
        )

    before = provider_with(USERS)
    async with AsyncTestClient(app=make_app(before)) as client:
        client.follow_redirects = False
        alice = await _offline_tokens(client, before, "alice")
        bob = await _offline_tokens(client, before, "bob")
    # The operator restarts the IdP: alice is read-only now, bob is gone.
    after = provider_with((("alice", frozenset({"read:jamf"})),))
    async with AsyncTestClient(app=make_app(after)) as client:
        narrowed = await _refresh(client, after, alice["refresh_token"])
        removed = await _refresh(client, after, bob["refresh_token"])
    assert narrowed.status_code == 200
    assert "write:jamf" not in narrowed.json()["scope"].split()
    assert "read:jamf" in narrowed.json()["scope"].split()
    assert (removed.status_code, removed.json()["error"]) == (400, "invalid_grant")
