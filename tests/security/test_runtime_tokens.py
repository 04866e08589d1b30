"""Tokens this server mints carry `typ: at+jwt`, and it accepts no other from its own issuers;
no token may live absurdly long, whoever signed it.

An ID token, or any JWT the server's key (or the development IdP's) signs for another purpose,
must not pass as an access token; a leaked token minted to last a year must not work for a year.
Tokens from external providers keep working as they are issued (Auth0 and Okta sign access
tokens with `typ: JWT`), within the same lifetime cap.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from jamf_mcp.adapters.oidc import OidcTokenVerifier, StaticJwks, TrustedIssuer
from jamf_mcp.adapters.oidc.jwt_checks import ACCESS_TOKEN_TYPE, peek
from jamf_mcp.adapters.oidc.signing import SigningKey, access_token_claims
from jamf_mcp.domain.errors import InvalidToken
from tests.e2e.inprocess import InProcessServer, serving
from tests.unit.oidc.oidc_fakes import AUDIENCE, ISSUER, claims, clock, jwks_of, rsa_key, sign

PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}


def our_token(server: InProcessServer, *, typ: str = "at+jwt", ttl: int = 600) -> str:
    key = SigningKey.load_or_create(server.settings.data_dir / "signing-key.json")
    body = access_token_claims(
        issuer=server.settings.public_url,
        audience=server.settings.resource_url,
        subject="alice",
        scopes=frozenset({"read:jamf"}),
        ttl_seconds=ttl,
    )
    return key.sign(body, typ=typ)


async def ping(server: InProcessServer, token: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(
            server.mcp_url,
            json=PING,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )


async def test_our_own_tokens_must_say_they_are_access_tokens(tmp_path: Path) -> None:
    async with serving(tmp_path / "data") as server:
        minted = our_token(server)
        assert peek(minted).header["typ"] == "at+jwt"
        assert (await ping(server, minted)).status_code == 200
        for typ in ("JWT", "id_token+jwt", "logout+jwt"):
            refused = await ping(server, our_token(server, typ=typ))
            assert refused.status_code == 401, typ
            assert "invalid_token" in refused.headers["www-authenticate"]


async def test_a_token_living_longer_than_the_cap_is_refused_even_before_it_expires(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path / "data") as server:
        day = server.settings.auth.max_token_lifetime_seconds
        assert (await ping(server, our_token(server, ttl=day))).status_code == 200
        assert (await ping(server, our_token(server, ttl=365 * day))).status_code == 401


def verifier(token_type: str | None, key: Any) -> OidcTokenVerifier:
    trusted = TrustedIssuer(
        ISSUER, {AUDIENCE}, StaticJwks(jwks_of(key)), token_type=token_type,
        max_lifetime_seconds=3600,
    )  # fmt: skip
    return OidcTokenVerifier([trusted], clock=clock())


async def test_external_providers_tokens_are_verified_as_they_issue_them() -> None:
    key = rsa_key()
    external = verifier(None, key)  # Auth0/Okta: no `typ` requirement
    principal = await external.verify(sign(key, claims(), typ="JWT"))
    assert principal.subject == "user-42"
    assert (await external.verify(sign(key, claims()))).subject == "user-42"  # no typ at all


async def test_our_issuers_refuse_any_other_type_and_any_issuer_an_absurd_lifetime() -> None:
    key = rsa_key()
    ours = verifier(ACCESS_TOKEN_TYPE, key)
    accepted = await ours.verify(sign(key, claims(), typ="application/at+jwt"))
    assert accepted.subject == "user-42"
    with pytest.raises(InvalidToken) as untyped:
        await ours.verify(sign(key, claims()))
    assert untyped.value.reason == "wrong_type"
    year = 365 * 24 * 3600
    for lifetime_claims in (claims(exp=claims()["iat"] + year), claims(iat=None, exp=int(time.time()) + year)):  # fmt: skip
        with pytest.raises(InvalidToken) as absurd:
            await verifier(None, key).verify(sign(key, lifetime_claims, typ="JWT"))
        assert absurd.value.reason == "lifetime_too_long"


def test_dev_token_refuses_to_mint_a_token_the_server_would_refuse(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "jamf_mcp", "dev-token", "--data-dir", str(tmp_path)]
    too_long = subprocess.run([*command, "--ttl", str(10 * 365 * 24 * 3600)], capture_output=True, text=True)  # fmt: skip
    assert too_long.returncode == 2
    assert "JAMF_MCP_MAX_TOKEN_LIFETIME_SECONDS" in too_long.stderr
    fine = subprocess.run(command, capture_output=True, text=True, check=True)
    assert peek(fine.stdout.strip()).header["typ"] == "at+jwt"
