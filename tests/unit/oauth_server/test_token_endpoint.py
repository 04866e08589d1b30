"""The token endpoint: codes (single use, expiry, PKCE, redirect URI), refresh rotation, scopes."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwt import JWTClaimsRegistry

from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    ISSUER,
    RESOURCE,
    FakeUpstream,
    World,
    build_world,
    code_for,
    register,
    signing_key,
)


async def _public_client(world: World) -> str:
    return str((await register(world, token_endpoint_auth_method="none"))["client_id"])


def _code_form(client_id: str, code: str, verifier: str, **extra: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "client_id": client_id,
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": CHATGPT_REDIRECT,
        "resource": RESOURCE,
        **extra,
    }


def _claims(token: str) -> dict[str, Any]:
    decoded = jwt.decode(token, signing_key().public_key_set(), algorithms=["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER}, aud={"essential": True, "value": RESOURCE}
    ).validate(decoded.claims)
    return dict(decoded.claims)


async def test_a_code_buys_a_signed_access_token_for_this_resource_and_a_refresh_token() -> None:
    world = build_world()
    client_id = await _public_client(world)
    code, verifier, query = await code_for(world, client_id)
    assert (query["state"], query["iss"]) == ("oauth_s_123", ISSUER)
    reply = await world.front_door.token(_code_form(client_id, code, verifier), None)
    assert reply.status == 200, reply.body
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.body["token_type"] == "Bearer"
    assert reply.body["expires_in"] == 900
    assert reply.body["scope"] == "read:jamf write:jamf"
    assert len(reply.body["refresh_token"]) >= 43
    claims = _claims(reply.body["access_token"])
    assert claims["sub"] == "alice"
    assert claims["client_id"] == client_id
    assert claims["scope"] == "read:jamf write:jamf"
    assert claims["upstream_iss"] == "https://idp.example.test"
    assert claims["email"] == "alice@example.test"
    assert claims["exp"] - claims["iat"] == 900


async def test_bob_with_read_only_upstream_access_gets_only_read_jamf() -> None:
    world = build_world(FakeUpstream("bob", frozenset({"read:jamf"})))
    client_id = await _public_client(world)
    code, verifier, _ = await code_for(world, client_id, scope="openid read:jamf write:jamf")
    reply = await world.front_door.token(_code_form(client_id, code, verifier), None)
    assert reply.body["scope"] == "openid read:jamf"
    assert _claims(reply.body["access_token"])["scope"] == "openid read:jamf"


async def test_a_user_with_none_of_the_requested_api_scopes_is_sent_back_with_access_denied() -> (
    None
):
    world = build_world(FakeUpstream("bob", frozenset({"read:jamf"})))
    client_id = await _public_client(world)
    code, _, query = await code_for(world, client_id, scope="write:jamf")
    assert code == ""
    assert (query["error"], query["state"], query["iss"]) == (
        "access_denied",
        "oauth_s_123",
        ISSUER,
    )


async def test_a_code_works_only_once_and_replaying_it_revokes_its_refresh_tokens() -> None:
    world = build_world()
    client_id = await _public_client(world)
    code, verifier, _ = await code_for(world, client_id)
    first = await world.front_door.token(_code_form(client_id, code, verifier), None)
    assert first.status == 200
    replay = await world.front_door.token(_code_form(client_id, code, verifier), None)
    assert (replay.status, replay.body["error"]) == (400, "invalid_grant")
    refresh = {"grant_type": "refresh_token", "client_id": client_id}
    refreshed = await world.front_door.token(
        {**refresh, "refresh_token": first.body["refresh_token"]}, None
    )
    assert refreshed.body["error"] == "invalid_grant"


async def test_an_expired_code_is_refused() -> None:
    world = build_world()
    client_id = await _public_client(world)
    code, verifier, _ = await code_for(world, client_id)
    world.clock.advance(timedelta(seconds=61))
    reply = await world.front_door.token(_code_form(client_id, code, verifier), None)
    assert reply.body["error"] == "invalid_grant"


async def test_a_wrong_pkce_verifier_is_refused_and_burns_the_code() -> None:
    world = build_world()
    client_id = await _public_client(world)
    code, verifier, _ = await code_for(world, client_id)
    wrong = await world.front_door.token(_code_form(client_id, code, "x" * 43), None)
    assert wrong.body == {
        "error": "invalid_grant",
        "error_description": wrong.body["error_description"],
    }
    right = await world.front_door.token(_code_form(client_id, code, verifier), None)
    assert right.body["error"] == "invalid_grant"


@pytest.mark.parametrize("redirect_uri", ["https://chatgpt.com/other", ""])
async def test_a_different_or_missing_redirect_uri_is_refused(redirect_uri: str) -> None:
    world = build_world()
    client_id = await _public_client(world)
    code, verifier, _ = await code_for(world, client_id)
    form = _code_form(client_id, code, verifier, redirect_uri=redirect_uri)
    reply = await world.front_door.token(form, None)
    assert reply.body["error"] == "invalid_grant"


async def test_a_code_issued_to_another_client_is_refused() -> None:
    world = build_world()
    owner, thief = await _public_client(world), await _public_client(world)
    code, verifier, _ = await code_for(world, owner)
    reply = await world.front_door.token(_code_form(thief, code, verifier), None)
    assert reply.body["error"] == "invalid_grant"


async def test_a_token_request_for_another_resource_is_refused_invalid_target() -> None:
    world = build_world()
    client_id = await _public_client(world)
    code, verifier, _ = await code_for(world, client_id)
    form = _code_form(client_id, code, verifier, resource="https://elsewhere.example/mcp")
    assert (await world.front_door.token(form, None)).body["error"] == "invalid_target"


async def _tokens(world: World, client_id: str) -> dict[str, Any]:
    code, verifier, _ = await code_for(world, client_id)
    reply = await world.front_door.token(_code_form(client_id, code, verifier), None)
    assert reply.status == 200
    return reply.body


async def test_refresh_rotates_the_token_and_the_old_one_stops_working() -> None:
    world = build_world()
    client_id = await _public_client(world)
    old = (await _tokens(world, client_id))["refresh_token"]
    form = {"grant_type": "refresh_token", "client_id": client_id}
    fresh = await world.front_door.token({**form, "refresh_token": old}, None)
    assert fresh.status == 200
    assert fresh.body["refresh_token"] != old
    assert _claims(fresh.body["access_token"])["sub"] == "alice"
    world.clock.advance(timedelta(seconds=world.config.refresh_reuse_seconds + 1))
    stale = await world.front_door.token({**form, "refresh_token": old}, None)
    assert stale.body["error"] == "invalid_grant"


async def test_replaying_a_rotated_refresh_token_revokes_the_whole_family() -> None:
    world = build_world()
    client_id = await _public_client(world)
    old = (await _tokens(world, client_id))["refresh_token"]
    form = {"grant_type": "refresh_token", "client_id": client_id}
    current = (await world.front_door.token({**form, "refresh_token": old}, None)).body
    world.clock.advance(timedelta(seconds=world.config.refresh_reuse_seconds + 1))
    await world.front_door.token({**form, "refresh_token": old}, None)  # the replay
    after = await world.front_door.token({**form, "refresh_token": current["refresh_token"]}, None)
    assert after.body["error"] == "invalid_grant"


async def test_refresh_may_narrow_but_never_widen_the_scope() -> None:
    world = build_world()
    client_id = await _public_client(world)
    token = (await _tokens(world, client_id))["refresh_token"]
    form = {"grant_type": "refresh_token", "client_id": client_id}
    narrow = await world.front_door.token(
        {**form, "refresh_token": token, "scope": "read:jamf"}, None
    )
    assert narrow.body["scope"] == "read:jamf"
    # The rotated token keeps the original grant.
    full = await world.front_door.token(
        {**form, "refresh_token": narrow.body["refresh_token"]}, None
    )
    assert full.body["scope"] == "read:jamf write:jamf"
    wider = await world.front_door.token(
        {**form, "refresh_token": full.body["refresh_token"], "scope": "read:jamf openid"}, None
    )
    assert wider.body["error"] == "invalid_scope"


async def test_an_expired_refresh_token_is_refused() -> None:
    world = build_world()
    client_id = await _public_client(world)
    token = (await _tokens(world, client_id))["refresh_token"]
    world.clock.advance(timedelta(days=31))
    form = {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": token}
    assert (await world.front_door.token(form, None)).body["error"] == "invalid_grant"


async def test_a_refresh_token_of_another_client_is_refused() -> None:
    world = build_world()
    owner, thief = await _public_client(world), await _public_client(world)
    token = (await _tokens(world, owner))["refresh_token"]
    form = {"grant_type": "refresh_token", "client_id": thief, "refresh_token": token}
    assert (await world.front_door.token(form, None)).body["error"] == "invalid_grant"


async def _confidential(world: World, method: str) -> tuple[str, str]:
    body = await register(world, token_endpoint_auth_method=method)
    return str(body["client_id"]), str(body["client_secret"])


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


async def test_a_confidential_client_authenticates_with_its_secret_in_the_body_or_basic() -> None:
    world = build_world()
    client_id, secret = await _confidential(world, "client_secret_post")
    code, verifier, _ = await code_for(world, client_id)
    form = _code_form(client_id, code, verifier, client_secret=secret)
    assert (await world.front_door.token(form, None)).status == 200
    code, verifier, _ = await code_for(world, client_id)
    form = _code_form(client_id, code, verifier)
    del form["client_id"]
    assert (await world.front_door.token(form, _basic(client_id, secret))).status == 200


async def test_a_wrong_secret_over_basic_is_401_with_a_basic_challenge() -> None:
    world = build_world()
    client_id, _ = await _confidential(world, "client_secret_basic")
    code, verifier, _ = await code_for(world, client_id)
    reply = await world.front_door.token(
        _code_form(client_id, code, verifier), _basic(client_id, "wrong")
    )
    assert (reply.status, reply.body["error"]) == (401, "invalid_client")
    assert reply.headers["WWW-Authenticate"].startswith("Basic")


async def test_a_confidential_client_without_its_secret_is_401_without_a_basic_challenge() -> None:
    world = build_world()
    client_id, _ = await _confidential(world, "client_secret_post")
    code, verifier, _ = await code_for(world, client_id)
    reply = await world.front_door.token(_code_form(client_id, code, verifier), None)
    assert (reply.status, reply.body["error"]) == (401, "invalid_client")
    assert "WWW-Authenticate" not in reply.headers


async def test_an_unknown_client_is_invalid_client_and_an_unknown_grant_type_unsupported() -> None:
    world = build_world()
    unknown = await world.front_door.token(
        {"grant_type": "authorization_code", "client_id": "x"}, None
    )
    assert (unknown.status, unknown.body["error"]) == (401, "invalid_client")
    client_id = await _public_client(world)
    reply = await world.front_door.token({"grant_type": "password", "client_id": client_id}, None)
    assert reply.body["error"] == "unsupported_grant_type"
    missing = await world.front_door.token(
        {"grant_type": "authorization_code", "client_id": client_id}, None
    )
    assert missing.body["error"] == "invalid_request"


async def test_issued_handles_are_random_and_long() -> None:
    world = build_world()
    client_id = await _public_client(world)
    codes = {(await code_for(world, client_id))[0] for _ in range(5)}
    assert len(codes) == 5
    assert all(len(code) >= 43 for code in codes)


async def test_the_upstream_callback_redirect_carries_code_state_and_iss() -> None:
    world = build_world()
    client_id = await _public_client(world)
    _, _, query = await code_for(world, client_id)
    assert set(query) == {"code", "state", "iss"}
