"""No token, code, nonce or secret text reaches the logs, whatever the outcome."""

from __future__ import annotations

import contextlib
import logging

import pytest

from jamf_mcp.adapters.oidc import OidcTokenVerifier, RemoteJwks, TrustedIssuer
from jamf_mcp.domain.errors import InvalidToken
from tests.unit.oidc.oidc_fakes import (
    AUDIENCE,
    ISSUER,
    T0,
    FakeIdentityProvider,
    claims,
    clock,
    jwks_of,
    rsa_key,
    sign,
    unsigned,
)


async def test_verifying_good_and_bad_tokens_logs_no_token_text(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    key = rsa_key()
    idp = FakeIdentityProvider(jwks=jwks_of(key))
    tokens = [
        sign(key, claims()),
        sign(key, claims(exp=T0 - 999)),
        sign(key, claims(aud="https://else.test")),
        sign(rsa_key("ghost"), claims()),
        unsigned(claims()),
        "not.a.jwt",
    ]
    async with idp.client() as http:
        verifier = OidcTokenVerifier(
            [TrustedIssuer(ISSUER, {AUDIENCE}, RemoteJwks(ISSUER, http, clock=clock()))],
            clock=clock(),
        )
        for token in tokens:
            with contextlib.suppress(InvalidToken):
                await verifier.verify(token)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "bearer token rejected" in logged  # the test would be vacuous without any records
    for token in tokens:
        for segment in token.split("."):
            if len(segment) > 8:
                assert segment not in logged
