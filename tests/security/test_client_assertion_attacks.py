"""ChatGPT's Client ID Metadata Document with `private_key_jwt`: the honest sign-in, and every
way to abuse RFC 7523 client assertions — `alg: none`, HS256 with the public key as the secret, an
algorithm the document did not name, another issuer or subject, another audience, a long-lived
or expired assertion, no `jti`, a replayed one, another key with the same `kid`, a flood of
unknown `kid`s — and key sets at addresses the server must never reach."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import pytest
from joserfc.jwk import RSAKey

from jamf_mcp.adapters.oauth_server import ConsentPrompt, ErrorPage
from tests.clients.chatgpt_site import ChatGptSite, unsigned
from tests.unit.oauth_server.oauth_fakes import (
    ISSUER,
    RESOURCE,
    World,
    authorize_params,
    build_world,
    code_for,
    pkce_pair,
    start_clock,
)

TOKEN_URL = ISSUER + "/auth/callback"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def chatgpt_world(site: ChatGptSite, **options: Any) -> World:
    clock = start_clock()
    return build_world(fetcher=site.fetcher(clock), clock=clock, **options)


async def signed_in(world: World, site: ChatGptSite) -> tuple[str, str]:
    """A code and its verifier for ChatGPT, through consent and the upstream."""
    code, verifier, _ = await code_for(world, site.client_id, redirect_uri=site.redirect_uris[0])
    assert code
    return code, verifier


def code_form(site: ChatGptSite, code: str, verifier: str, assertion: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": code,
        "code_verifier": verifier,
        "redirect_uri": site.redirect_uris[0],
        "resource": RESOURCE,
        "client_assertion_type": JWT_BEARER,
        "client_assertion": assertion,
    }


async def redeem(world: World, site: ChatGptSite, assertion: str) -> tuple[int, dict[str, Any]]:
    code, verifier = await signed_in(world, site)
    reply = await world.front_door.token(code_form(site, code, verifier, assertion), None)
    return reply.status, reply.body


async def test_chatgpt_signs_in_with_its_published_document_and_a_signed_assertion() -> None:
    site = ChatGptSite()
    world = chatgpt_world(site)
    status, body = await redeem(world, site, site.assertion(TOKEN_URL))
    assert status == 200, body
    assert body["scope"] == "read:jamf write:jamf" and body["refresh_token"]
    # The document and the key set both came through the SSRF-checked fetcher.
    assert site.served == [site.client_id, "https://chatgpt.com/oauth/jwks.json"]
    refreshed = await world.front_door.token(
        {
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_assertion_type": JWT_BEARER,
            "client_assertion": site.assertion(ISSUER),  # the issuer is a valid audience too
        },
        None,
    )
    assert refreshed.status == 200, refreshed.body


async def test_the_consent_page_names_chatgpt_and_the_host_that_published_it() -> None:
    site = ChatGptSite()
    _, challenge = pkce_pair()
    prompt = await chatgpt_world(site).front_door.authorize(
        authorize_params(site.client_id, challenge, redirect_uri=site.redirect_uris[0]), None
    )
    assert isinstance(prompt, ConsentPrompt), prompt
    assert (prompt.client_name, prompt.verified_by_url) == ("ChatGPT", "chatgpt.com")


async def test_a_replayed_assertion_is_refused() -> None:
    site = ChatGptSite()
    world = chatgpt_world(site)
    assertion = site.assertion(TOKEN_URL)
    assert (await redeem(world, site, assertion))[0] == 200
    status, body = await redeem(world, site, assertion)
    assert (status, body["error"]) == (401, "invalid_client")


def _forged_with_algorithms(site: ChatGptSite) -> list[str]:
    now = int(world_now())
    claims = {
        "iss": site.client_id,
        "sub": site.client_id,
        "aud": TOKEN_URL,
        "iat": now,
        "exp": now + 60,
        "jti": "forged",
    }
    public_pem = site.key.as_pem(private=False)
    hs256 = _hmac_signed({"alg": "HS256", "kid": site.key.kid}, claims, public_pem)
    return [
        unsigned(claims, {"alg": "none", "kid": site.key.kid}),
        unsigned(claims, {"alg": "None"}),
        hs256,  # key confusion: the public key used as an HMAC secret
    ]


def _hmac_signed(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    """HS256 by hand (joserfc rightly refuses a public key as an HMAC secret)."""
    head, body = unsigned(claims, header).split(".")[:2]
    mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"


def world_now() -> float:
    return start_clock().now().timestamp()


@pytest.mark.parametrize("index", [0, 1, 2])
async def test_unsigned_and_symmetric_assertions_are_refused(index: int) -> None:
    site = ChatGptSite()
    status, body = await redeem(chatgpt_world(site), site, _forged_with_algorithms(site)[index])
    assert (status, body["error"]) == (401, "invalid_client")


async def test_an_algorithm_the_document_does_not_name_is_refused_even_if_the_key_fits() -> None:
    site = ChatGptSite()  # the document says RS256; PS256 would verify with the same RSA key
    same_key_any_alg = RSAKey.import_key(
        {k: v for k, v in site.key.as_dict(private=True).items() if k != "alg"}
    )
    assertion = site.assertion(TOKEN_URL, header={"alg": "PS256"}, key=same_key_any_alg)
    status, body = await redeem(chatgpt_world(site), site, assertion)
    assert (status, body["error"]) == (401, "invalid_client")


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://evil.example/client.json"},
        {"sub": "https://evil.example/client.json"},
        {"aud": "https://other-server.example/token"},
        {"aud": RESOURCE},  # the MCP endpoint is not the authorization server
        {"jti": None},
        {"exp": None},
    ],
)
async def test_assertions_naming_the_wrong_parties_or_lacking_claims_are_refused(
    claims: dict[str, Any],
) -> None:
    site = ChatGptSite()
    assertion = site.assertion(TOKEN_URL, **claims)
    status, body = await redeem(chatgpt_world(site), site, assertion)
    assert (status, body["error"]) == (401, "invalid_client")


@pytest.mark.parametrize(
    ("lifetime", "age"),
    [(3600, 0), (60, 600)],
    ids=["lives-an-hour", "expired-ten-minutes-ago"],
)
async def test_long_lived_and_expired_assertions_are_refused(lifetime: int, age: int) -> None:
    site = ChatGptSite()
    assertion = site.assertion(TOKEN_URL, lifetime=lifetime, now=world_now() - age)
    status, body = await redeem(chatgpt_world(site), site, assertion)
    assert (status, body["error"]) == (401, "invalid_client")


async def test_an_assertion_signed_by_another_key_with_chatgpts_kid_is_refused() -> None:
    site = ChatGptSite()
    impostor = RSAKey.generate_key(2048, parameters={"kid": site.key.kid, "alg": "RS256"})
    status, body = await redeem(chatgpt_world(site), site, site.assertion(TOKEN_URL, key=impostor))
    assert (status, body["error"]) == (401, "invalid_client")


async def test_a_rotated_key_is_fetched_once_and_a_flood_of_unknown_kids_fetches_nothing_more() -> (
    None
):
    site = ChatGptSite()
    world = chatgpt_world(site)
    assert (await redeem(world, site, site.assertion(TOKEN_URL)))[0] == 200
    site.rotate_key()  # ChatGPT publishes a new key and signs with it
    status, body = await redeem(world, site, site.assertion(TOKEN_URL))
    assert status == 200, body
    fetches = site.served.count("https://chatgpt.com/oauth/jwks.json")
    assert fetches == 2
    for n in range(20):
        status, _ = await redeem(world, site, site.assertion(TOKEN_URL, header={"kid": f"x{n}"}))
        assert status == 401
    assert site.served.count("https://chatgpt.com/oauth/jwks.json") == fetches  # spaced out
    world.clock.advance(timedelta(seconds=31))
    for n in range(5):
        await redeem(world, site, site.assertion(TOKEN_URL, header={"kid": f"y{n}"}))
    assert site.served.count("https://chatgpt.com/oauth/jwks.json") == fetches + 1


async def test_a_private_key_jwt_client_must_send_an_assertion_and_nothing_else() -> None:
    site = ChatGptSite()
    world = chatgpt_world(site)
    code, verifier = await signed_in(world, site)
    form = code_form(site, code, verifier, site.assertion(TOKEN_URL))
    bare = {k: v for k, v in form.items() if not k.startswith("client_assertion")}
    without = await world.front_door.token({**bare, "client_id": site.client_id}, None)
    assert (without.status, without.body["error"]) == (401, "invalid_client")
    both = await world.front_door.token({**form, "client_secret": "guess"}, None)
    assert (both.status, both.body["error"]) == (400, "invalid_request")
    wrong_type = await world.front_door.token(
        {
            **form,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:saml2-bearer",
        },
        None,
    )
    assert (wrong_type.status, wrong_type.body["error"]) == (401, "invalid_client")


@pytest.mark.parametrize(
    "jwks_uri",
    [
        "https://169.254.169.254/latest/meta-data/keys.json",
        "https://10.0.0.7/keys.json",
        "https://internal.corp.example/keys.json",
    ],
)
async def test_a_key_set_at_an_address_the_server_must_not_reach_is_never_fetched(
    jwks_uri: str,
) -> None:
    site = ChatGptSite()
    site.document_overrides["jwks_uri"] = jwks_uri
    world = chatgpt_world(site)
    status, body = await redeem(world, site, site.assertion(TOKEN_URL))
    assert (status, body["error"]) == (401, "invalid_client")
    assert site.served == [site.client_id]  # the document only: nothing else left the server


@pytest.mark.parametrize(
    "jwks_uri", ["http://chatgpt.com/oauth/jwks.json", "https://chatgpt.com", None]
)
async def test_a_document_without_a_usable_https_key_set_gets_an_error_page(
    jwks_uri: str | None,
) -> None:
    site = ChatGptSite()
    site.document_overrides["jwks_uri"] = jwks_uri
    _, challenge = pkce_pair()
    page = await chatgpt_world(site).front_door.authorize(
        authorize_params(site.client_id, challenge, redirect_uri=site.redirect_uris[0]), None
    )
    assert isinstance(page, ErrorPage)
    assert "jwks" in page.detail


async def test_with_private_key_jwt_off_chatgpt_is_a_public_pkce_client() -> None:
    site = ChatGptSite()
    world = chatgpt_world(site, private_key_jwt=False)
    code, verifier = await signed_in(world, site)
    form = code_form(site, code, verifier, "")
    form = {k: v for k, v in form.items() if not k.startswith("client_assertion")}
    reply = await world.front_door.token({**form, "client_id": site.client_id}, None)
    assert reply.status == 200, reply.body
    assert site.served == [site.client_id]


async def test_a_document_offering_only_private_key_jwt_is_refused_when_it_is_off() -> None:
    site = ChatGptSite()
    site.document_overrides["token_endpoint_auth_methods_supported"] = ["private_key_jwt"]
    _, challenge = pkce_pair()
    page = await chatgpt_world(site, private_key_jwt=False).front_door.authorize(
        authorize_params(site.client_id, challenge, redirect_uri=site.redirect_uris[0]), None
    )
    assert isinstance(page, ErrorPage)
    assert "private_key_jwt" in page.detail


async def test_chatgpt_revokes_its_grant_with_an_assertion_for_the_revocation_endpoint() -> None:
    site = ChatGptSite()
    world = chatgpt_world(site)
    _, body = await redeem(world, site, site.assertion(TOKEN_URL))
    revoked = await world.front_door.revoke(
        {
            "token": body["refresh_token"],
            "client_assertion_type": JWT_BEARER,
            "client_assertion": site.assertion(ISSUER + "/auth/revoke"),
        },
        None,
    )
    assert (revoked.status, revoked.body) == (200, {})
    world.clock.advance(timedelta(seconds=1))
    after = await world.front_door.token(
        {
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_assertion_type": JWT_BEARER,
            "client_assertion": site.assertion(TOKEN_URL),
        },
        None,
    )
    assert after.body["error"] == "invalid_grant"
    unauthenticated = await world.front_door.revoke(
        {"token": body["refresh_token"], "client_id": site.client_id}, None
    )
    assert (unauthenticated.status, unauthenticated.body["error"]) == (401, "invalid_client")


def test_the_stand_in_document_is_the_published_shape() -> None:
    document = ChatGptSite("abc").document()
    assert document["token_endpoint_auth_method"] == "private_key_jwt"
    assert document["token_endpoint_auth_methods_supported"] == ["none", "private_key_jwt"]
    assert document["jwks_uri"] == "https://chatgpt.com/oauth/jwks.json"
    assert json.dumps(document)  # plain JSON
