"""The `ApprovalStore` and `PageSessions` contracts, on memory, one Redis server and a Redis Cluster.

For Redis, "another replica" is another client with its own connections, so two tabs (or two
replicas) deciding at once race as they would across processes.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from jamf_mcp.adapters.memory import InMemoryApprovalStore, InMemoryPageSessions
from jamf_mcp.adapters.redis import RedisApprovalStore, RedisPageSessions
from jamf_mcp.application.approvals import ApprovalStore, PageSession, PageSessions, PageSignIn
from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.approvals import Approval, ApprovalClosed, ApprovalState, new_approval_id
from jamf_mcp.domain.audit import AuditAction, AuditActor, ClientInfo, ConfirmationChannel
from jamf_mcp.domain.devices import DeviceKind
from tests.builders import NOW
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

ALICE = AuditActor("https://idp.example", "alice", "pytest", "Alice")
ACTION = AuditAction(
    kind=ActionKind.MDM_COMMAND,
    targets=(ActionTarget(DeviceKind.COMPUTER, "123", "MAC-123", "C02X", "mgmt-1", "Alice A."),),
    digest="hmac-sha256:abc",
    summary="Send the MDM command RESTART_DEVICE to 1 computer: MAC-123",
    command="RESTART_DEVICE",
)


def approval(lookup: str = "lookup-1", ttl: int = 300) -> Approval:
    return Approval(
        approval_id=new_approval_id(),
        requester=ALICE,
        client=ClientInfo("ChatGPT", "1.0"),
        action=ACTION,
        message=ACTION.summary + " Restarts it.",
        binding="b" * 64,
        lookup=lookup,
        channel=ConfirmationChannel.APPROVAL_PAGE,
        created_at=NOW,
        expires_at=NOW + timedelta(seconds=ttl),
    )


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[ApprovalStore]:
    if request.param == "memory":
        memory = InMemoryApprovalStore()
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisApprovalStore(space.connect(), prefix=space.prefix))


@pytest.fixture(params=STORE_BACKENDS)
def sessions(request: pytest.FixtureRequest) -> Replicas[PageSessions]:
    if request.param == "memory":
        memory = InMemoryPageSessions()
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisPageSessions(space.connect(), prefix=space.prefix))


async def test_a_stored_approval_reads_back_whole_by_id_and_by_lookup(
    replicas: Replicas[ApprovalStore],
) -> None:
    pending = approval()
    await replicas.first.put(pending)
    assert await replicas.another().get(pending.approval_id) == pending
    assert await replicas.another().find("lookup-1") == pending
    assert await replicas.first.find("other") is None
    assert await replicas.first.get(new_approval_id()) is None
    with pytest.raises(ValueError, match="already stored"):
        await replicas.first.put(pending)


async def test_a_later_approval_for_the_same_lookup_takes_its_place(
    replicas: Replicas[ApprovalStore],
) -> None:
    first, second = approval(), approval()
    await replicas.first.put(first)
    await replicas.first.put(second)
    found = await replicas.another().find("lookup-1")
    assert found is not None
    assert found.approval_id == second.approval_id


async def test_of_two_tabs_deciding_at_once_exactly_one_wins(
    replicas: Replicas[ApprovalStore],
) -> None:
    pending = approval()
    await replicas.first.put(pending)
    stores = [replicas.another() for _ in range(6)]
    outcomes = await asyncio.gather(
        *(
            store.decide(pending.approval_id, index % 2 == 0, NOW + timedelta(seconds=5))
            for index, store in enumerate(stores)
        ),
        return_exceptions=True,
    )
    winners = [o for o in outcomes if isinstance(o, Approval)]
    assert len(winners) == 1
    assert all(isinstance(o, ApprovalClosed) for o in outcomes if o not in winners)
    stored = await replicas.first.get(pending.approval_id)
    assert stored is not None
    assert stored.state is winners[0].state
    assert stored.decided_at == NOW + timedelta(seconds=5)


async def test_an_expired_approval_cannot_be_decided(replicas: Replicas[ApprovalStore]) -> None:
    pending = approval(ttl=60)
    await replicas.first.put(pending)
    with pytest.raises(ApprovalClosed) as closed:
        await replicas.another().decide(pending.approval_id, True, NOW + timedelta(seconds=60))
    assert closed.value.state is None
    stored = await replicas.first.get(pending.approval_id)
    assert stored is not None
    assert stored.state is ApprovalState.PENDING


async def test_an_unknown_approval_cannot_be_decided(replicas: Replicas[ApprovalStore]) -> None:
    with pytest.raises(KeyError):
        await replicas.first.decide(new_approval_id(), True, NOW)


async def test_an_approved_approval_is_claimed_once_across_replicas(
    replicas: Replicas[ApprovalStore],
) -> None:
    pending = approval()
    await replicas.first.put(pending)
    assert await replicas.first.claim(pending.approval_id) is False  # pending: nothing to run
    await replicas.first.decide(pending.approval_id, True, NOW)
    claims = await asyncio.gather(
        *(replicas.another().claim(pending.approval_id) for _ in range(6))
    )
    assert sorted(claims) == [False] * 5 + [True]
    stored = await replicas.first.get(pending.approval_id)
    assert stored is not None
    assert stored.state is ApprovalState.USED
    with pytest.raises(ApprovalClosed):
        await replicas.first.decide(pending.approval_id, True, NOW)


async def test_a_declined_approval_is_reported_once(replicas: Replicas[ApprovalStore]) -> None:
    pending = approval()
    await replicas.first.put(pending)
    await replicas.first.decide(pending.approval_id, False, NOW)
    assert await replicas.another().claim(pending.approval_id) is True
    assert await replicas.another().claim(pending.approval_id) is False


async def test_a_page_session_is_shared_and_ends_when_it_expires(
    sessions: Replicas[PageSessions],
) -> None:
    now = datetime.now(UTC)  # Redis expires the key at this real time plus an hour
    session = PageSession(
        "https://idp.example", "alice", "Alice", "csrf-1", now + timedelta(hours=1)
    )
    await sessions.first.put("d" * 64, session)
    assert await sessions.another().get("d" * 64, now) == session
    assert await sessions.another().get("d" * 64, now + timedelta(hours=1)) is None
    assert await sessions.first.get("e" * 64, now) is None


async def test_a_sign_in_round_trip_is_taken_once(sessions: Replicas[PageSessions]) -> None:
    sign_in = PageSignIn("nonce", "verifier", "f" * 64, "/confirm/abc")
    await sessions.first.start_sign_in("page.state-1", sign_in, 60)
    takes = await asyncio.gather(
        *(sessions.another().take_sign_in("page.state-1") for _ in range(4))
    )
    assert [t for t in takes if t is not None] == [sign_in]
    assert await sessions.first.take_sign_in("page.unknown") is None
