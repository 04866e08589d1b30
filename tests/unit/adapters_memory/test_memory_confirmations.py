"""The in-memory confirmation store: atomic, single-use redemption."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from jamf_mcp.adapters.memory import InMemoryConfirmationStore
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

ALICE = Principal("https://idp.example", "alice")
BOB = Principal("https://idp.example", "bob")


@pytest.fixture
def store() -> ConfirmationStore:
    return InMemoryConfirmationStore()


async def test_twenty_concurrent_redemptions_of_one_token_have_exactly_one_winner(
    store: ConfirmationStore,
) -> None:
    pending = new_confirmation(ALICE, "digest", NOW)
    await store.put(pending)
    results = await asyncio.gather(
        *(store.redeem(pending.token, ALICE, "digest", NOW) for _ in range(20)),
        return_exceptions=True,
    )
    winners = [r for r in results if isinstance(r, PendingConfirmation)]
    assert len(winners) == 1
    assert winners[0].redeemed
    assert all(isinstance(r, ConfirmationAlreadyUsed) for r in results if r not in winners)


async def test_an_unknown_token_is_refused(store: ConfirmationStore) -> None:
    with pytest.raises(ConfirmationUnknown):
        await store.redeem("never-issued", ALICE, "digest", NOW)


async def test_a_refused_attempt_leaves_the_confirmation_redeemable_by_its_owner(
    store: ConfirmationStore,
) -> None:
    pending = new_confirmation(ALICE, "digest", NOW)
    await store.put(pending)
    with pytest.raises(ConfirmationNotYours):
        await store.redeem(pending.token, BOB, "digest", NOW)
    with pytest.raises(ConfirmationMismatch):
        await store.redeem(pending.token, ALICE, "other", NOW)
    assert (await store.redeem(pending.token, ALICE, "digest", NOW)).redeemed


async def test_an_expired_confirmation_is_refused_and_dropped_when_new_ones_arrive() -> None:
    store = InMemoryConfirmationStore()
    old = new_confirmation(ALICE, "digest", NOW)
    await store.put(old)
    with pytest.raises(ConfirmationExpired):
        await store.redeem(old.token, ALICE, "digest", old.expires_at)
    await store.put(new_confirmation(ALICE, "digest", NOW + timedelta(minutes=6)))
    assert old.token not in store.confirmations


async def test_storing_the_same_token_twice_is_refused(store: ConfirmationStore) -> None:
    pending = new_confirmation(ALICE, "digest", NOW)
    await store.put(pending)
    with pytest.raises(ValueError, match="already stored"):
        await store.put(pending)
