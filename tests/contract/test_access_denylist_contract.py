"""The `AccessDenylist` contract, run against the in-memory list and the Redis one."""

from __future__ import annotations

import time

import pytest

from jamf_mcp.adapters.oauth_server import AccessDenylist, Denial, InMemoryAccessDenylist
from jamf_mcp.adapters.oauth_server.denylist import GRANT, SUBJECT, subject_key
from jamf_mcp.adapters.redis import RedisAccessDenylist
from jamf_mcp.adapters.system.clock import SystemClock
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[AccessDenylist]:
    if request.param == "memory":
        memory = InMemoryAccessDenylist(SystemClock(), capacity=5)
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(
        lambda: RedisAccessDenylist(space.connect(), SystemClock(), prefix=space.prefix, capacity=5)
    )


def _denial(kind: str = GRANT, value: str = "sid-1", *, lives: float = 60.0) -> Denial:
    now = time.time()
    return Denial(kind, value, round(now, 3), round(now + lives, 3))


async def test_a_denial_added_at_one_replica_is_listed_at_another_with_a_new_version(
    replicas: Replicas[AccessDenylist],
) -> None:
    before = await replicas.first.version()
    grant, person = _denial(GRANT, "sid-abc"), _denial(SUBJECT, subject_key("alice"))
    await replicas.first.add([grant, person])
    other = replicas.another()
    version, entries = await other.entries()
    assert version == await other.version() != before
    assert sorted(entries, key=lambda d: d.kind) == [grant, person]


async def test_denials_are_forgotten_once_no_token_they_refuse_can_be_alive(
    replicas: Replicas[AccessDenylist],
) -> None:
    await replicas.first.add([_denial(value="gone", lives=-1.0), _denial(value="live")])
    _, entries = await replicas.another().entries()
    assert [d.value for d in entries] == ["live"]


async def test_the_list_is_capped_keeping_the_denials_that_live_longest(
    replicas: Replicas[AccessDenylist],
) -> None:
    await replicas.first.add([_denial(value=f"sid-{n}", lives=60.0 + n) for n in range(8)])
    _, entries = await replicas.another().entries()
    assert sorted(d.value for d in entries) == [f"sid-{n}" for n in range(3, 8)]


async def test_adding_nothing_changes_nothing(replicas: Replicas[AccessDenylist]) -> None:
    await replicas.first.add([_denial()])
    version = await replicas.first.version()
    await replicas.first.add([])
    assert await replicas.another().version() == version
