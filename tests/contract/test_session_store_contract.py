"""The `SessionStore` contract, run against the in-memory store and the Redis one.

Idle expiry is driven by an injected clock for both (the Redis store judges idleness by its
clock inside a script; its Redis TTL only collects keys); one test uses the real clock and a
short timeout instead, to show the default clock works the same way.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest

from jamf_mcp.adapters.mcp.sessions import (
    InMemorySessionStore,
    Session,
    SessionStore,
    TooManySessions,
    new_session_id,
)
from jamf_mcp.adapters.redis import RedisSessionStore
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

IDLE = timedelta(minutes=10)
START = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


@attrs.define
class MovableClock:
    """A clock for `SessionStore`s: returns `now` until moved."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def _replicas(
    kind: str,
    request: pytest.FixtureRequest,
    idle: timedelta,
    clock: MovableClock | None,
    **limits: int,
) -> Replicas[SessionStore]:
    options: dict[str, Any] = {} if clock is None else {"clock": clock}
    options.update(limits)
    if kind == "memory":
        memory = InMemorySessionStore(idle, **options)
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(
        lambda: RedisSessionStore(
            space.connect(), prefix=space.prefix, idle_timeout=idle, **options
        )
    )


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest, clock: MovableClock) -> Replicas[SessionStore]:
    return _replicas(request.param, request, IDLE, clock)


@pytest.fixture
def store(replicas: Replicas[SessionStore]) -> SessionStore:
    return replicas.first


def _session(principal_key: str = "https://idp.example#alice", **changes: Any) -> Session:
    session = Session(
        id=new_session_id(),
        principal_key=principal_key,
        protocol_version="2025-11-25",
        client_info={"name": "inspector", "version": "1.0"},
        client_capabilities={"elicitation": {"form": {}}, "roots": {"listChanged": True}},
        created_at=START,
        last_seen_at=START,
    )
    return attrs.evolve(session, **changes)


async def test_a_stored_session_is_returned_as_seen_now(
    store: SessionStore, clock: MovableClock
) -> None:
    session = _session()
    await store.add(session)
    clock.advance(timedelta(minutes=3))
    assert await store.get(session.id) == attrs.evolve(session, last_seen_at=clock.now)


async def test_an_unknown_session_is_none(store: SessionStore) -> None:
    assert await store.get(new_session_id()) is None
    assert await store.remove(new_session_id()) is False


async def test_adding_a_session_with_the_same_id_replaces_it(store: SessionStore) -> None:
    session = _session()
    await store.add(session)
    await store.add(attrs.evolve(session, log_level="warning"))
    got = await store.get(session.id)
    assert got is not None
    assert got.log_level == "warning"


async def test_removing_a_session_forgets_it_and_says_it_was_live(store: SessionStore) -> None:
    session, other = _session(), _session()
    await store.add(session)
    await store.add(other)
    assert await store.remove(session.id) is True
    assert await store.get(session.id) is None
    assert await store.remove(session.id) is False
    assert await store.get(other.id) is not None


async def test_a_session_idle_for_the_timeout_is_gone(
    store: SessionStore, clock: MovableClock
) -> None:
    session = _session()
    await store.add(session)
    clock.advance(IDLE)
    assert await store.get(session.id) is None
    assert await store.remove(session.id) is False


async def test_an_idle_session_cannot_be_removed_as_live(
    store: SessionStore, clock: MovableClock
) -> None:
    session = _session()
    await store.add(session)
    clock.advance(IDLE + timedelta(seconds=1))
    assert await store.remove(session.id) is False


async def test_using_a_session_keeps_it_alive(store: SessionStore, clock: MovableClock) -> None:
    session = _session()
    await store.add(session)
    for _ in range(3):
        clock.advance(IDLE - timedelta(seconds=1))
        assert await store.get(session.id) is not None


async def test_idleness_counts_from_the_last_seen_time_a_session_was_added_with(
    store: SessionStore, clock: MovableClock
) -> None:
    session = _session(last_seen_at=START - IDLE)
    await store.add(session)
    assert await store.get(session.id) is None


async def test_a_session_added_at_one_replica_is_used_and_removed_at_others(
    replicas: Replicas[SessionStore], clock: MovableClock
) -> None:
    session = _session()
    await replicas.first.add(session)
    clock.advance(timedelta(minutes=1))
    assert await replicas.another().get(session.id) == attrs.evolve(session, last_seen_at=clock.now)
    assert await replicas.another().remove(session.id) is True
    assert await replicas.first.get(session.id) is None


async def test_concurrent_uses_of_a_session_all_find_it(store: SessionStore) -> None:
    session = _session()
    await store.add(session)
    found = await asyncio.gather(*(store.get(session.id) for _ in range(20)))
    assert all(s is not None and s.id == session.id for s in found)


@pytest.fixture(params=STORE_BACKENDS)
def real_time_store(request: pytest.FixtureRequest) -> SessionStore:
    return _replicas(request.param, request, timedelta(milliseconds=300), None).first


async def test_with_the_real_clock_a_session_expires_after_the_idle_timeout(
    real_time_store: SessionStore,
) -> None:
    store = real_time_store
    now = datetime.now(UTC)
    session = _session(created_at=now, last_seen_at=now)
    await store.add(session)
    assert await store.get(session.id) is not None
    await asyncio.sleep(0.5)
    assert await store.get(session.id) is None


# --- limits: per principal (oldest ends) and in all (refused), across replicas ------------------


@pytest.fixture(params=STORE_BACKENDS)
def limited(request: pytest.FixtureRequest, clock: MovableClock) -> Replicas[SessionStore]:
    return _replicas(request.param, request, IDLE, clock, max_per_principal=3, max_sessions=5)


async def test_a_principal_opening_one_session_too_many_ends_their_oldest(
    limited: Replicas[SessionStore], clock: MovableClock
) -> None:
    alice = []
    for _ in range(4):
        session = _session(created_at=clock.now, last_seen_at=clock.now)
        await limited.another().add(session)
        alice.append(session)
        clock.advance(timedelta(seconds=1))
    bob = _session("https://idp.example#bob")
    await limited.another().add(bob)
    assert await limited.first.get(alice[0].id) is None
    assert [await limited.another().get(s.id) is not None for s in alice[1:]] == [True] * 3
    assert await limited.first.get(bob.id) is not None


async def test_a_full_store_refuses_a_new_session_until_one_ends(
    limited: Replicas[SessionStore], clock: MovableClock
) -> None:
    held = [_session(f"https://idp.example#user{n}") for n in range(5)]
    for session in held:
        await limited.another().add(session)
    with pytest.raises(TooManySessions):
        await limited.another().add(_session("https://idp.example#late"))
    await limited.another().add(attrs.evolve(held[0], log_level="info"))  # a replacement is fine
    assert await limited.first.remove(held[1].id) is True
    await limited.another().add(_session("https://idp.example#late"))
    with pytest.raises(TooManySessions):
        await limited.first.add(_session("https://idp.example#later"))


async def test_idle_sessions_make_room_for_new_ones(
    limited: Replicas[SessionStore], clock: MovableClock
) -> None:
    for n in range(5):
        await limited.another().add(_session(f"https://idp.example#user{n}"))
    clock.advance(IDLE)
    fresh = _session("https://idp.example#fresh", created_at=clock.now, last_seen_at=clock.now)
    await limited.another().add(fresh)
    assert await limited.first.get(fresh.id) is not None
