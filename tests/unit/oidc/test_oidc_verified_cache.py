"""Tokens seen before skip the signature check, never the expiry check or a key rotation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from joserfc.jwk import KeySet, RSAKey

from jamf_mcp.adapters.memory.clock import FixedClock
from jamf_mcp.adapters.oidc import OidcTokenVerifier, StaticJwks, TrustedIssuer, jwt_checks
from jamf_mcp.adapters.oidc.jwks import import_jwks, select_key
from jamf_mcp.adapters.oidc.reasons import RejectionReason, rejected
from jamf_mcp.domain.errors import InvalidToken
from tests.unit.oidc.oidc_fakes import AUDIENCE, ISSUER, claims, clock, jwks_of, rsa_key, sign


class SwappableJwks:
    """A key set the test can replace, as a refreshed remote JWKS would be."""

    def __init__(self, *keys: RSAKey) -> None:
        self.keys: KeySet = import_jwks(jwks_of(*keys))

    async def find_key(self, kid: str | None) -> Any:
        key = select_key(self.keys, kid)
        if key is None:
            raise rejected(RejectionReason.UNKNOWN_KEY)
        return key


@pytest.fixture(scope="module")
def key() -> RSAKey:
    return rsa_key("rsa-1")


@pytest.fixture
def signatures(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens whose signature was checked."""
    checked: list[str] = []
    real = jwt_checks.verify_signature

    async def counting(token: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        checked.append(token)
        return await real(token, *args, **kwargs)

    monkeypatch.setattr("jamf_mcp.adapters.oidc.verifier.verify_signature", counting)
    return checked


def _verifier(keys: Any, now: FixedClock, cache_size: int = 10_000) -> OidcTokenVerifier:
    return OidcTokenVerifier(
        [TrustedIssuer(ISSUER, frozenset({AUDIENCE}), keys)], clock=now, cache_size=cache_size
    )


async def test_a_token_seen_again_is_not_checked_twice(key: RSAKey, signatures: list[str]) -> None:
    verifier = _verifier(StaticJwks(jwks_of(key)), clock())
    token = sign(key, claims(scope="read:jamf write:jamf"))
    first = await verifier.verify(token)
    again = await verifier.verify(token)
    assert first == again
    assert again.scopes == frozenset({"read:jamf", "write:jamf"})
    assert signatures == [token]


async def test_a_remembered_token_still_expires(key: RSAKey, signatures: list[str]) -> None:
    now = clock()
    verifier = _verifier(StaticJwks(jwks_of(key)), now)
    token = sign(key, claims())  # expires 600 s from now
    await verifier.verify(token)
    now.advance(timedelta(seconds=600 + 31))  # past the 30 s leeway
    with pytest.raises(InvalidToken) as refused:
        await verifier.verify(token)
    assert refused.value.reason == "expired"
    with pytest.raises(InvalidToken):
        await verifier.verify(token)


async def test_a_rotated_key_means_the_signature_is_checked_again(
    key: RSAKey, signatures: list[str]
) -> None:
    keys = SwappableJwks(key)
    verifier = _verifier(keys, clock())
    token = sign(key, claims())
    await verifier.verify(token)
    keys.keys = import_jwks(jwks_of(key))  # the same key, re-fetched: a new key object
    await verifier.verify(token)
    assert signatures == [token, token]
    keys.keys = import_jwks(jwks_of(rsa_key("rsa-2")))  # the key is gone
    with pytest.raises(InvalidToken) as refused:
        await verifier.verify(token)
    assert refused.value.reason == "unknown_key"
    impostor = rsa_key("rsa-1")  # same kid, different key: the old signature no longer holds
    keys.keys = import_jwks(jwks_of(impostor))
    with pytest.raises(InvalidToken) as refused:
        await verifier.verify(token)
    assert refused.value.reason == "bad_signature"


async def test_a_rejected_token_is_never_remembered(key: RSAKey, signatures: list[str]) -> None:
    verifier = _verifier(StaticJwks(jwks_of(key)), clock())
    forged = sign(rsa_key("rsa-1"), claims())  # the right kid, someone else's key
    for _ in range(2):
        with pytest.raises(InvalidToken):
            await verifier.verify(forged)
    assert signatures == [forged, forged]


async def test_the_memory_is_bounded(key: RSAKey, signatures: list[str]) -> None:
    verifier = _verifier(StaticJwks(jwks_of(key)), clock(), cache_size=2)
    tokens = [sign(key, claims(sub=f"user-{n}")) for n in range(3)]
    for token in tokens:
        await verifier.verify(token)
    await verifier.verify(tokens[0])  # the oldest was forgotten
    await verifier.verify(tokens[2])  # the newest was not
    assert signatures == [*tokens, tokens[0]]
