"""A write whose reply is lost is sent again by the client, and still takes effect once.

Each test loses the reply to one command that has run (see `lost_replies`), on one Redis server
and on a cluster. The first test shows the fault is real: a bare `INCR` is counted twice. The
others show the adapters' writes are not: no second rate-limit token, no "already used" for a
confirmation redeemed once, no refresh token or code reported spent (which would revoke the
user's grant) when it was taken once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from jamf_mcp.adapters.dev_idp.grants import CodeGrant
from jamf_mcp.adapters.mcp.sessions import Session, new_session_id
from jamf_mcp.adapters.oauth_server.handles import digest, new_handle
from jamf_mcp.adapters.redis import (
    RedisClient,
    RedisConfirmationStore,
    RedisDevIdpState,
    RedisEventStore,
    RedisOAuthStateStore,
    RedisRateLimiter,
    RedisSessionStore,
    RedisSignalRouter,
)
from jamf_mcp.adapters.system.clock import SystemClock
from jamf_mcp.domain.confirmations import new_confirmation
from jamf_mcp.domain.errors import ConfirmationAlreadyUsed, StateUnavailable
from jamf_mcp.domain.principal import Principal
from tests.contract.oauth_records import a_code, a_grant, a_pending
from tests.contract.redis_support import RedisSpace, eventually
from tests.contract.test_dev_idp_state_contract import a_login
from tests.integration.redis.lost_replies import ReplyLoss, lose_replies

ALICE = Principal("https://idp.example", "alice")
SCRIPT = b"EVALSHA"


@pytest.fixture
def loss() -> ReplyLoss:
    return ReplyLoss()


Connect = Callable[[], RedisClient]


@pytest.fixture
def space(any_redis_space: RedisSpace) -> RedisSpace:
    return any_redis_space


@pytest.fixture
def connect(space: RedisSpace, loss: ReplyLoss) -> Connect:
    """New clients of the test's Redis whose replies `loss` may drop."""
    return lambda: lose_replies(space.connect(), loss)


async def test_the_fault_is_real_a_bare_increment_whose_reply_is_lost_counts_twice(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    client = connect()
    key = f"{space.prefix}counter"
    loss.arm(b"INCR")
    assert await client.incr(key) == 2
    assert loss.lost and await client.get(key) == b"2"


async def test_a_rate_limit_take_whose_reply_is_lost_takes_one_token(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    limiter = RedisRateLimiter(connect(), prefix=space.prefix)
    loss.arm(SCRIPT)
    assert (await limiter.take("alice", 3)).remaining == 2
    assert loss.lost
    assert (await limiter.take("alice", 3)).remaining == 1


async def test_a_confirmation_redeemed_once_whose_reply_is_lost_is_not_already_used(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    store = RedisConfirmationStore(connect(), prefix=space.prefix)
    now = datetime.now(UTC)
    pending = new_confirmation(ALICE, "sha256:erase:MAC-045", now)
    loss.arm(SCRIPT)
    await store.put(pending)  # a replayed put is not "a confirmation with this token exists"
    loss.arm(SCRIPT)
    redeemed = await store.redeem(pending.token, ALICE, "sha256:erase:MAC-045", now)
    assert redeemed.redeemed and len(loss.lost) == 2
    with pytest.raises(ConfirmationAlreadyUsed):  # and it still redeems only once
        await store.redeem(pending.token, ALICE, "sha256:erase:MAC-045", now)


async def test_a_refresh_token_rotated_once_whose_reply_is_lost_is_not_a_reuse(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    store = RedisOAuthStateStore(connect(), prefix=space.prefix)
    family, old, new = new_handle(), digest(new_handle()), digest(new_handle())
    grant = a_grant(family)
    await store.save_refresh(old, grant, 600)
    loss.arm(SCRIPT)
    assert await store.take_refresh(old) == grant  # not None: that would read as a replay
    await store.save_refresh(new, grant, 600)
    assert loss.lost
    assert await store.peek_refresh(new) == grant  # the family lives on
    assert await store.take_refresh(old) is None  # the old token is spent, once


async def test_an_authorization_code_and_a_pending_sign_in_taken_with_lost_replies_arrive(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    store = RedisOAuthStateStore(connect(), prefix=space.prefix)
    code_digest, code, pending = digest(new_handle()), a_code(new_handle()), a_pending()
    await store.save_code(code_digest, code, 60)
    await store.save_pending(pending, 60)
    loss.arm(SCRIPT, count=1)
    assert await store.take_code(code_digest) == code
    loss.arm(SCRIPT, count=1)
    assert await store.take_pending(pending.transaction_id) == pending
    assert len(loss.lost) == 2
    assert await store.take_code(code_digest) is None


async def test_an_event_appended_with_a_lost_reply_is_stored_once(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    events = RedisEventStore(connect(), prefix=space.prefix)
    loss.arm(SCRIPT)
    assert await events.append("owner", "0123456789abcdef", b"first") == 1
    assert await events.append("owner", "0123456789abcdef", b"second") == 2
    stored = await events.read_after("owner", "0123456789abcdef", 0)
    assert stored is not None and loss.lost
    assert stored.events == ((1, b"first"), (2, b"second"))


async def test_the_dev_idp_counts_a_wrong_password_once_and_hands_out_what_it_took(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    state = RedisDevIdpState(connect(), SystemClock(), prefix=space.prefix)
    grant = CodeGrant(
        client_id="c",
        redirect_uri="https://app.example/cb",
        code_challenge="x" * 43,
        nonce=None,
        username="alice",
        scopes=("openid",),
        audience=None,
        auth_time=0,
        expires_at=datetime.now(UTC).timestamp() + 60,
    )
    login = a_login()
    await state.save_login(login)
    loss.arm(SCRIPT)
    assert await state.count_failure(login.login_id) == 1
    assert await state.count_failure(login.login_id) == 2
    loss.arm(SCRIPT)
    taken = await state.take_login(login.login_id)
    assert taken is not None and taken.failed_attempts == 2
    await state.save_code("code-digest", grant)
    loss.arm(SCRIPT)
    assert await state.take_code("code-digest") == grant
    assert len(loss.lost) == 3


async def test_a_session_removed_with_a_lost_reply_was_there(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    sessions = RedisSessionStore(connect(), prefix=space.prefix)
    now = datetime.now(UTC)
    session = Session(new_session_id(), ALICE.key, "2025-11-25", {}, {}, now, now)
    loss.arm(SCRIPT)
    await sessions.add(session)
    loss.arm(SCRIPT)
    assert await sessions.remove(session.id) is True
    assert len(loss.lost) == 2
    assert await sessions.get(session.id) is None


async def test_a_signal_published_with_a_lost_reply_is_delivered_once(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    async with RedisSignalRouter(connect(), prefix=space.prefix) as router:
        got: list[bytes] = []
        stop = router.listen("cancel|alice|s|1", got.append)
        loss.arm(b"PUBLISH")
        await router.publish("cancel|alice|s|1", b"once")
        await router.publish("cancel|alice|s|1", b"then this")
        await eventually(lambda: b"then this" in got)
        stop()
    assert loss.lost and got == [b"once", b"then this"]


async def test_when_the_retry_loses_its_reply_too_the_caller_hears_the_outcome_is_unknown(
    space: RedisSpace, loss: ReplyLoss, connect: Connect
) -> None:
    limiter = RedisRateLimiter(connect(), prefix=space.prefix)
    loss.arm(SCRIPT, count=2)
    with pytest.raises(StateUnavailable, match="outcome unknown"):
        await limiter.take("alice", 3)
    assert (await limiter.take("alice", 3)).remaining == 1  # the first send took a token
