"""Attacks on refresh tokens and grants: a bad `scope` must not burn the token, replays and stolen
tokens end the grant (access tokens included), grants end 30 days after sign-in however often
they are refreshed, and a user disabled or downgraded at the identity provider loses it here."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from jamf_mcp.adapters.oauth_server import UpstreamCredentials
from jamf_mcp.adapters.oauth_server.front_door import SEAL_PURPOSE
from jamf_mcp.adapters.oauth_server.sealing import CredentialSeal
from tests.security.front_door_world import FakeUpstream, build_grants
from tests.unit.oauth_server.oauth_fakes import signing_key

DAY = timedelta(days=1)


async def test_a_refresh_asking_for_scopes_outside_the_grant_is_refused_without_burning_the_token() -> (
    None
):
    grants = build_grants()
    client = await grants.client()
    tokens = await grants.sign_in(client)
    for bad in ("read:jamf admin:jamf", "write:jamf openid", "x" * 2000):
        status, body = await grants.refresh(client, tokens["refresh_token"], scope=bad)
        assert (status, body["error"]) == (400, "invalid_scope")
    status, body = await grants.refresh(client, tokens["refresh_token"])
    assert status == 200, body
    assert await grants.accepted(tokens["access_token"]) is not None  # nothing was revoked


async def test_replaying_a_rotated_refresh_token_ends_the_grant_and_refuses_its_access_tokens() -> (
    None
):
    grants = build_grants()
    client = await grants.client()
    first = await grants.sign_in(client)
    status, second = await grants.refresh(client, first["refresh_token"])
    assert status == 200 and await grants.accepted(second["access_token"]) is not None
    grants.world.clock.advance(timedelta(seconds=grants.config.refresh_reuse_seconds + 1))
    status, replay = await grants.refresh(client, first["refresh_token"])  # stolen copy used
    assert (status, replay["error"]) == (400, "invalid_grant")
    assert (await grants.refresh(client, second["refresh_token"]))[1]["error"] == "invalid_grant"
    assert await grants.accepted(second["access_token"]) is None
    assert await grants.accepted(first["access_token"]) is None


async def test_a_refresh_token_presented_by_another_client_ends_the_grant() -> None:
    grants = build_grants()
    owner, thief = await grants.client(), await grants.client()
    tokens = await grants.sign_in(owner)
    status, body = await grants.refresh(thief, tokens["refresh_token"])
    assert (status, body["error"]) == (400, "invalid_grant")
    assert (await grants.refresh(owner, tokens["refresh_token"]))[1]["error"] == "invalid_grant"
    assert await grants.accepted(tokens["access_token"]) is None


async def test_of_concurrent_refreshes_with_one_token_at_most_one_gets_new_tokens() -> None:
    grants = build_grants()
    client = await grants.client()
    token = (await grants.sign_in(client))["refresh_token"]
    answers = await asyncio.gather(*(grants.refresh(client, token) for _ in range(5)))
    # Retries within the reuse interval get the one answer again, never a second set of tokens.
    issued = {body["refresh_token"] for status, body in answers if status == 200}
    assert len(issued) <= 1


async def test_a_grant_ends_thirty_days_after_sign_in_however_often_it_is_refreshed() -> None:
    grants = build_grants()
    client = await grants.client()
    token = (await grants.sign_in(client))["refresh_token"]
    for _ in range(4):  # days 7, 14, 21, 28: each refresh works and rotates
        grants.world.clock.advance(7 * DAY)
        status, body = await grants.refresh(client, token)
        assert status == 200, body
        token = body["refresh_token"]
    grants.world.clock.advance(timedelta(days=2) - timedelta(minutes=5))  # 5 minutes left
    status, last = await grants.refresh(client, token)
    assert status == 200
    assert last["expires_in"] <= 5 * 60  # no access token outlives the grant
    grants.world.clock.advance(timedelta(minutes=6))
    status, body = await grants.refresh(client, last["refresh_token"])
    assert (status, body["error"]) == (400, "invalid_grant")
    assert "maximum age" in body["error_description"] or "expired" in body["error_description"]


async def test_refreshes_within_the_recheck_interval_do_not_ask_the_identity_provider() -> None:
    upstream = FakeUpstream()
    grants = build_grants(upstream)
    client = await grants.client()
    token = (await grants.sign_in(client))["refresh_token"]
    for _ in range(3):
        grants.world.clock.advance(timedelta(minutes=4))
        status, body = await grants.refresh(client, token)
        assert status == 200
        token = body["refresh_token"]
    assert upstream.revalidations == []
    grants.world.clock.advance(timedelta(minutes=4))  # 16 minutes since sign-in
    assert (await grants.refresh(client, token))[0] == 200
    assert len(upstream.revalidations) == 1
    assert upstream.revalidations[0].refresh_token is not None


async def test_a_user_disabled_at_the_identity_provider_loses_the_grant_at_the_next_recheck() -> (
    None
):
    upstream = FakeUpstream()
    grants = build_grants(upstream)
    client = await grants.client()
    tokens = await grants.sign_in(client)
    upstream.disabled = True
    grants.world.clock.advance(timedelta(minutes=16))
    status, body = await grants.refresh(client, tokens["refresh_token"])
    assert (status, body["error"]) == (400, "invalid_grant")
    assert "identity provider" in body["error_description"]
    upstream.disabled = False  # even if re-enabled, this grant is over: sign in again
    assert (await grants.refresh(client, tokens["refresh_token"]))[0] == 400


async def test_a_user_who_lost_write_at_the_identity_provider_is_narrowed_to_read() -> None:
    upstream = FakeUpstream()
    grants = build_grants(upstream)
    client = await grants.client()
    tokens = await grants.sign_in(client)
    assert tokens["scope"] == "read:jamf write:jamf"
    upstream.scopes = frozenset({"read:jamf"})
    grants.world.clock.advance(timedelta(minutes=16))
    status, body = await grants.refresh(client, tokens["refresh_token"])
    assert status == 200
    assert body["scope"] == "read:jamf"
    principal = await grants.accepted(body["access_token"])
    assert principal is not None and principal.scopes == frozenset({"read:jamf"})
    # The narrowing sticks: asking for write again is outside the grant now.
    again = await grants.refresh(client, body["refresh_token"], scope="read:jamf write:jamf")
    assert again[1]["error"] == "invalid_scope"


async def test_a_user_who_lost_every_api_scope_loses_the_grant() -> None:
    upstream = FakeUpstream()
    grants = build_grants(upstream)
    client = await grants.client()
    tokens = await grants.sign_in(client)
    upstream.scopes = frozenset()
    grants.world.clock.advance(timedelta(minutes=16))
    assert (await grants.refresh(client, tokens["refresh_token"]))[1]["error"] == "invalid_grant"
    assert await grants.accepted(tokens["access_token"]) is None


async def test_an_identity_provider_outage_refuses_the_refresh_but_keeps_the_token() -> None:
    upstream = FakeUpstream()
    grants = build_grants(upstream)
    client = await grants.client()
    token = (await grants.sign_in(client))["refresh_token"]
    upstream.unreachable = True
    grants.world.clock.advance(timedelta(minutes=16))
    status, body = await grants.refresh(client, token)
    assert (status, body["error"]) == (503, "temporarily_unavailable")
    upstream.unreachable = False
    status, body = await grants.refresh(client, token)
    assert status == 200, body


async def test_a_grant_whose_upstream_credentials_cannot_be_opened_ends_at_the_recheck() -> None:
    upstream = FakeUpstream()
    grants = build_grants(upstream)
    client = await grants.client()
    token = (await grants.sign_in(client))["refresh_token"]
    upstream.refresh_tokens.clear()  # as if the signing key (and so the sealing key) changed
    grants.world.clock.advance(timedelta(minutes=16))
    assert (await grants.refresh(client, token))[1]["error"] == "invalid_grant"


@pytest.mark.parametrize("kind", ["code", "refresh"])
async def test_the_upstream_refresh_token_is_stored_sealed_never_in_the_clear(kind: str) -> None:
    upstream = FakeUpstream()
    grants = build_grants(upstream)
    client = await grants.client()
    tokens = await grants.sign_in(client)
    if kind == "refresh":
        grants.world.clock.advance(timedelta(minutes=16))
        tokens = (await grants.refresh(client, tokens["refresh_token"]))[1]
    store = grants.world.store
    kept = [
        grant.upstream
        for _, grant in vars(store)["_refresh"]._items.values()
        if not isinstance(grant, str)
    ]
    (live,) = upstream.refresh_tokens
    assert kept and all(sealed and live not in sealed for sealed in kept)
    seal = CredentialSeal(signing_key().derive_secret(SEAL_PURPOSE))
    assert seal.open(kept[-1]) == UpstreamCredentials(refresh_token=live)
    other_key = CredentialSeal(b"k" * 32)
    assert other_key.open(kept[-1]) == UpstreamCredentials()  # useless without the key
