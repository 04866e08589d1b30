"""A pre-registered client (the connector settings form) keeps every defence of issue 12: its
grants end and can be revoked, it authenticates only with its secret, the registration cap never
evicts it, and a registration cannot take its place."""

from __future__ import annotations

import base64
from datetime import timedelta

from jamf_mcp.adapters.oauth_server.pre_registered import (
    InMemoryPreRegisteredClients,
    PreRegisteredDirectory,
    configured_client,
    new_pre_registered_client,
)
from tests.security.front_door_world import Grants, build_grants
from tests.unit.oauth_server.oauth_fakes import CHATGPT_REDIRECT, code_for

FORM_SCOPES = "openid profile email read:jamf write:jamf"


def with_form_client(**options: object) -> tuple[Grants, str, str]:
    client, secret = new_pre_registered_client("ChatGPT", [CHATGPT_REDIRECT], now=1)
    directory = PreRegisteredDirectory(InMemoryPreRegisteredClients([client]))
    return build_grants(pre_registered=directory, **options), client.client_id, secret


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


async def sign_in(grants: Grants, client_id: str, secret: str) -> dict[str, object]:
    code, verifier, _ = await code_for(grants.world, client_id, scope=FORM_SCOPES)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": CHATGPT_REDIRECT,
    }
    reply = await grants.world.front_door.token(form, basic(client_id, secret))
    assert reply.status == 200, reply.body
    return reply.body


async def test_basic_and_post_work_and_anything_else_is_refused() -> None:
    grants, client_id, secret = with_form_client()
    tokens = await sign_in(grants, client_id, secret)
    assert set(str(tokens["scope"]).split()) == set(FORM_SCOPES.split())
    refresh = {"grant_type": "refresh_token", "refresh_token": str(tokens["refresh_token"])}
    door = grants.world.front_door
    for form, header in [
        ({**refresh, "client_id": client_id}, None),  # no secret: not a public client
        ({**refresh, "client_id": client_id, "client_secret": "x" * 43}, None),
        (refresh, basic(client_id, secret[:-1] + "A")),
        ({**refresh, "client_id": "jmp_other"}, basic(client_id, secret)),
    ]:
        refused = await door.token(form, header)
        assert (refused.status, refused.body["error"]) == (401, "invalid_client")
    posted = await door.token({**refresh, "client_id": client_id, "client_secret": secret}, None)
    assert posted.status == 200, posted.body


async def test_its_grants_are_revoked_by_client_like_any_other() -> None:
    grants, client_id, secret = with_form_client()
    tokens = await sign_in(grants, client_id, secret)
    assert await grants.world.front_door.revoker.revoke_client(client_id) == 1
    assert await grants.accepted(str(tokens["access_token"])) is None
    status, body = await grants.refresh(client_id, str(tokens["refresh_token"]), secret=secret)
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_its_grants_end_thirty_days_after_sign_in() -> None:
    grants, client_id, secret = with_form_client()
    token = str((await sign_in(grants, client_id, secret))["refresh_token"])
    grants.world.clock.advance(timedelta(days=30, seconds=1))
    status, body = await grants.refresh(client_id, token, secret=secret)
    assert (status, body["error"]) == (400, "invalid_grant")


async def test_the_registration_cap_never_evicts_it_and_a_full_store_still_lets_it_sign_in() -> (
    None
):
    grants, client_id, secret = with_form_client(max_clients=2)
    for _ in range(2):  # two registered clients, each signed in: the store is full of live grants
        await grants.sign_in(await grants.client())
    refused = await grants.world.front_door.register(
        b'{"redirect_uris": ["' + CHATGPT_REDIRECT.encode() + b'"]}'
    )
    assert refused.status == 503
    await sign_in(grants, client_id, secret)


async def test_a_configured_client_wins_over_a_stored_one_with_the_same_id() -> None:
    stored, _ = new_pre_registered_client("Old", [CHATGPT_REDIRECT], now=1)
    configured = configured_client(stored.client_id, "c" * 40, [CHATGPT_REDIRECT], "Configured")
    directory = PreRegisteredDirectory(InMemoryPreRegisteredClients([stored]), [configured])
    found = await directory.client(stored.client_id)
    assert found is not None and found.client_name == "Configured"
