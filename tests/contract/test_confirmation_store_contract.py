"""The `ConfirmationStore` contract, run against the in-memory store and the Redis one.

For Redis, "another replica" is another client with its own connections, so concurrent
redemptions race across connections as they would across processes.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import attrs
import pytest

from jamf_mcp.adapters.memory import InMemoryConfirmationStore
from jamf_mcp.adapters.redis import RedisConfirmationStore
from jamf_mcp.application.ports import ConfirmationStore
from jamf_mcp.domain.confirmations import PendingConfirmation, new_confirmation
from jamf_mcp.domain.errors import (
    ConfirmationAlreadyUsed,
    ConfirmationExpired,
    ConfirmationMismatch,
    ConfirmationNotYours,
    ConfirmationUnknown,
)
from jamf_mcp.domain.principal import Principal
from tests.builders import NOW
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

ALICE = Principal("https://idp.example", "alice")
BOB = Principal("https://idp.example", "bob")
DIGEST = "sha256:restart:C02ABC"


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[ConfirmationStore]:
    if request.param == "memory":
        memory = InMemoryConfirmationStore()
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisConfirmationStore(space.connect(), prefix=space.prefix))


@pytest.fixture
def store(replicas: Replicas[ConfirmationStore]) -> ConfirmationStore:
    return replicas.first


@pytest.fixture
async def pending(store: ConfirmationStore) -> PendingConfirmation:
    confirmation = new_confirmation(ALICE, DIGEST, NOW)
    await store.put(confirmation)
    return confirmation


async def test_redeeming_returns_the_redeemed_copy(
    store: ConfirmationStore, pending: PendingConfirmation
) -> None:
    redeemed = await store.redeem(pending.token, ALICE, DIGEST, NOW + timedelta(seconds=30))
    assert redeemed == attrs.evolve(pending, redeemed=True)


async def test_of_twenty_concurrent_redemptions_on_two_replicas_exactly_one_wins(
    replicas: Replicas[ConfirmationStore], pending: PendingConfirmation
) -> None:
    stores = [replicas.first, replicas.another()]
    results = await asyncio.gather(
        *(stores[i % 2].redeem(pending.token, ALICE, DIGEST, NOW) for i in range(20)),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, PendingConfirmation)]
    assert len(winners) == 1
    assert winners[0].redeemed
    losers = [r for r in results if not isinstance(r, PendingConfirmation)]
    assert len(losers) == 19
    assert all(isinstance(r, ConfirmationAlreadyUsed) for r in losers)


async def test_a_redeemed_confirmation_is_refused_as_already_used_at_every_replica(
    replicas: Replicas[ConfirmationStore], pending: PendingConfirmation
) -> None:
    await replicas.first.redeem(pending.token, ALICE, DIGEST, NOW)
    with pytest.raises(ConfirmationAlreadyUsed):
        await replicas.another().redeem(pending.token, ALICE, DIGEST, NOW)
    with pytest.raises(ConfirmationAlreadyUsed):
        await replicas.first.redeem(pending.token, ALICE, DIGEST, NOW)


async def test_an_unknown_token_is_refused(store: ConfirmationStore) -> None:
    with pytest.raises(ConfirmationUnknown):
        await store.redeem(new_confirmation(ALICE, DIGEST, NOW).token, ALICE, DIGEST, NOW)


async def test_another_principal_is_refused(
    store: ConfirmationStore, pending: PendingConfirmation
) -> None:
    with pytest.raises(ConfirmationNotYours):
        await store.redeem(pending.token, BOB, DIGEST, NOW)


async def test_other_arguments_are_refused(
    store: ConfirmationStore, pending: PendingConfirmation
) -> None:
    with pytest.raises(ConfirmationMismatch):
        await store.redeem(pending.token, ALICE, "sha256:restart:OTHER", NOW)


async def test_an_expired_confirmation_is_refused(
    store: ConfirmationStore, pending: PendingConfirmation
) -> None:
    with pytest.raises(ConfirmationExpired):
        await store.redeem(pending.token, ALICE, DIGEST, pending.expires_at)


@pytest.mark.parametrize(
    ("principal", "digest", "later", "refusal"),
    [
        (BOB, DIGEST, timedelta(0), ConfirmationNotYours),
        (ALICE, "sha256:other", timedelta(0), ConfirmationMismatch),
        (ALICE, DIGEST, timedelta(minutes=5), ConfirmationExpired),
    ],
    ids=["not-yours", "mismatch", "expired"],
)
async def test_a_refused_attempt_leaves_the_confirmation_as_it_was(
    replicas: Replicas[ConfirmationStore],
    pending: PendingConfirmation,
    principal: Principal,
    digest: str,
    later: timedelta,
    refusal: type[Exception],
) -> None:
    with pytest.raises(refusal):
        await replicas.first.redeem(pending.token, principal, digest, NOW + later)
    redeemed = await replicas.another().redeem(pending.token, ALICE, DIGEST, NOW)
    assert redeemed == attrs.evolve(pending, redeemed=True)


async def test_refusals_before_the_owner_redeems_do_not_stop_one_winner(
    replicas: Replicas[ConfirmationStore], pending: PendingConfirmation
) -> None:
    stores = [replicas.first, replicas.another()]
    attempts = [
        stores[i % 2].redeem(pending.token, who, DIGEST, NOW)
        for i, who in enumerate([BOB, ALICE] * 10)
    ]
    results = await asyncio.gather(*attempts, return_exceptions=True)
    assert sum(isinstance(r, PendingConfirmation) for r in results) == 1
    assert sum(isinstance(r, ConfirmationNotYours) for r in results) == 10
    assert sum(isinstance(r, ConfirmationAlreadyUsed) for r in results) == 9


async def test_storing_the_same_token_twice_is_refused_at_any_replica(
    replicas: Replicas[ConfirmationStore], pending: PendingConfirmation
) -> None:
    with pytest.raises(ValueError, match="already stored"):
        await replicas.first.put(pending)
    with pytest.raises(ValueError, match="already stored"):
        await replicas.another().put(attrs.evolve(pending, digest="sha256:other"))
    assert (await replicas.first.redeem(pending.token, ALICE, DIGEST, NOW)).digest == DIGEST


async def test_confirmations_are_independent(store: ConfirmationStore) -> None:
    first = new_confirmation(ALICE, DIGEST, NOW)
    second = new_confirmation(ALICE, DIGEST, NOW)
    await store.put(first)
    await store.put(second)
    await store.redeem(first.token, ALICE, DIGEST, NOW)
    assert (await store.redeem(second.token, ALICE, DIGEST, NOW)).token == second.token
