"""RFC 7009 revocation and the operator's revocation, against the in-process front door: what a
client may revoke, what it learns, and that revoked access tokens stop at once (not at `exp`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from jamf_mcp.adapters.oidc.signing import access_token_claims
from tests.security.front_door_world import ISSUER, RESOURCE, build_grants
from tests.unit.oauth_server.oauth_fakes import code_for, signing_key


async def test_revoking_a_refresh_token_ends_the_grant_and_its_access_tokens_at_once() -> None:
    grants = build_grants()
    client = await grants.client()
    tokens = await grants.sign_in(client)
    assert await grants.accepted(tokens["access_token"]) is not None  # cached as verified
    assert await grants.revoke(client, tokens["refresh_token"]) == (200, {})
    assert await grants.accepted(tokens["access_token"]) is None  # the cache does not save it
    assert (await grants.refresh(client, tokens["refresh_token"]))[1]["error"] == "invalid_grant"


@pytest.mark.parametrize("hint", [None, "access_token", "refresh_token", "something_else"])
async def test_revoking_an_access_token_ends_its_whole_grant_whatever_the_hint(
    hint: str | None,
) -> None:
    grants = build_grants()
    client = await grants.client()
    tokens = await grants.sign_in(client)
    extra = {} if hint is None else {"token_type_hint": hint}
    assert await grants.revoke(client, tokens["access_token"], **extra) == (200, {})
    assert await grants.accepted(tokens["access_token"]) is None
    assert (await grants.refresh(client, tokens["refresh_token"]))[1]["error"] == "invalid_grant"


async def test_a_client_cannot_revoke_another_clients_grant_and_is_not_told_so() -> None:
    grants = build_grants()
    victim, attacker = await grants.client(), await grants.client()
    tokens = await grants.sign_in(victim)
    for token in (tokens["refresh_token"], tokens["access_token"]):
        assert await grants.revoke(attacker, token) == (200, {})
    assert await grants.accepted(tokens["access_token"]) is not None
    assert (await grants.refresh(victim, tokens["refresh_token"]))[0] == 200


@pytest.mark.parametrize(
    "token", ["unknown-token", "a.b.c", "eyJhbGciOiJub25lIn0.e30.", "x" * 9000, "é"]
)
async def test_unknown_or_malformed_tokens_get_the_same_200_as_real_ones(token: str) -> None:
    grants = build_grants()
    client = await grants.client()
    assert await grants.revoke(client, token) == (200, {})


async def test_revocation_needs_the_same_client_authentication_as_the_token_endpoint() -> None:
    grants = build_grants()
    client, secret = await grants.confidential_client()
    tokens = await grants.sign_in(client, secret)
    status, body = await grants.revoke(client, tokens["refresh_token"])  # no secret
    assert (status, body["error"]) == (401, "invalid_client")
    status, body = await grants.revoke(client, tokens["refresh_token"], secret="wrong")
    assert (status, body["error"]) == (401, "invalid_client")
    assert await grants.accepted(tokens["access_token"]) is not None
    assert (await grants.revoke(client, "", secret=secret))[1]["error"] == "invalid_request"
    assert await grants.revoke(client, tokens["refresh_token"], secret=secret) == (200, {})
    assert await grants.accepted(tokens["access_token"]) is None


async def test_revoking_a_person_ends_every_grant_of_theirs_and_every_token_issued_before() -> None:
    grants = build_grants()
    chatgpt, claude = await grants.client(), await grants.client()
    first, second = await grants.sign_in(chatgpt), await grants.sign_in(claude)
    now = grants.world.clock.now().timestamp()
    scripted = signing_key().sign(  # like `jamf-mcp dev-token`: no grant behind it
        access_token_claims(
            issuer=ISSUER,
            audience=RESOURCE,
            subject="alice",
            scopes={"read:jamf"},
            ttl_seconds=3600,
            now=now,
        )
    )
    assert await grants.accepted(scripted) is not None
    assert await grants.world.front_door.revoker.revoke_subject("alice") == 2
    for token in (first["access_token"], second["access_token"], scripted):
        assert await grants.accepted(token) is None
    for client, tokens in ((chatgpt, first), (claude, second)):
        assert (await grants.refresh(client, tokens["refresh_token"]))[1][
            "error"
        ] == "invalid_grant"
    grants.world.clock.advance(timedelta(seconds=1))
    fresh = await grants.sign_in(chatgpt)  # signing in again afterwards works
    assert await grants.accepted(fresh["access_token"]) is not None


async def test_a_sign_in_still_in_flight_when_its_user_is_revoked_cannot_be_completed() -> None:
    grants = build_grants()
    client = await grants.client()
    code, verifier, _ = await code_for(grants.world, client)
    await grants.world.front_door.revoker.revoke_subject("alice")
    form = {
        "grant_type": "authorization_code",
        "client_id": client,
        "code": code,
        "code_verifier": verifier,
    }
    reply = await grants.world.front_door.token(form, None)
    assert (reply.status, reply.body["error"]) == (400, "invalid_grant")


async def test_revoking_a_client_ends_its_grants_and_no_one_elses() -> None:
    grants = build_grants()
    rogue, honest = await grants.client(), await grants.client()
    rogue_tokens, honest_tokens = await grants.sign_in(rogue), await grants.sign_in(honest)
    assert await grants.world.front_door.revoker.revoke_client(rogue) == 1
    assert await grants.accepted(rogue_tokens["access_token"]) is None
    assert (await grants.refresh(rogue, rogue_tokens["refresh_token"]))[0] == 400
    assert await grants.accepted(honest_tokens["access_token"]) is not None
    assert (await grants.refresh(honest, honest_tokens["refresh_token"]))[0] == 200


async def test_a_denial_is_forgotten_once_the_tokens_it_refuses_have_expired() -> None:
    grants = build_grants()
    client = await grants.client()
    await grants.revoke(client, (await grants.sign_in(client))["refresh_token"])
    _, before = await grants.world.front_door.denylist.entries()
    grants.world.clock.advance(timedelta(seconds=grants.config.access_token_ttl + 61))
    _, after = await grants.world.front_door.denylist.entries()
    assert len(before) == 1 and after == []
