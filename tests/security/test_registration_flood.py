"""Flooding dynamic client registration: requests that are not JSON, too many or too long
redirect URIs, too many registrations from one address a day, and a store filled with throw-away
clients — which must never push out a client someone is signed in with."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jamf_mcp.adapters.oauth_server import FrontDoorConfig, InMemoryOAuthStateStore
from jamf_mcp.adapters.oauth_server.front_door import FrontDoor
from tests.e2e.conftest import RunningServer, start_server, stop_server
from tests.security.replicas import Replicas, sign_in_across
from tests.security.sign_in_support import register
from tests.unit.oauth_server.oauth_fakes import (
    ISSUER,
    FakeUpstream,
    signing_key,
    start_clock,
)

CALLBACK = "http://127.0.0.1:9/callback"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(
        Path(tmp_path_factory.mktemp("registration")),
        {
            "JAMF_MCP_AUTH": "dev",
            "JAMF_MCP_REGISTRATIONS_PER_IP_PER_DAY": "5",
            "JAMF_MCP_MAX_CLIENTS": "4",
            # The test speaks for several addresses, as a load balancer would report them.
            "JAMF_MCP_PROXY_HEADERS": "1",
            "JAMF_MCP_FORWARDED_ALLOW_IPS": "127.0.0.1",
        },
    )
    yield running
    stop_server(running)


async def _register(
    server: RunningServer, address: str, body: object = None, **headers: str
) -> httpx.Response:
    payload = body if body is not None else {"redirect_uris": [CALLBACK]}
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.post(
            f"{server.base_url}/auth/register",
            content=payload if isinstance(payload, bytes) else json.dumps(payload).encode(),
            headers={"X-Forwarded-For": address, "Content-Type": "application/json", **headers},
        )


@pytest.mark.e2e
@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""],
)
async def test_a_registration_that_is_not_json_is_refused_415(
    server: RunningServer, content_type: str
) -> None:
    answer = await _register(server, "192.0.2.1", **{"Content-Type": content_type})
    assert answer.status_code == 415
    assert answer.json()["error"] == "invalid_client_metadata"


@pytest.mark.e2e
async def test_one_address_may_register_only_so_many_clients_a_day(server: RunningServer) -> None:
    answers = [await _register(server, "198.51.100.7") for _ in range(6)]
    assert [a.status_code for a in answers] == [201] * 5 + [429]
    assert answers[-1].json()["error"] == "slow_down"
    assert int(answers[-1].headers["retry-after"]) > 3600  # a day's bucket refills slowly
    assert (await _register(server, "198.51.100.8")).status_code == 201  # others are not hit


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("redirect_uris", "status"),
    [
        ([f"https://client.example/cb/{n}" for n in range(10)], 201),
        ([f"https://client.example/cb/{n}" for n in range(11)], 400),
        (["https://client.example/" + "a" * (512 - 23)], 201),
        (["https://client.example/" + "a" * (513 - 23)], 400),
    ],
)
async def test_redirect_uris_are_capped_in_number_and_length(
    server: RunningServer, redirect_uris: list[str], status: int
) -> None:
    address = f"203.0.113.{len(redirect_uris) + len(redirect_uris[0])}"
    answer = await _register(server, address, {"redirect_uris": redirect_uris})
    assert answer.status_code == status, answer.text


async def test_a_flood_of_registrations_keeps_the_store_at_its_cap() -> None:
    clock = start_clock()
    store = InMemoryOAuthStateStore(clock)
    config = FrontDoorConfig(issuer=ISSUER, resource=ISSUER + "/mcp", max_clients=50)
    front_door = FrontDoor(config, signing_key(), FakeUpstream(), store, None, clock)
    body = json.dumps({"redirect_uris": [CALLBACK], "client_name": "x" * 500}).encode()
    replies = [await front_door.register(body) for _ in range(1000)]
    assert all(reply.status == 201 for reply in replies)
    assert len(vars(store)["_clients"]) == 50
    newest = str(replies[-1].body["client_id"])
    assert await store.client(newest) is not None
    assert await store.client(str(replies[0].body["client_id"])) is None


@pytest.fixture
def full_house(tmp_path: Path) -> Iterator[Replicas]:
    from tests.security.replicas import two_replicas

    with two_replicas(tmp_path, {"JAMF_MCP_MAX_CLIENTS": "3"}) as pair:
        yield pair


@pytest.mark.e2e
async def test_clients_with_live_grants_are_never_evicted_and_a_full_house_refuses_newcomers(
    full_house: Replicas,
) -> None:
    pair = full_house
    signed_in = []
    async with httpx.AsyncClient(timeout=30) as http:
        for _ in range(2):
            client = await register(pair.public_url, CALLBACK)
            code = await sign_in_across(pair, client, "alice", [pair.a, pair.b, pair.a, pair.b])
            redeemed = await http.post(
                f"{pair.b.base_url}/auth/token",
                data={
                    "grant_type": "authorization_code",
                    "client_id": client.client_id,
                    "code": code,
                    "code_verifier": client.verifier,
                    "redirect_uri": CALLBACK,
                },
            )
            assert redeemed.status_code == 200, redeemed.text  # now the client has a live grant
            signed_in.append(client)
        flood = [
            await http.post(f"{pair.a.base_url}/auth/register", json={"redirect_uris": [CALLBACK]})
            for _ in range(20)
        ]
        assert all(answer.status_code == 201 for answer in flood)  # they push each other out
        for client in signed_in:
            page = await http.get(client.authorize_url().replace(pair.public_url, pair.b.base_url))
            assert page.status_code == 200, page.text  # still known: never evicted
        third = await register(pair.public_url, CALLBACK)
        code = await sign_in_across(pair, third, "alice", [pair.a, pair.a, pair.a, pair.a])
        await http.post(
            f"{pair.a.base_url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "client_id": third.client_id,
                "code": code,
                "code_verifier": third.verifier,
                "redirect_uri": CALLBACK,
            },
        )
        refused = await http.post(
            f"{pair.b.base_url}/auth/register", json={"redirect_uris": [CALLBACK]}
        )
    assert refused.status_code == 503
    assert refused.json()["error"] == "temporarily_unavailable"
