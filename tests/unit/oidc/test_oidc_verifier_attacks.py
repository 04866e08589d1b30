"""The JWT attack suite against OidcTokenVerifier, with static keys and with a remote JWKS."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import pytest
from joserfc.jwk import ECKey, OKPKey, RSAKey

from jamf_mcp.adapters.memory.clock import FixedClock
from jamf_mcp.adapters.oidc import OidcTokenVerifier, RemoteJwks, StaticJwks, TrustedIssuer
from jamf_mcp.domain.errors import InvalidToken
from jamf_mcp.domain.principal import Principal
from tests.unit.oidc.oidc_fakes import (
    AUDIENCE,
    ISSUER,
    T0,
    FakeIdentityProvider,
    b64json,
    claims,
    clock,
    ec_key,
    ed_key,
    hs256_with_public_key,
    jwks_of,
    rsa_key,
    sign,
    unsigned,
)

Verify = Callable[[str], Awaitable[Principal]]


@pytest.fixture(scope="module")
def key() -> RSAKey:
    return rsa_key("rsa-1")


@pytest.fixture(scope="module")
def other_keys() -> dict[str, ECKey | OKPKey]:
    return {"ES256": ec_key(), "EdDSA": ed_key()}


@pytest.fixture
def fixed_clock() -> FixedClock:
    return clock()


@pytest.fixture(params=["static", "remote"])
async def verify(
    request: pytest.FixtureRequest,
    key: RSAKey,
    other_keys: dict[str, ECKey | OKPKey],
    fixed_clock: FixedClock,
) -> AsyncIterator[Verify]:
    jwks = jwks_of(key, *other_keys.values())
    if request.param == "static":
        verifier = OidcTokenVerifier(
            [TrustedIssuer(ISSUER, frozenset({AUDIENCE}), StaticJwks(jwks))], clock=fixed_clock
        )
        yield verifier.verify
        return
    idp = FakeIdentityProvider(jwks=jwks)
    async with idp.client() as http:
        source = RemoteJwks(ISSUER, http, clock=fixed_clock)
        verifier = OidcTokenVerifier(
            [TrustedIssuer(ISSUER, frozenset({AUDIENCE}), source)], clock=fixed_clock
        )
        yield verifier.verify


async def reason_of(verify: Verify, token: str) -> str:
    with pytest.raises(InvalidToken) as caught:
        await verify(token)
    return caught.value.reason


async def test_accepts_a_valid_rs256_token_and_returns_the_principal(
    verify: Verify, key: RSAKey
) -> None:
    principal = await verify(sign(key, claims()))
    assert principal.issuer == ISSUER
    assert principal.subject == "user-42"
    assert principal.scopes == frozenset({"read:jamf"})


@pytest.mark.parametrize("alg", ["ES256", "EdDSA"])
async def test_accepts_es256_and_eddsa_tokens_from_published_keys(
    verify: Verify, other_keys: dict[str, ECKey | OKPKey], alg: str
) -> None:
    principal = await verify(sign(other_keys[alg], claims(), alg=alg))
    assert principal.subject == "user-42"


async def test_accepts_ps256_from_a_key_published_without_an_alg() -> None:
    unpinned = rsa_key("unpinned", alg=None)
    verifier = OidcTokenVerifier(
        [TrustedIssuer(ISSUER, {AUDIENCE}, StaticJwks(jwks_of(unpinned)))], clock=clock()
    )
    assert (await verifier.verify(sign(unpinned, claims(), alg="PS256"))).subject == "user-42"


async def test_refuses_alg_none(verify: Verify) -> None:
    assert await reason_of(verify, unsigned(claims())) == "bad_algorithm"


async def test_refuses_hs256_signed_with_the_rsa_public_key_as_secret(
    verify: Verify, key: RSAKey
) -> None:
    assert await reason_of(verify, hs256_with_public_key(key, claims())) == "bad_algorithm"


async def test_refuses_a_permitted_algorithm_that_does_not_match_the_key(
    verify: Verify, key: RSAKey
) -> None:
    # PS256 is allowed in general, but this key is published for RS256 only.
    same_key_unpinned = RSAKey.import_key(
        {k: v for k, v in key.as_dict(private=True).items() if k != "alg"}
    )
    token = sign(same_key_unpinned, claims(), alg="PS256")
    assert await reason_of(verify, token) == "bad_algorithm"


async def test_refuses_an_es256_header_pointing_at_an_rsa_key(verify: Verify, key: RSAKey) -> None:
    forger = ec_key(kid="rsa-1")
    assert await reason_of(verify, sign(forger, claims(), alg="ES256")) == "bad_algorithm"


async def test_refuses_an_unknown_kid(verify: Verify) -> None:
    assert await reason_of(verify, sign(rsa_key("who-is-this"), claims())) == "unknown_key"


async def test_refuses_a_foreign_key_that_reuses_a_known_kid(verify: Verify) -> None:
    impostor = rsa_key("rsa-1")
    assert await reason_of(verify, sign(impostor, claims())) == "bad_signature"


async def test_refuses_a_token_whose_claims_were_tampered_with(verify: Verify, key: RSAKey) -> None:
    header, _payload, signature = sign(key, claims(scope="read:jamf")).split(".")
    forged = f"{header}.{b64json(claims(scope='read:jamf write:jamf'))}.{signature}"
    assert await reason_of(verify, forged) == "bad_signature"


async def test_refuses_a_token_with_one_payload_byte_flipped(verify: Verify, key: RSAKey) -> None:
    header, payload, signature = sign(key, claims()).split(".")
    flipped = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    assert await reason_of(verify, f"{header}.{flipped}.{signature}") in {
        "bad_signature",
        "malformed",
    }


async def test_refuses_an_expired_token_beyond_the_leeway(verify: Verify, key: RSAKey) -> None:
    assert await reason_of(verify, sign(key, claims(exp=T0 - 31))) == "expired"


async def test_accepts_a_token_expired_within_the_leeway(verify: Verify, key: RSAKey) -> None:
    assert (await verify(sign(key, claims(exp=T0 - 29)))).subject == "user-42"


async def test_refuses_a_token_without_exp(verify: Verify, key: RSAKey) -> None:
    assert await reason_of(verify, sign(key, claims(exp=None))) == "malformed"


async def test_refuses_a_token_not_yet_valid(verify: Verify, key: RSAKey) -> None:
    assert await reason_of(verify, sign(key, claims(nbf=T0 + 120))) == "not_yet_valid"


async def test_refuses_a_token_issued_in_the_future(verify: Verify, key: RSAKey) -> None:
    assert await reason_of(verify, sign(key, claims(iat=T0 + 120))) == "not_yet_valid"


async def test_refuses_a_token_from_an_issuer_nobody_trusts(verify: Verify, key: RSAKey) -> None:
    token = sign(key, claims(iss="https://evil.example.test"))
    assert await reason_of(verify, token) == "unknown_issuer"


async def test_refuses_an_issuer_that_differs_only_by_a_trailing_slash(
    verify: Verify, key: RSAKey
) -> None:
    assert await reason_of(verify, sign(key, claims(iss=ISSUER + "/"))) == "wrong_issuer"


@pytest.mark.parametrize(
    "aud", ["https://other.example.test/mcp", ["https://a.test", "https://b.test"], None, ""]
)
async def test_refuses_a_token_for_another_audience(
    verify: Verify, key: RSAKey, aud: object
) -> None:
    assert await reason_of(verify, sign(key, claims(aud=aud))) == "wrong_audience"


async def test_accepts_an_audience_list_containing_ours(verify: Verify, key: RSAKey) -> None:
    principal = await verify(sign(key, claims(aud=["https://other.test", AUDIENCE])))
    assert principal.subject == "user-42"


async def test_accepts_a_valid_token_with_no_scopes_as_a_principal_without_scopes(
    verify: Verify, key: RSAKey
) -> None:
    principal = await verify(sign(key, claims(scope=None)))
    assert principal.scopes == frozenset()


@pytest.mark.parametrize("sub", [None, "", 42])
async def test_refuses_a_token_without_a_usable_subject(
    verify: Verify, key: RSAKey, sub: object
) -> None:
    assert await reason_of(verify, sign(key, claims(sub=sub))) == "missing_subject"


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "abc.def",
        "a.b.c.d",
        "!!!.@@@.###",
        f"{b64json({'alg': 'RS256'})}.bm90IGpzb24.sig",
        f"{b64json({'alg': 'RS256'})}.{b64json(['a', 'list'])}.sig",
        f"{b64json({'typ': 'JWT'})}.{b64json({'iss': ISSUER})}.sig",
        f"bm90IGpzb24.{b64json({'iss': ISSUER})}.sig",
    ],
    ids=[
        "1-segment",
        "2-segments",
        "4-segments",
        "bad-base64",
        "payload-not-json",
        "payload-not-object",
        "header-without-alg",
        "header-not-json",
    ],
)
async def test_refuses_malformed_tokens(verify: Verify, token: str) -> None:
    assert await reason_of(verify, token) == "malformed"


async def test_refuses_an_empty_token_as_missing(verify: Verify) -> None:
    assert await reason_of(verify, "") == "missing"


async def test_refuses_an_oversized_token_before_parsing_it(verify: Verify, key: RSAKey) -> None:
    token = sign(key, claims(padding="x" * 9000))
    assert await reason_of(verify, token) == "too_large"


async def test_shows_clients_only_a_generic_message(verify: Verify, key: RSAKey) -> None:
    with pytest.raises(InvalidToken) as caught:
        await verify(sign(key, claims(aud="https://other.test")))
    assert caught.value.message == "Invalid token"
    with pytest.raises(InvalidToken) as expired:
        await verify(sign(key, claims(exp=T0 - 3600)))
    assert expired.value.message == "Token expired"


async def test_honours_the_injected_clock(
    verify: Verify, key: RSAKey, fixed_clock: FixedClock
) -> None:
    token = sign(key, claims(exp=T0 + 60))
    await verify(token)
    fixed_clock.advance(timedelta(seconds=91))
    assert await reason_of(verify, token) == "expired"
