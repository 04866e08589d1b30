"""Sealed upstream credentials and the per-request revocation check."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamf_mcp.adapters.memory.clock import FixedClock
from jamf_mcp.adapters.oauth_server import (
    Denial,
    DenylistCheck,
    InMemoryAccessDenylist,
    UpstreamCredentials,
)
from jamf_mcp.adapters.oauth_server.denylist import GRANT, SUBJECT, subject_key
from jamf_mcp.adapters.oauth_server.sealing import CredentialSeal
from tests.unit.oauth_server.oauth_fakes import ISSUER, start_clock

SEAL = CredentialSeal(b"s" * 32)


_secrets = st.one_of(st.none(), st.text(min_size=1, max_size=300))
credentials = st.builds(
    UpstreamCredentials,
    refresh_token=_secrets,
    access_token=_secrets,
    access_expires_at=st.one_of(st.none(), st.floats(0, 4e9, allow_nan=False)),
)


@given(credentials)
def test_any_credentials_survive_sealing_and_never_show_through(
    kept: UpstreamCredentials,
) -> None:
    sealed = SEAL.seal(kept)
    if kept.empty:
        assert sealed is None
        return
    assert sealed is not None
    assert SEAL.open(sealed) == kept
    for secret in (kept.refresh_token, kept.access_token):
        if secret is not None and len(secret) >= 8:
            assert secret not in sealed


def test_sealed_credentials_open_to_what_was_sealed_and_hide_it() -> None:
    credentials = UpstreamCredentials(refresh_token="rt-secret", access_expires_at=12.5)
    sealed = SEAL.seal(credentials)
    assert sealed is not None and "rt-secret" not in sealed
    assert SEAL.open(sealed) == credentials
    assert SEAL.seal(credentials) != sealed  # a fresh nonce every time
    assert SEAL.seal(UpstreamCredentials()) is None


@pytest.mark.parametrize("damage", ["flip", "truncate", "garbage", "other-key"])
def test_tampered_or_foreign_sealed_credentials_open_to_nothing(damage: str) -> None:
    sealed = SEAL.seal(UpstreamCredentials(refresh_token="rt"))
    assert sealed is not None
    raw = bytearray(base64.urlsafe_b64decode(sealed))
    if damage == "flip":
        raw[-1] ^= 1
        sealed = base64.urlsafe_b64encode(bytes(raw)).decode()
    elif damage == "truncate":
        sealed = sealed[:20]
    elif damage == "garbage":
        sealed = "not base64 at all!"
    opener = CredentialSeal(b"o" * 32) if damage == "other-key" else SEAL
    assert opener.open(sealed) == UpstreamCredentials()


def test_a_seal_needs_a_32_byte_key() -> None:
    with pytest.raises(ValueError):
        CredentialSeal(b"short")


def _check(
    clock: FixedClock, sync: float = 0.0, now: list[float] | None = None
) -> tuple[InMemoryAccessDenylist, DenylistCheck]:
    denylist = InMemoryAccessDenylist(clock)
    ticks = now if now is not None else [0.0]
    return denylist, DenylistCheck(denylist, ISSUER, sync_seconds=sync, monotonic=lambda: ticks[0])


def _claims(**overrides: object) -> dict[str, object]:
    return {"iss": ISSUER, "sub": "alice", "iat": 1000, "sid": "sid-1", **overrides}


async def test_a_grant_denial_refuses_our_tokens_with_that_sid_only() -> None:
    clock = start_clock()
    now = clock.now().timestamp()
    denylist, check = _check(clock)
    await denylist.add([Denial(GRANT, "sid-1", now, now + 60)])
    assert await check.is_revoked(_claims())
    assert not await check.is_revoked(_claims(sid="sid-2"))
    # An upstream token's `sid` is the upstream's session id: it means nothing here.
    assert not await check.is_revoked(_claims(iss="https://idp.example.test"))


async def test_a_subject_denial_refuses_tokens_issued_up_to_the_revocation_of_any_issuer() -> None:
    clock = start_clock()
    at = clock.now().timestamp()
    denylist, check = _check(clock)
    await denylist.add([Denial(SUBJECT, subject_key("alice"), at, at + 60)])
    assert await check.is_revoked(_claims(iat=int(at) - 100, sid=None))
    assert await check.is_revoked(_claims(iat=int(at), iss="https://idp.example.test"))
    assert await check.is_revoked(_claims(iat=None))  # cannot prove it came later
    assert not await check.is_revoked(_claims(iat=int(at) + 1))
    assert not await check.is_revoked(_claims(sub="bob", iat=int(at) - 100))
    assert await check.subject_revoked_since("alice", at - 5)
    assert not await check.subject_revoked_since("alice", at + 5)


async def test_a_shared_denylist_is_read_at_most_once_per_sync_interval() -> None:
    clock = start_clock()
    ticks = [0.0]
    denylist, check = _check(clock, sync=1.0, now=ticks)
    assert not await check.is_revoked(_claims())
    now = clock.now().timestamp()
    await denylist.add([Denial(GRANT, "sid-1", now, now + 60)])
    ticks[0] = 0.5
    assert not await check.is_revoked(_claims())  # the copy is at most a second stale...
    ticks[0] = 1.01
    assert await check.is_revoked(_claims())  # ...and then catches up
