"""The `OAuthStateStore` contract, run against the in-memory store and the Redis one.

Expiry is tested in real time with short TTLs: the in-memory store reads the system clock, the
Redis one lets keys expire.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from jamf_mcp.adapters.oauth_server import ClientLease, InMemoryOAuthStateStore, OAuthStateStore
from jamf_mcp.adapters.oauth_server.handles import digest, new_handle
from jamf_mcp.adapters.oauth_server.records import UpstreamAuthorization
from jamf_mcp.adapters.redis import RedisOAuthStateStore
from jamf_mcp.adapters.system.clock import SystemClock
from tests.contract.oauth_records import a_client, a_code, a_grant, a_pending
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

TTL = 60.0
SHORT = 0.25
CAPACITY = 1000


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[OAuthStateStore]:
    if request.param == "memory":
        memory = InMemoryOAuthStateStore(SystemClock())
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisOAuthStateStore(space.connect(), prefix=space.prefix))


@pytest.fixture
def store(replicas: Replicas[OAuthStateStore]) -> OAuthStateStore:
    return replicas.first


def _lease(in_use_for: float = 60.0, idle: float = 600.0) -> ClientLease:
    now = time.time()
    return ClientLease(now, now + in_use_for, idle)


async def test_a_registered_client_is_found_by_its_id_at_every_replica(
    replicas: Replicas[OAuthStateStore],
) -> None:
    confidential = a_client()
    by_document = a_client(
        client_id="https://client.example/metadata.json",
        client_name=None,
        token_endpoint_auth_method="none",
        grant_types=("authorization_code",),
        application_type="native",
        secret_digest=None,
        from_metadata_document=True,
    )
    for client in (confidential, by_document):
        assert await replicas.first.save_client(client, _lease(), CAPACITY)
        assert await replicas.another().client(client.client_id) == client
    assert await replicas.first.client("never-registered") is None


async def test_saving_a_client_again_replaces_it(store: OAuthStateStore) -> None:
    client = a_client()
    await store.save_client(client, _lease(), CAPACITY)
    renamed = a_client(client_id=client.client_id, client_name="Renamed")
    await store.save_client(renamed, _lease(), CAPACITY)
    assert await store.client(client.client_id) == renamed


async def test_a_full_store_forgets_the_longest_unused_client_to_make_room(
    replicas: Replicas[OAuthStateStore],
) -> None:
    unused = [a_client() for _ in range(2)]
    for index, client in enumerate(unused):  # their leases ended 20 and 10 seconds ago
        assert await replicas.first.save_client(client, _lease(-20.0 + 10 * index), 3)
    in_use = a_client()
    assert await replicas.first.save_client(in_use, _lease(3600.0), 3)
    newcomer = a_client()
    assert await replicas.another().save_client(newcomer, _lease(), 3)
    assert await replicas.first.client(unused[0].client_id) is None  # the oldest lease went
    for kept in (unused[1], in_use, newcomer):
        assert await replicas.first.client(kept.client_id) == kept


async def test_a_client_with_a_live_grant_is_never_evicted_the_newcomer_is_refused(
    replicas: Replicas[OAuthStateStore],
) -> None:
    in_use = [a_client() for _ in range(2)]
    for client in in_use:
        assert await replicas.first.save_client(client, _lease(3600.0), 2)
    refused = a_client()
    assert not await replicas.another().save_client(refused, _lease(), 2)
    assert await replicas.first.client(refused.client_id) is None
    for client in in_use:
        assert await replicas.first.client(client.client_id) == client


async def test_a_grant_extends_a_clients_lease_so_it_is_no_longer_evictable(
    replicas: Replicas[OAuthStateStore],
) -> None:
    granted, idle = a_client(), a_client()
    for client in (granted, idle):
        assert await replicas.first.save_client(client, _lease(-5.0), 2)
    await replicas.another().client_in_use(granted.client_id, _lease(3600.0))
    await replicas.another().client_in_use(idle.client_id, _lease(-60.0))  # never shortens
    assert await replicas.first.save_client(a_client(), _lease(), 2)
    assert await replicas.first.client(granted.client_id) == granted
    assert await replicas.first.client(idle.client_id) is None
    await replicas.first.client_in_use("never-registered", _lease(3600.0))  # harmless
    assert await replicas.first.client("never-registered") is None


async def test_an_unused_client_is_forgotten_when_its_lease_and_idle_time_are_over(
    store: OAuthStateStore,
) -> None:
    client = a_client()
    assert await store.save_client(client, _lease(in_use_for=SHORT, idle=SHORT), CAPACITY)
    await asyncio.sleep(SHORT * 2 + 0.2)
    assert await store.client(client.client_id) is None


async def test_a_pending_authorization_is_taken_once(replicas: Replicas[OAuthStateStore]) -> None:
    pending = a_pending(state=None, resource=None, client_name="Inspector")
    await replicas.first.save_pending(pending, TTL)
    assert await replicas.another().take_pending(pending.transaction_id) == pending
    assert await replicas.first.take_pending(pending.transaction_id) is None
    assert await replicas.first.take_pending(new_handle()) is None


async def test_an_upstream_round_trip_is_taken_once(replicas: Replicas[OAuthStateStore]) -> None:
    upstream = UpstreamAuthorization(
        state=new_handle(),
        nonce=new_handle(),
        code_verifier=new_handle(),
        request=a_pending(),
        browser_digest=digest(new_handle()),
    )
    await replicas.first.save_upstream(upstream, TTL)
    assert await replicas.another().take_upstream(upstream.state) == upstream
    assert await replicas.first.take_upstream(upstream.state) is None
    assert await replicas.first.take_upstream(new_handle()) is None


async def test_a_code_is_taken_once_and_then_reported_as_spent_with_its_family(
    replicas: Replicas[OAuthStateStore],
) -> None:
    code_digest, code = digest(new_handle()), a_code(new_handle())
    await replicas.first.save_code(code_digest, code, TTL)
    assert await replicas.first.spent_code_family(code_digest) is None
    assert await replicas.another().take_code(code_digest) == code
    assert await replicas.first.take_code(code_digest) is None
    assert await replicas.another().spent_code_family(code_digest) == code.family_id


async def test_an_unknown_code_is_neither_taken_nor_spent(store: OAuthStateStore) -> None:
    unknown = digest(new_handle())
    assert await store.take_code(unknown) is None
    assert await store.spent_code_family(unknown) is None


async def test_of_concurrent_takes_of_one_code_on_two_replicas_exactly_one_gets_it(
    replicas: Replicas[OAuthStateStore],
) -> None:
    code_digest, code = digest(new_handle()), a_code(new_handle())
    await replicas.first.save_code(code_digest, code, TTL)
    stores = [replicas.first, replicas.another()]
    taken = await asyncio.gather(*(stores[i % 2].take_code(code_digest) for i in range(20)))
    assert [t for t in taken if t is not None] == [code]


async def test_a_refresh_token_is_taken_once_and_then_reported_as_spent_with_its_family(
    replicas: Replicas[OAuthStateStore],
) -> None:
    token_digest, grant = digest(new_handle()), a_grant(new_handle())
    await replicas.first.save_refresh(token_digest, grant, TTL)
    assert await replicas.first.spent_refresh_family(token_digest) is None
    assert await replicas.another().take_refresh(token_digest) == grant
    assert await replicas.first.take_refresh(token_digest) is None
    assert await replicas.another().spent_refresh_family(token_digest) == grant.family_id


async def test_an_unknown_refresh_token_is_neither_taken_nor_spent(store: OAuthStateStore) -> None:
    unknown = digest(new_handle())
    assert await store.take_refresh(unknown) is None
    assert await store.spent_refresh_family(unknown) is None


async def test_of_concurrent_takes_of_one_refresh_token_exactly_one_gets_it(
    replicas: Replicas[OAuthStateStore],
) -> None:
    token_digest, grant = digest(new_handle()), a_grant(new_handle())
    await replicas.first.save_refresh(token_digest, grant, TTL)
    stores = [replicas.first, replicas.another()]
    taken = await asyncio.gather(*(stores[i % 2].take_refresh(token_digest) for i in range(20)))
    assert [t for t in taken if t is not None] == [grant]


async def test_revoking_a_family_makes_its_live_refresh_tokens_unusable_and_only_them(
    replicas: Replicas[OAuthStateStore],
) -> None:
    family, other_family = new_handle(), new_handle()
    tokens = [digest(new_handle()) for _ in range(3)]
    kept = digest(new_handle())
    for token in tokens:
        await replicas.first.save_refresh(token, a_grant(family), TTL)
    await replicas.first.save_refresh(kept, a_grant(other_family), TTL)
    await replicas.another().revoke_family(family)
    for token in tokens:
        assert await replicas.first.take_refresh(token) is None
    assert await replicas.first.take_refresh(kept) is not None


async def test_a_revoked_family_gets_no_new_refresh_tokens(
    replicas: Replicas[OAuthStateStore],
) -> None:
    family = new_handle()
    await replicas.first.revoke_family(family)
    token = digest(new_handle())
    await replicas.another().save_refresh(token, a_grant(family), TTL)
    assert await replicas.first.take_refresh(token) is None


async def test_revoking_a_family_spares_tokens_already_rotated_away(
    store: OAuthStateStore,
) -> None:
    family = new_handle()
    rotated, live = digest(new_handle()), digest(new_handle())
    await store.save_refresh(rotated, a_grant(family), TTL)
    assert await store.take_refresh(rotated) is not None
    await store.save_refresh(live, a_grant(family), TTL)
    await store.revoke_family(family)
    assert await store.spent_refresh_family(rotated) == family
    assert await store.take_refresh(live) is None


async def test_revoking_an_unknown_family_is_harmless(store: OAuthStateStore) -> None:
    await store.revoke_family(new_handle())


async def test_pending_authorizations_and_round_trips_vanish_after_their_ttl(
    store: OAuthStateStore,
) -> None:
    pending = a_pending()
    upstream = UpstreamAuthorization(
        state=new_handle(), nonce=new_handle(), code_verifier=new_handle(), request=pending
    )
    await store.save_pending(pending, SHORT)
    await store.save_upstream(upstream, SHORT)
    await asyncio.sleep(SHORT + 0.2)
    assert await store.take_pending(pending.transaction_id) is None
    assert await store.take_upstream(upstream.state) is None


async def test_codes_and_refresh_tokens_vanish_after_their_ttl_without_being_spent(
    store: OAuthStateStore,
) -> None:
    code_digest, token_digest = digest(new_handle()), digest(new_handle())
    await store.save_code(code_digest, a_code(new_handle()), SHORT)
    await store.save_refresh(token_digest, a_grant(new_handle()), SHORT)
    await asyncio.sleep(SHORT + 0.2)
    assert await store.take_code(code_digest) is None
    assert await store.spent_code_family(code_digest) is None
    assert await store.take_refresh(token_digest) is None
    assert await store.spent_refresh_family(token_digest) is None


async def test_a_rotated_refresh_token_is_remembered_for_the_rest_of_its_lifetime(
    store: OAuthStateStore,
) -> None:
    token_digest, grant = digest(new_handle()), a_grant(new_handle())
    await store.save_refresh(token_digest, grant, 0.5)
    assert await store.take_refresh(token_digest) == grant
    assert await store.spent_refresh_family(token_digest) == grant.family_id
    await asyncio.sleep(0.7)
    assert await store.spent_refresh_family(token_digest) is None


async def test_a_live_record_is_there_until_its_ttl(store: OAuthStateStore) -> None:
    pending = a_pending()
    await store.save_pending(pending, 1.0)
    await asyncio.sleep(0.3)
    assert await store.take_pending(pending.transaction_id) == pending


async def test_a_refresh_token_can_be_looked_at_without_being_spent(
    replicas: Replicas[OAuthStateStore],
) -> None:
    token_digest, grant = digest(new_handle()), a_grant(new_handle())
    await replicas.first.save_refresh(token_digest, grant, TTL)
    assert await replicas.another().peek_refresh(token_digest) == grant
    assert await replicas.first.peek_refresh(token_digest) == grant
    assert await replicas.first.spent_refresh_family(token_digest) is None
    assert await replicas.another().take_refresh(token_digest) == grant
    assert await replicas.first.peek_refresh(token_digest) is None
    assert await replicas.first.peek_refresh(digest(new_handle())) is None


async def test_a_revoked_familys_token_cannot_even_be_looked_at(
    replicas: Replicas[OAuthStateStore],
) -> None:
    token_digest, grant = digest(new_handle()), a_grant(new_handle())
    await replicas.first.save_refresh(token_digest, grant, TTL)
    await replicas.another().revoke_family(grant.family_id)
    assert await replicas.first.peek_refresh(token_digest) is None


async def test_families_are_listed_by_subject_and_by_client_at_every_replica(
    replicas: Replicas[OAuthStateStore],
) -> None:
    subject, client = "subject-" + new_handle()[:8], "client-" + new_handle()[:8]
    mine = [new_handle() for _ in range(2)]
    for family in mine:
        await replicas.first.save_refresh(
            digest(new_handle()), a_grant(family, subject=subject, client_id=client), TTL
        )
    # A second token of the same family (a rotation) lists it once.
    await replicas.first.save_refresh(
        digest(new_handle()), a_grant(mine[0], subject=subject, client_id=client), TTL
    )
    others = new_handle()
    await replicas.first.save_refresh(digest(new_handle()), a_grant(others), TTL)
    assert await replicas.another().subject_families(subject) == sorted(mine)
    assert await replicas.another().client_families(client) == sorted(mine)
    assert await replicas.first.subject_families("nobody") == []
    assert await replicas.first.client_families("no-client") == []


async def test_family_indexes_forget_families_whose_tokens_have_ended(
    store: OAuthStateStore,
) -> None:
    subject = "subject-" + new_handle()[:8]
    ended, live = new_handle(), new_handle()
    await store.save_refresh(
        digest(new_handle()), a_grant(ended, subject=subject, lifetime=SHORT), SHORT
    )
    await asyncio.sleep(SHORT + 0.2)
    await store.save_refresh(digest(new_handle()), a_grant(live, subject=subject), TTL)
    assert await store.subject_families(subject) == [live]
