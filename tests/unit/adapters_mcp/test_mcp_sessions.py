"""The in-memory session store: expiry, last-seen refresh and removal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jamf_mcp.adapters.mcp import InMemorySessionStore, Session

START = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def session(session_id: str = "s-1") -> Session:
    return Session(session_id, "iss#sub", "2025-11-25", {}, {}, START, START)


async def test_returns_a_stored_session_and_refreshes_last_seen() -> None:
    clock = Clock()
    store = InMemorySessionStore(clock=clock)
    await store.add(session())

    clock.now += timedelta(minutes=10)
    found = await store.get("s-1")

    assert found is not None
    assert found.last_seen_at == START + timedelta(minutes=10)
    assert found.created_at == START


async def test_use_keeps_a_session_alive_past_the_idle_timeout_from_creation() -> None:
    clock = Clock()
    store = InMemorySessionStore(idle_timeout=timedelta(hours=1), clock=clock)
    await store.add(session())

    for _ in range(3):
        clock.now += timedelta(minutes=50)
        assert await store.get("s-1") is not None


async def test_forgets_a_session_idle_for_the_timeout() -> None:
    clock = Clock()
    store = InMemorySessionStore(idle_timeout=timedelta(hours=1), clock=clock)
    await store.add(session())

    clock.now += timedelta(hours=1)

    assert await store.get("s-1") is None
    assert len(store) == 0


async def test_sweeps_abandoned_sessions_when_new_ones_arrive() -> None:
    clock = Clock()
    store = InMemorySessionStore(idle_timeout=timedelta(minutes=5), clock=clock)
    await store.add(session("old-1"))
    await store.add(session("old-2"))

    clock.now += timedelta(minutes=10)
    await store.add(session("new"))

    assert len(store) == 1


async def test_remove_reports_whether_a_live_session_existed() -> None:
    clock = Clock()
    store = InMemorySessionStore(idle_timeout=timedelta(minutes=5), clock=clock)
    await store.add(session("live"))
    await store.add(session("stale"))
    clock.now += timedelta(minutes=4)
    await store.get("live")
    clock.now += timedelta(minutes=2)

    assert await store.remove("live") is True
    assert await store.remove("live") is False
    assert await store.remove("stale") is False
    assert await store.remove("never") is False
