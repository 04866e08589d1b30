"""Revocation and re-validation across two replicas sharing Redis, with no sticky routing:
RFC 7009 at one replica ends the grant at the other, the operator's `jamf-mcp auth revoke` ends a
person's or a client's grants everywhere, and a sign-in works whichever replica each of its steps
reaches (the development IdP's state is shared too)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import RunningServer
from tests.security.replicas import Replicas, sign_in_across, two_replicas
from tests.security.sign_in_support import Client, register

pytestmark = pytest.mark.e2e

CALLBACK = "http://127.0.0.1:9/callback"


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replicas]:
    users = "alice=read:jamf write:jamf;bob=read:jamf;carol=read:jamf write:jamf;dave=read:jamf"
    with two_replicas(
        Path(tmp_path_factory.mktemp("revocation")), {"JAMF_MCP_DEV_USERS": users}
    ) as pair:
        yield pair


async def _tokens(replicas: Replicas, client: Client, code: str, at: RunningServer) -> Any:
    form = {
        "grant_type": "authorization_code",
        "client_id": client.client_id,
        "code": code,
        "code_verifier": client.verifier,
        "redirect_uri": client.redirect_uri,
    }
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.post(f"{at.base_url}/auth/token", data=form)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def _post(at: RunningServer, path: str, form: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(f"{at.base_url}{path}", data=form)


async def _ping(at: RunningServer, token: str) -> int:
    call = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json, text/event-stream"}
    async with httpx.AsyncClient(timeout=30) as http:
        return (await http.post(at.mcp_url, json=call, headers=headers)).status_code


async def _refused_within(at: RunningServer, token: str, seconds: float = 5.0) -> int:
    """Ping until refused (the denylist reaches a replica within a second) or time is up."""
    deadline = time.monotonic() + seconds
    while True:
        status = await _ping(at, token)
        if status == 401 or time.monotonic() > deadline:
            return status
        await asyncio.sleep(0.05)


async def _signed_in(
    replicas: Replicas, username: str, client: Client | None = None
) -> tuple[Client, Any]:
    client = client or await register(replicas.public_url, CALLBACK)
    a, b = replicas.a, replicas.b
    code = await sign_in_across(replicas, client, username, [a, b, a, b])
    return client, await _tokens(replicas, client, code, b)


async def test_a_sign_in_works_whichever_replica_each_of_its_steps_reaches(
    replicas: Replicas,
) -> None:
    client = await register(replicas.public_url, CALLBACK)
    a, b = replicas.a, replicas.b
    for route in ([a, b, a, b], [b, a, b, a], [b, b, a, a]):
        code = await sign_in_across(replicas, client, "alice", route)
        tokens = await _tokens(replicas, client, code, route[-1])
        assert [await _ping(r, tokens["access_token"]) for r in (a, b)] == [200, 200]


async def test_revoking_a_refresh_token_at_one_replica_ends_the_grant_at_the_other(
    replicas: Replicas,
) -> None:
    client, tokens = await _signed_in(replicas, "alice")
    revoked = await _post(
        replicas.a,
        "/auth/revoke",
        {"client_id": client.client_id, "token": tokens["refresh_token"]},
    )
    assert (revoked.status_code, revoked.json()) == (200, {})
    refresh = {
        "grant_type": "refresh_token",
        "client_id": client.client_id,
        "refresh_token": tokens["refresh_token"],
    }
    assert (await _post(replicas.b, "/auth/token", refresh)).json()["error"] == "invalid_grant"
    assert await _refused_within(replicas.b, tokens["access_token"]) == 401
    assert await _refused_within(replicas.a, tokens["access_token"]) == 401


async def test_revoking_an_access_token_at_one_replica_ends_its_grant_everywhere(
    replicas: Replicas,
) -> None:
    client, tokens = await _signed_in(replicas, "alice")
    form = {
        "client_id": client.client_id,
        "token": tokens["access_token"],
        "token_type_hint": "access_token",
    }
    assert (await _post(replicas.b, "/auth/revoke", form)).status_code == 200
    assert await _refused_within(replicas.a, tokens["access_token"]) == 401
    refresh = {
        "grant_type": "refresh_token",
        "client_id": client.client_id,
        "refresh_token": tokens["refresh_token"],
    }
    assert (await _post(replicas.a, "/auth/token", refresh)).status_code == 400


async def test_the_operator_revokes_every_grant_and_token_of_a_person_on_every_replica(
    replicas: Replicas,
) -> None:
    _, in_chatgpt = await _signed_in(replicas, "carol")
    _, in_claude = await _signed_in(replicas, "carol")
    scripted = replicas.dev_token("carol")
    _, daves = await _signed_in(replicas, "dave")
    assert await _ping(replicas.b, scripted) == 200
    done = replicas.jamf_mcp("auth", "revoke", "--subject", "carol")
    assert done.returncode == 0, done.stderr
    assert "Revoked 2 grant(s) of subject carol" in done.stdout
    for token in (in_chatgpt["access_token"], in_claude["access_token"], scripted):
        for replica in (replicas.a, replicas.b):
            assert await _refused_within(replica, token) == 401
    assert await _ping(replicas.a, daves["access_token"]) == 200  # nobody else
    await asyncio.sleep(1.0)  # a token issued in the same second as the revocation is refused
    _, again = await _signed_in(replicas, "carol")
    assert await _ping(replicas.b, again["access_token"]) == 200


async def test_the_operator_revokes_every_grant_of_a_client_on_every_replica(
    replicas: Replicas,
) -> None:
    rogue, rogues = await _signed_in(replicas, "alice")
    _, honest = await _signed_in(replicas, "alice")
    done = replicas.jamf_mcp("auth", "revoke", "--client", rogue.client_id)
    assert done.returncode == 0, done.stderr
    assert await _refused_within(replicas.b, rogues["access_token"]) == 401
    assert await _ping(replicas.b, honest["access_token"]) == 200
    refresh = {
        "grant_type": "refresh_token",
        "client_id": rogue.client_id,
        "refresh_token": rogues["refresh_token"],
    }
    assert (await _post(replicas.a, "/auth/token", refresh)).status_code == 400


def test_the_revoke_command_without_shared_state_says_why_it_cannot_work(
    replicas: Replicas,
) -> None:
    env = {k: v for k, v in replicas.env().items() if k != "REDIS_URL"}
    done = replicas.jamf_mcp("auth", "revoke", "--subject", "carol", env=env)
    assert done.returncode == 2
    assert "REDIS_URL" in done.stderr and "restart" in done.stderr
    nothing = replicas.jamf_mcp("auth", "revoke")
    assert nothing.returncode == 2 and "--subject" in nothing.stderr
