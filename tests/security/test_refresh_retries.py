"""A retried refresh (its answer was lost) gets the same answer within the reuse interval — and
that interval is no replay hole: not after it, not for another client, not with other parameters,
not once the new token was used, not for a revoked user; the kept answer is sealed; and a retry
reaching another replica gets the same answer there (ADR 0031)."""

from __future__ import annotations

from datetime import timedelta

from jamf_mcp.adapters.oauth_server import FrontDoor, FrontDoorConfig, InMemoryOAuthStateStore
from jamf_mcp.adapters.oauth_server.refresh_retries import InMemoryRefreshAnswers
from jamf_mcp.adapters.redis import RedisAccessDenylist, RedisOAuthStateStore
from jamf_mcp.adapters.redis.refresh_answers import RedisRefreshAnswers
from jamf_mcp.adapters.system.clock import SystemClock
from tests.contract.redis_support import RedisSpace, redis_space
from tests.security.front_door_world import Grants, build_grants
from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    ISSUER,
    RESOURCE,
    FakeUpstream,
    World,
    code_for,
    signing_key,
)

__all__ = ["redis_space"]  # the fixture, for the across-replicas test


def past_the_interval(grants: Grants) -> None:
    grants.world.clock.advance(timedelta(seconds=grants.config.refresh_reuse_seconds + 1))


async def test_a_retry_within_the_interval_gets_exactly_the_answer_already_given() -> None:
    grants = build_grants()
    client = await grants.client()
    first = await grants.sign_in(client)
    status, answer = await grants.refresh(client, first["refresh_token"])
    assert status == 200
    grants.world.clock.advance(timedelta(seconds=3))
    status, again = await grants.refresh(client, first["refresh_token"])
    assert (status, again) == (200, answer)
    assert await grants.accepted(answer["access_token"]) is not None
    status, onward = await grants.refresh(client, answer["refresh_token"])  # the grant goes on
    assert status == 200 and onward["refresh_token"] != answer["refresh_token"]


async def test_after_the_interval_a_retry_is_a_replay_and_ends_the_grant() -> None:
    grants = build_grants()
    client = await grants.client()
    first = await grants.sign_in(client)
    _, answer = await grants.refresh(client, first["refresh_token"])
    past_the_interval(grants)
    status, body = await grants.refresh(client, first["refresh_token"])
    assert (status, body["error"]) == (400, "invalid_grant")
    assert (await grants.refresh(client, answer["refresh_token"]))[1]["error"] == "invalid_grant"
    assert await grants.accepted(answer["access_token"]) is None


async def test_another_client_presenting_the_rotated_token_in_the_interval_ends_the_grant() -> None:
    grants = build_grants()
    owner, thief = await grants.client(), await grants.client()
    first = await grants.sign_in(owner)
    _, answer = await grants.refresh(owner, first["refresh_token"])
    status, body = await grants.refresh(thief, first["refresh_token"])
    assert (status, body["error"]) == (400, "invalid_grant")
    assert "access_token" not in body
    assert (await grants.refresh(owner, answer["refresh_token"]))[1]["error"] == "invalid_grant"


async def test_a_retry_with_other_parameters_is_not_the_same_request() -> None:
    grants = build_grants()
    client = await grants.client()
    first = await grants.sign_in(client)
    await grants.refresh(client, first["refresh_token"])
    status, body = await grants.refresh(client, first["refresh_token"], scope="read:jamf")
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_once_the_new_token_was_used_the_old_one_is_a_replay_even_in_the_interval() -> None:
    grants = build_grants()
    client = await grants.client()
    first = await grants.sign_in(client)
    _, second = await grants.refresh(client, first["refresh_token"])
    _, third = await grants.refresh(client, second["refresh_token"])
    status, body = await grants.refresh(client, first["refresh_token"])  # two generations old
    assert (status, body["error"]) == (400, "invalid_grant")
    assert (await grants.refresh(client, third["refresh_token"]))[1]["error"] == "invalid_grant"


async def test_a_retry_after_the_user_was_revoked_gets_nothing() -> None:
    grants = build_grants()
    client = await grants.client()
    first = await grants.sign_in(client)
    _, answer = await grants.refresh(client, first["refresh_token"])
    await grants.world.front_door.revoker.revoke_subject("alice")
    status, body = await grants.refresh(client, first["refresh_token"])
    assert (status, body["error"]) == (400, "invalid_grant")
    assert "access_token" not in body
    assert await grants.accepted(answer["access_token"]) is None


async def test_the_kept_answer_holds_no_token_in_the_clear() -> None:
    answers = InMemoryRefreshAnswers(SystemClock())
    grants = build_grants()
    world = grants.world
    door = FrontDoor(
        world.config,
        signing_key(),
        world.upstream,
        world.store,
        None,
        world.clock,
        refresh_answers=answers,
    )
    client = str(
        (
            await door.register(
                b'{"redirect_uris": ["'
                + CHATGPT_REDIRECT.encode()
                + b'"], "token_endpoint_auth_method": "none"}'
            )
        ).body["client_id"]
    )
    tokens = await _sign_in(
        World(door, world.upstream, world.store, world.clock, world.config), client
    )
    form = {
        "grant_type": "refresh_token",
        "client_id": client,
        "refresh_token": tokens["refresh_token"],
    }
    answer = (await door.token(form, None)).body
    kept = repr(answers._answers)  # what a copy of the store would show
    for secret in (tokens["refresh_token"], answer["refresh_token"], answer["access_token"]):
        assert secret not in kept
    assert (await door.token(form, None)).body == answer


async def _sign_in(world: World, client_id: str) -> dict[str, str]:
    code, verifier, _ = await code_for(world, client_id)
    form = {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": CHATGPT_REDIRECT,
    }
    reply = await world.front_door.token(form, None)
    assert reply.status == 200, reply.body
    return reply.body


async def test_a_retry_reaching_another_replica_gets_the_same_answer_there(
    redis_space: RedisSpace,
) -> None:
    upstream = FakeUpstream()
    clock = SystemClock()
    config = FrontDoorConfig(issuer=ISSUER, resource=RESOURCE)

    def replica() -> FrontDoor:
        redis = redis_space.connect()
        return FrontDoor(
            config,
            signing_key(),
            upstream,
            RedisOAuthStateStore(redis, prefix=redis_space.prefix),
            None,
            clock,
            denylist=RedisAccessDenylist(redis, clock, prefix=redis_space.prefix),
            refresh_answers=RedisRefreshAnswers(redis, prefix=redis_space.prefix),
        )

    a, b = replica(), replica()
    registered = await a.register(
        b'{"redirect_uris": ["'
        + CHATGPT_REDIRECT.encode()
        + b'"], "token_endpoint_auth_method": "none"}'
    )
    client = str(registered.body["client_id"])
    tokens = await _sign_in(
        World(a, upstream, InMemoryOAuthStateStore(clock), clock, config), client
    )
    form = {
        "grant_type": "refresh_token",
        "client_id": client,
        "refresh_token": tokens["refresh_token"],
    }
    answer = await a.token(form, None)
    retried = await b.token(form, None)
    assert answer.status == 200
    assert (retried.status, retried.body) == (200, answer.body)
    sealed = [
        key
        async for key in redis_space.clients[0].scan_iter(
            match=f"{redis_space.prefix}oauth:refresh-answer:*"
        )
    ]
    assert len(sealed) == 1
    stored = await redis_space.clients[0].get(sealed[0])
    assert answer.body["refresh_token"].encode() not in stored
    assert answer.body["access_token"].encode() not in stored
