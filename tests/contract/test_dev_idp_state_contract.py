"""The development IdP's `DevIdpState` contract, run in memory and in Redis: a sign-in works
whichever replica each step reaches, and every form, code and refresh token works once."""

from __future__ import annotations

import asyncio
import secrets
import time

import pytest

from jamf_mcp.adapters.dev_idp import AuthorizationRequest, DevIdpState, InMemoryDevIdpState
from jamf_mcp.adapters.dev_idp.grants import (
    MAX_FAILED_ATTEMPTS,
    CodeGrant,
    PendingLogin,
    RefreshRecord,
)
from jamf_mcp.adapters.redis import RedisDevIdpState
from jamf_mcp.adapters.system.clock import SystemClock
from tests.contract.redis_support import STORE_BACKENDS, Replicas, shared_space

SHORT = 0.25


@pytest.fixture(params=STORE_BACKENDS)
def replicas(request: pytest.FixtureRequest) -> Replicas[DevIdpState]:
    if request.param == "memory":
        memory = InMemoryDevIdpState(SystemClock())
        return Replicas(lambda: memory)
    space = shared_space(request)
    assert space is not None
    return Replicas(lambda: RedisDevIdpState(space.connect(), SystemClock(), prefix=space.prefix))


def a_login(lives: float = 60.0) -> PendingLogin:
    return PendingLogin(
        login_id=secrets.token_urlsafe(24),
        request=AuthorizationRequest(
            client_id="jamf-mcp",
            redirect_uri="http://127.0.0.1:8000/auth/upstream/callback",
            state="s-1",
            nonce=None,
            code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            scopes=("openid", "read:jamf"),
            audience="http://127.0.0.1:8000/mcp",
        ),
        csrf_token=secrets.token_urlsafe(32),
        browser_digest=secrets.token_hex(32),
        expires_at=time.time() + lives,
    )


def a_code(lives: float = 60.0) -> CodeGrant:
    return CodeGrant(
        client_id="jamf-mcp",
        redirect_uri="http://127.0.0.1:8000/auth/upstream/callback",
        code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        nonce="n-1",
        username="alice",
        scopes=("openid", "offline_access", "read:jamf"),
        audience=None,
        auth_time=int(time.time()),
        expires_at=time.time() + lives,
    )


def a_refresh(lives: float = 60.0) -> RefreshRecord:
    return RefreshRecord(
        client_id="jamf-mcp",
        username="alice",
        scopes=("openid", "offline_access", "read:jamf", "write:jamf"),
        audience="http://127.0.0.1:8000/mcp",
        auth_time=int(time.time()),
        expires_at=time.time() + lives,
    )


async def test_a_login_form_opened_at_one_replica_is_posted_at_another_once(
    replicas: Replicas[DevIdpState],
) -> None:
    login = a_login()
    await replicas.first.save_login(login)
    other = replicas.another()
    assert await other.login(login.login_id) == login
    assert await other.take_login(login.login_id) == login
    assert await replicas.first.login(login.login_id) is None
    assert await replicas.first.take_login(login.login_id) is None


async def test_wrong_passwords_are_counted_across_replicas(
    replicas: Replicas[DevIdpState],
) -> None:
    login = a_login()
    await replicas.first.save_login(login)
    counts = await asyncio.gather(
        *(
            (replicas.first if n % 2 else replicas.another()).count_failure(login.login_id)
            for n in range(MAX_FAILED_ATTEMPTS)
        )
    )
    assert sorted(counts) == list(range(1, MAX_FAILED_ATTEMPTS + 1))
    seen = await replicas.another().login(login.login_id)
    assert seen is not None and seen.exhausted
    assert await replicas.first.count_failure("no-such-form") == 0


async def test_a_code_and_a_refresh_token_are_each_taken_exactly_once(
    replicas: Replicas[DevIdpState],
) -> None:
    code, refresh = a_code(), a_refresh()
    await replicas.first.save_code("code-digest", code)
    await replicas.first.save_refresh("refresh-digest", refresh)
    stores = [replicas.first, replicas.another()]
    codes = await asyncio.gather(*(stores[n % 2].take_code("code-digest") for n in range(10)))
    tokens = await asyncio.gather(
        *(stores[n % 2].take_refresh("refresh-digest") for n in range(10))
    )
    assert [c for c in codes if c is not None] == [code]
    assert [t for t in tokens if t is not None] == [refresh]


async def test_forms_codes_and_refresh_tokens_vanish_at_their_expiry(
    replicas: Replicas[DevIdpState],
) -> None:
    login = a_login(SHORT)
    await replicas.first.save_login(login)
    await replicas.first.save_code("c", a_code(SHORT))
    await replicas.first.save_refresh("r", a_refresh(SHORT))
    await asyncio.sleep(SHORT + 0.2)
    other = replicas.another()
    assert await other.login(login.login_id) is None
    assert await other.take_code("c") is None
    assert await other.take_refresh("r") is None
