"""Scopes in every provider dialect, principal fields, and the 401 wording helper."""

from __future__ import annotations

import pytest

from jamf_mcp.adapters.oidc import (
    OidcTokenVerifier,
    RejectionReason,
    StaticJwks,
    TrustedIssuer,
    describe,
)
from jamf_mcp.adapters.oidc.claims import scopes_from_claims
from jamf_mcp.application.ports import TokenVerifier
from tests.unit.oidc.oidc_fakes import AUDIENCE, ISSUER, claims, clock, jwks_of, rsa_key, sign


@pytest.mark.parametrize(
    ("token_claims", "expected"),
    [
        ({"scope": "read:jamf  write:jamf"}, {"read:jamf", "write:jamf"}),
        ({"scp": ["read:jamf", "openid"]}, {"read:jamf", "openid"}),
        ({"scp": "write:jamf"}, {"write:jamf"}),
        ({"permissions": ["read:jamf", 7, ""]}, {"read:jamf"}),
        (
            {"scope": "openid", "scp": ["read:jamf"], "permissions": ["write:jamf"]},
            {"openid", "read:jamf", "write:jamf"},
        ),
        ({"scope": 12, "scp": {"read:jamf": True}}, set()),
        ({}, set()),
    ],
    ids=["scope", "scp-list", "scp-string", "permissions", "union", "junk", "none"],
)
def test_reads_scopes_from_scope_scp_and_permissions(
    token_claims: dict[str, object], expected: set[str]
) -> None:
    assert scopes_from_claims(token_claims) == frozenset(expected)


async def test_fills_every_principal_field_from_standard_claims() -> None:
    key = rsa_key()
    verifier = OidcTokenVerifier(
        [TrustedIssuer(ISSUER, AUDIENCE, StaticJwks(jwks_of(key)))], clock=clock()
    )
    token = sign(
        key,
        claims(
            scope=None,
            permissions=["write:jamf"],
            preferred_username="ada",
            email="ada@example.test",
            azp="chatgpt",
        ),
    )
    principal = await verifier.verify(token)
    assert principal.issuer == ISSUER
    assert principal.subject == "user-42"
    assert principal.scopes == frozenset({"write:jamf"})
    assert principal.display_name == "ada"
    assert principal.email == "ada@example.test"
    assert principal.client_id == "chatgpt"


async def test_prefers_name_then_preferred_username_then_nickname_and_client_id_over_azp() -> None:
    key = rsa_key()
    verifier = OidcTokenVerifier(
        [TrustedIssuer(ISSUER, {AUDIENCE}, StaticJwks(jwks_of(key)))], clock=clock()
    )
    token = sign(
        key,
        claims(
            name="Ada Lovelace",
            preferred_username="ada",
            nickname="a",
            client_id="mcp-client",
            azp="other",
            cid="okta",
        ),
    )
    principal = await verifier.verify(token)
    assert principal.display_name == "Ada Lovelace"
    assert principal.client_id == "mcp-client"
    okta = await verifier.verify(sign(key, claims(nickname="a", cid="okta-app")))
    assert (okta.display_name, okta.client_id, okta.email) == ("a", "okta-app", None)


def test_tells_clients_expired_or_invalid_and_nothing_more() -> None:
    assert describe("expired") == ("Token expired", "Please re-authenticate")
    for reason in RejectionReason:
        if reason != RejectionReason.EXPIRED:
            assert describe(reason) == ("Invalid token", "Please re-authenticate")


def test_refuses_to_trust_an_issuer_without_audiences() -> None:
    with pytest.raises(ValueError, match="audience"):
        TrustedIssuer(ISSUER, frozenset(), StaticJwks(jwks_of(rsa_key())))


def test_implements_the_token_verifier_port() -> None:
    verifier: TokenVerifier = OidcTokenVerifier(
        [TrustedIssuer(ISSUER, {AUDIENCE}, StaticJwks(jwks_of(rsa_key())))]
    )
    assert verifier is not None
