"""One contract for every audit store: memory, SQLite and PostgreSQL behave alike.

Records are created by their first event and never rewritten; events are stored once however
often they are written; searches answer who, which device, which action and when; unanswered
questions expire once, whichever replica sweeps.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.audit import (
    AuditAction,
    AuditActor,
    AuditOutcome,
    ClientInfo,
    ConfirmationChannel,
    DeviceResult,
    OutcomeStatus,
)
from jamf_mcp.domain.audit_records import AuditEvent, AuditEventKind, AuditQuery, RefusalReason
from jamf_mcp.domain.devices import DeviceKind
from tests.builders import NOW
from tests.contract.audit_stores import AuditStores

ALICE = AuditActor("https://idp.example", "alice", "chatgpt", "Alice Example")
MALLORY = AuditActor("https://idp.example", "mallory", None, None)
MAC_045 = ActionTarget(DeviceKind.COMPUTER, "45", "MAC-045", "C02ABC045", "mgmt-45", "John Smith")
IPAD_45 = ActionTarget(DeviceKind.MOBILE, "45", "iPad-45", "DMP45")
ERASE = AuditAction(
    ActionKind.MDM_COMMAND, (MAC_045,), "e" * 64, "Send the MDM command ERASE_DEVICE …",
    command="ERASE_DEVICE",
)  # fmt: skip
RUN = AuditAction(
    ActionKind.EXECUTE_POLICY, (MAC_045, IPAD_45), "r" * 64, "Run policy …",
    policy_id=45, policy_name="Software Update",
)  # fmt: skip
CLIENT = ClientInfo("openai-mcp", "1.0.0")


def event(
    record_id: str,
    kind: AuditEventKind,
    *,
    actor: AuditActor = ALICE,
    minutes: float = 0,
    **extra: object,
) -> AuditEvent:
    return AuditEvent(
        event_id=uuid.uuid4().hex,
        record_id=record_id,
        kind=kind,
        at=NOW + timedelta(minutes=minutes),
        actor=actor,
        channel=ConfirmationChannel.TOKEN,
        client=CLIENT,
        **extra,  # type: ignore[arg-type]
    )


def requested(record_id: str, minutes: float = 0, ttl: float = 5) -> AuditEvent:
    deadline = NOW + timedelta(minutes=minutes + ttl)
    return event(record_id, AuditEventKind.REQUESTED, minutes=minutes, expires_at=deadline)


async def test_a_record_is_created_by_its_first_event_with_its_action(stores: AuditStores) -> None:
    log = await stores.another()
    written = requested("r1")
    await log.record(RUN, written)

    record = await log.get("r1")

    assert record is not None
    assert record.action == RUN
    assert record.events == (written,)  # every field survives the round trip
    assert record.events[0].client == CLIENT
    assert record.events[0].expires_at == NOW + timedelta(minutes=5)
    assert record.state == "requested"
    assert await log.get("nothing-here") is None


async def test_events_come_back_in_order_with_per_device_results(stores: AuditStores) -> None:
    log = await stores.another()
    results = (
        DeviceResult("45", OutcomeStatus.QUEUED, "queued", "cmd-uuid-1", DeviceKind.COMPUTER),
        DeviceResult("45", OutcomeStatus.FAILED, "refused by Jamf", None, DeviceKind.MOBILE),
    )
    outcome = AuditOutcome(OutcomeStatus.PARTIALLY_COMPLETED, NOW + timedelta(minutes=2), results)
    for item in (
        requested("r1"),
        event("r1", AuditEventKind.APPROVED, minutes=1),
        event("r1", AuditEventKind.OUTCOME, minutes=2, outcome=outcome),
    ):
        await log.record(RUN, item)

    record = await log.get("r1")

    assert record is not None
    assert [e.kind.value for e in record.events] == ["requested", "approved", "outcome"]
    assert record.outcomes == (
        AuditOutcome(OutcomeStatus.PARTIALLY_COMPLETED, NOW + timedelta(minutes=2), results),
    )
    assert record.status is OutcomeStatus.PARTIALLY_COMPLETED
    assert record.approval is not None and record.approval.actor == ALICE


async def test_writing_an_event_again_stores_it_once(stores: AuditStores) -> None:
    log = await stores.another()
    approved = event("r1", AuditEventKind.APPROVED)
    await log.record(ERASE, approved)
    await log.record(ERASE, approved)
    await (await stores.another()).record(ERASE, approved)

    record = await log.get("r1")

    assert record is not None and len(record.events) == 1


async def test_a_record_keeps_the_action_of_its_first_event(stores: AuditStores) -> None:
    log = await stores.another()
    await log.record(ERASE, requested("r1"))
    refused = event("r1", AuditEventKind.REFUSED, actor=MALLORY, reason=RefusalReason.WRONG_USER)
    await log.record(RUN, refused)

    record = await log.get("r1")

    assert record is not None
    assert record.action == ERASE
    assert record.events[1].actor == MALLORY
    assert record.events[1].reason is RefusalReason.WRONG_USER
    assert record.requester == ALICE


async def test_every_replica_reads_what_another_wrote(stores: AuditStores) -> None:
    a, b = await stores.another(), await stores.another()
    await a.record(ERASE, requested("from-a"))
    await b.record(RUN, requested("from-b"))

    for log in (a, b):
        records = await log.search(AuditQuery(limit=10))
        assert [r.record_id for r in records] == ["from-b", "from-a"]


async def _fleet(stores: AuditStores) -> None:
    log = await stores.another()
    await log.record(ERASE, requested("erase", minutes=0))
    await log.record(ERASE, event("erase", AuditEventKind.APPROVED, minutes=1))
    await log.record(RUN, requested("run", minutes=60 * 24))
    await log.record(
        RUN,
        event("run", AuditEventKind.REFUSED, actor=MALLORY, minutes=60 * 24,
              reason=RefusalReason.REPLAY),
    )  # fmt: skip
    other = AuditAction(
        ActionKind.UPDATE_INVENTORY, (ActionTarget(DeviceKind.COMPUTER, "7", "MAC-007"),),
        "u" * 64, "Update inventory …",
    )  # fmt: skip
    await log.record(other, requested("inventory", minutes=60 * 48))


async def _ids(stores: AuditStores, query: AuditQuery) -> list[str]:
    return [r.record_id for r in await (await stores.another()).search(query)]


async def test_records_are_found_by_user_device_action_and_time(stores: AuditStores) -> None:
    await _fleet(stores)

    assert await _ids(stores, AuditQuery()) == ["inventory", "run", "erase"]
    assert await _ids(stores, AuditQuery(newest_first=False)) == ["erase", "run", "inventory"]
    assert await _ids(stores, AuditQuery(user="ALICE")) == ["inventory", "run", "erase"]
    assert await _ids(stores, AuditQuery(user="alice example")) == ["inventory", "run", "erase"]
    assert await _ids(stores, AuditQuery(user="mallory")) == ["run"]
    assert await _ids(stores, AuditQuery(user="https://idp.example#mallory")) == ["run"]
    assert await _ids(stores, AuditQuery(user="https://other.example#alice")) == []
    assert await _ids(stores, AuditQuery(device="mac-045")) == ["run", "erase"]
    assert await _ids(stores, AuditQuery(device="c02abc045")) == ["run", "erase"]
    assert await _ids(stores, AuditQuery(device="7")) == ["inventory"]
    assert await _ids(stores, AuditQuery(device="ipad-45")) == ["run"]
    assert await _ids(stores, AuditQuery(action="erase_device")) == ["erase"]
    assert await _ids(stores, AuditQuery(action="execute_policy")) == ["run"]
    assert await _ids(stores, AuditQuery(action="mdm_command", device="MAC-045")) == ["erase"]
    day = timedelta(days=1)
    assert await _ids(stores, AuditQuery(since=NOW + day)) == ["inventory", "run"]
    assert await _ids(stores, AuditQuery(since=NOW + day, until=NOW + 2 * day)) == ["run"]
    assert await _ids(stores, AuditQuery(until=NOW + timedelta(minutes=1))) == ["erase"]


async def test_pages_continue_from_the_last_position_in_either_order(stores: AuditStores) -> None:
    await _fleet(stores)
    log = await stores.another()

    first = await log.search(AuditQuery(limit=2))
    rest = await log.search(AuditQuery(limit=2, cursor=first[-1].position))
    forward = await log.search(AuditQuery(limit=1, newest_first=False))
    after = await log.search(AuditQuery(limit=5, newest_first=False, cursor=forward[-1].position))

    assert [r.record_id for r in first] == ["inventory", "run"]
    assert [r.record_id for r in rest] == ["erase"]
    assert [r.record_id for r in after] == ["run", "inventory"]


async def test_unanswered_questions_expire_once_whichever_replica_sweeps(
    stores: AuditStores,
) -> None:
    log = await stores.another()
    await log.record(ERASE, requested("open"))
    await log.record(ERASE, requested("approved"))
    await log.record(ERASE, event("approved", AuditEventKind.APPROVED))
    await log.record(ERASE, requested("declined"))
    await log.record(ERASE, event("declined", AuditEventKind.DECLINED))
    await log.record(ERASE, requested("asked-again"))
    await log.record(ERASE, requested("asked-again", minutes=4, ttl=5))  # new deadline: +9 min
    later = NOW + timedelta(minutes=7)
    grace = timedelta(minutes=1)
    replicas = [await stores.another() for _ in range(3)]

    swept = await asyncio.gather(*(r.expire_overdue(later, grace) for r in replicas))
    again = await log.expire_overdue(later + timedelta(minutes=10), grace)

    assert sum(swept) == 1
    assert again == 1  # "asked-again", once its newer deadline passed
    states = {r.record_id: r.state for r in await log.search(AuditQuery(limit=10))}
    assert states == {
        "open": "expired",
        "approved": "approved",
        "declined": "declined",
        "asked-again": "expired",
    }
    expired = await log.get("open")
    assert expired is not None
    assert expired.events[-1].at == NOW + timedelta(minutes=5)
    assert expired.events[-1].actor == ALICE
    assert await log.expire_overdue(later + timedelta(days=30), grace) == 0


async def test_a_question_is_not_expired_within_its_grace(stores: AuditStores) -> None:
    log = await stores.another()
    await log.record(ERASE, requested("open"))

    assert (
        await log.expire_overdue(NOW + timedelta(minutes=5, seconds=30), timedelta(minutes=1)) == 0
    )
    record = await log.get("open")
    assert record is not None and record.state == "requested"
