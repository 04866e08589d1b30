"""The development IdP's token endpoint over HTTP: scopes per user, single-use codes, PKCE, tokens."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.dev_idp import DevIdentityProvider
from jamf_mcp.adapters.memory import FixedClock
from tests.integration.dev_idp.dev_idp_support import (
    AUDIENCE,
    CALLBACK,
    ISSUER,
    login_page,
    make_app,
    make_provider,
    pkce_pair,
    post_login,
    redeem,
    sign_in,
)

Client = AsyncTestClient[Litestar]


async def verified_claims(
    client: Client, token: str, *, audience: str, **expected: str
) -> dict[str, Any]:
    """Decode `token` with the provider's published JWKS and check iss, aud and `expected`."""
    keys = KeySet.import_key_set((await client.get("/dev-idp/jwks.json")).json())
    decoded = jwt.decode(token, keys, algorithms=["RS256"])
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        **{name: {"essential": True, "value": value} for name, value in expected.items()},
    )
    registry.validate(decoded.claims)
    return decoded.claims


async def test_bob_gets_only_read_jamf_even_when_he_asks_for_write(
    client: Client, provider: DevIdentityProvider
) -> None:
    bob = await sign_in(client, provider, "bob", scope="openid read:jamf write:jamf")
    response = await redeem(client, provider, bob)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["scope"].split() == ["openid", "read:jamf"]
    claims = await verified_claims(client, body["access_token"], audience=AUDIENCE)
    assert claims["scope"].split() == ["openid", "read:jamf"]
    assert claims["sub"] == "bob"


async def test_alice_gets_read_and_write_and_her_profile(
    client: Client, provider: DevIdentityProvider
) -> None:
    alice = await sign_in(client, provider, "alice")
    body = (await redeem(client, provider, alice)).json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert set(body["scope"].split()) == {"openid", "profile", "email", "read:jamf", "write:jamf"}
    access = await verified_claims(client, body["access_token"], audience=AUDIENCE)
    assert {"read:jamf", "write:jamf"} <= set(access["scope"].split())
    assert access["client_id"] == provider.client_id
    identity = await verified_claims(
        client, body["id_token"], audience=provider.client_id, nonce=alice.query["nonce"]
    )
    assert identity["sub"] == "alice"
    assert identity["name"] == "Alice Example"
    assert identity["email"] == "alice@example.com"
    assert identity["preferred_username"] == "alice"


async def test_the_redirect_carries_state_and_issuer(
    client: Client, provider: DevIdentityProvider
) -> None:
    alice = await sign_in(client, provider, "alice")
    assert alice.callback["state"] == [alice.query["state"]]
    assert alice.callback["iss"] == [ISSUER]
    assert len(alice.code) >= 32


async def test_access_token_audience_follows_the_requested_audience_or_resource(
    client: Client, provider: DevIdentityProvider
) -> None:
    for parameter in ("audience", "resource"):
        elsewhere = f"https://api.example.com/{parameter}"
        signed_in = await sign_in(client, provider, "alice", **{parameter: elsewhere})
        body = (await redeem(client, provider, signed_in)).json()
        await verified_claims(client, body["access_token"], audience=elsewhere)


async def test_a_code_can_be_redeemed_only_once(
    client: Client, provider: DevIdentityProvider
) -> None:
    alice = await sign_in(client, provider, "alice")
    assert (await redeem(client, provider, alice)).status_code == 200
    again = await redeem(client, provider, alice)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


async def test_a_pkce_mismatch_is_invalid_grant_and_spends_the_code(
    client: Client, provider: DevIdentityProvider
) -> None:
    alice = await sign_in(client, provider, "alice")
    other_verifier, _ = pkce_pair()
    wrong = await redeem(client, provider, alice, code_verifier=other_verifier)
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert (await redeem(client, provider, alice)).json()["error"] == "invalid_grant"


async def test_a_redirect_uri_mismatch_at_the_token_endpoint_is_invalid_grant(
    client: Client, provider: DevIdentityProvider
) -> None:
    alice = await sign_in(client, provider, "alice")
    answer = await redeem(client, provider, alice, redirect_uri=CALLBACK + "?other=1")
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


async def test_a_code_older_than_sixty_seconds_is_refused(tmp_path: Path) -> None:
    clock = FixedClock(datetime.now(UTC))
    provider = make_provider(tmp_path, clock=clock)
    async with AsyncTestClient(app=make_app(provider)) as client:
        client.follow_redirects = False
        alice = await sign_in(client, provider, "alice")
        clock.advance(timedelta(seconds=61))
        answer = await redeem(client, provider, alice)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


async def test_client_secret_post_is_accepted_too(
    client: Client, provider: DevIdentityProvider
) -> None:
    alice = await sign_in(client, provider, "alice")
    answer = await client.post(
        "/dev-idp/token",
        data={
            "grant_type": "authorization_code",
            "code": alice.code,
            "redirect_uri": CALLBACK,
            "code_verifier": alice.verifier,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        },
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"


async def test_a_wrong_client_secret_is_invalid_client_with_a_basic_challenge(
    client: Client, provider: DevIdentityProvider
) -> None:
    alice = await sign_in(client, provider, "alice")
    answer = await client.post(
        "/dev-idp/token",
        data={
            "grant_type": "authorization_code",
            "code": alice.code,
            "redirect_uri": CALLBACK,
            "code_verifier": alice.verifier,
        },
        auth=(provider.client_id, "not-the-secret"),
    )
    assert answer.status_code == 401
    assert answer.json()["error"] == "invalid_client"
    assert answer.headers["www-authenticate"].startswith("Basic")
    assert (await redeem(client, provider, alice)).status_code == 200


async def test_other_grant_types_are_unsupported(
    client: Client, provider: DevIdentityProvider
) -> None:
    alice = await sign_in(client, provider, "alice")
    answer = await redeem(client, provider, alice, grant_type="client_credentials")
    assert answer.status_code == 400
    assert answer.json()["error"] == "unsupported_grant_type"


async def test_codes_tokens_passwords_and_the_client_secret_never_reach_the_logs(
    client: Client, provider: DevIdentityProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="jamf_mcp")
    page, _, _ = await login_page(client, provider)
    await post_login(client, page, "alice", "a-wrong-password-123")
    alice = await sign_in(client, provider, "alice")
    body = (await redeem(client, provider, alice)).json()
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("jamf_mcp"))
    assert "dev-idp signed in alice" in ours
    for secret in (
        alice.code,
        body["access_token"],
        body["id_token"],
        provider.client_secret,
        "a-wrong-password-123",
    ):
        assert secret not in ours
