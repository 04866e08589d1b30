"""The `PreRegisteredClients` contract, run against memory, the data-directory file and Redis."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamf_mcp.adapters.local_files.oauth_clients import FilePreRegisteredClients
from jamf_mcp.adapters.oauth_server.handles import digest
from jamf_mcp.adapters.oauth_server.pre_registered import (
    InMemoryPreRegisteredClients,
    PreRegisteredClients,
    new_pre_registered_client,
)
from jamf_mcp.adapters.redis.oauth_clients import RedisPreRegisteredClients
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

CHATGPT = "https://chatgpt.com/connector_platform_oauth_redirect"


@pytest.fixture(params=[*STORE_BACKENDS, "file"])
def replicas(request: pytest.FixtureRequest, tmp_path: Path) -> Replicas[PreRegisteredClients]:
    if request.param == "memory":
        memory = InMemoryPreRegisteredClients()
        return Replicas(lambda: memory)
    if request.param == "file":  # "another replica" is another process reading the same file
        return Replicas(lambda: FilePreRegisteredClients(tmp_path / "oauth-clients.json"))
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisPreRegisteredClients(space.connect(), prefix=space.prefix))


async def test_a_client_added_at_one_replica_is_found_at_another_with_only_its_secret_digest(
    replicas: Replicas[PreRegisteredClients],
) -> None:
    client, secret = new_pre_registered_client("ChatGPT", [CHATGPT], now=1_700_000_000)
    await replicas.first.add(client)
    found = await replicas.another().client(client.client_id)
    assert found == client
    assert found is not None and found.pre_registered
    assert found.secret_digest == digest(secret) and secret not in repr(found)
    assert found.redirect_uris == (CHATGPT,)


async def test_clients_are_listed_oldest_first_and_removed_everywhere(
    replicas: Replicas[PreRegisteredClients],
) -> None:
    older, _ = new_pre_registered_client("Old", [CHATGPT], now=1)
    newer, _ = new_pre_registered_client("New", [CHATGPT], now=2)
    await replicas.first.add(newer)
    await replicas.first.add(older)
    other = replicas.another()
    assert [c.client_name for c in await other.all()] == ["Old", "New"]
    assert await other.remove(older.client_id) is True
    assert await other.remove(older.client_id) is False  # idempotent
    assert await replicas.first.client(older.client_id) is None
    assert [c.client_name for c in await replicas.first.all()] == ["New"]


async def test_adding_the_same_client_twice_keeps_one(
    replicas: Replicas[PreRegisteredClients],
) -> None:
    client, _ = new_pre_registered_client("ChatGPT", [CHATGPT], now=5)
    await replicas.first.add(client)
    await replicas.another().add(client)  # a retried command
    assert await replicas.first.all() == [client]


async def test_an_unknown_client_is_none(replicas: Replicas[PreRegisteredClients]) -> None:
    assert await replicas.first.client("jmp_nobody") is None
    assert await replicas.first.all() == []
