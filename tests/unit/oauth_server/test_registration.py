"""Dynamic client registration (RFC 7591): what is accepted, what is refused, how secrets are kept."""

from __future__ import annotations

import json

import pytest

from jamf_mcp.adapters.oauth_server.handles import digest
from tests.unit.oauth_server.oauth_fakes import CHATGPT_REDIRECT, build_world


async def _register(body: object) -> tuple[int, dict[str, object]]:
    world = build_world()
    reply = await world.front_door.register(json.dumps(body).encode())
    return reply.status, reply.body


async def test_registers_a_public_client_and_answers_201_with_its_metadata() -> None:
    status, body = await _register(
        {
            "redirect_uris": [CHATGPT_REDIRECT],
            "token_endpoint_auth_method": "none",
            "client_name": "ChatGPT",
        }
    )
    assert status == 201
    assert body["redirect_uris"] == [CHATGPT_REDIRECT]
    assert body["token_endpoint_auth_method"] == "none"
    assert body["grant_types"] == ["authorization_code", "refresh_token"]
    assert body["response_types"] == ["code"]
    assert body["client_name"] == "ChatGPT"
    assert "client_secret" not in body
    assert isinstance(body["client_id"], str) and len(body["client_id"]) >= 22


@pytest.mark.parametrize("method", ["client_secret_post", "client_secret_basic"])
async def test_issues_a_long_secret_to_a_confidential_client_and_stores_only_its_digest(
    method: str,
) -> None:
    world = build_world()
    body = {"redirect_uris": [CHATGPT_REDIRECT], "token_endpoint_auth_method": method}
    reply = await world.front_door.register(json.dumps(body).encode())
    secret = str(reply.body["client_secret"])
    assert len(secret) >= 43  # 256 bits in base64url
    assert reply.body["client_secret_expires_at"] == 0
    stored = await world.store.client(str(reply.body["client_id"]))
    assert stored is not None
    assert stored.secret_digest == digest(secret)
    assert secret not in repr(stored)


async def test_defaults_to_client_secret_basic_as_rfc_7591_says() -> None:
    status, body = await _register({"redirect_uris": [CHATGPT_REDIRECT]})
    assert status == 201
    assert body["token_endpoint_auth_method"] == "client_secret_basic"
    assert "client_secret" in body


@pytest.mark.parametrize(
    "uri",
    [
        "http://chatgpt.com/callback",
        "https://chatgpt.com/callback#fragment",
        "https://user:pw@chatgpt.com/callback",
        "javascript:alert(1)",
        "com.example.app:/callback",
        "/relative/callback",
        "",
        42,
    ],
)
async def test_refuses_unsafe_redirect_uris_with_invalid_redirect_uri(uri: object) -> None:
    status, body = await _register({"redirect_uris": [uri], "token_endpoint_auth_method": "none"})
    assert status == 400
    assert body["error"] == "invalid_redirect_uri"


@pytest.mark.parametrize(
    "uri", ["http://localhost:3030/callback", "http://127.0.0.1:9/cb", "http://[::1]:8080/cb"]
)
async def test_accepts_plain_http_redirects_only_on_loopback_hosts(uri: str) -> None:
    status, _ = await _register({"redirect_uris": [uri], "token_endpoint_auth_method": "none"})
    assert status == 201


async def test_refuses_a_registration_without_redirect_uris() -> None:
    status, body = await _register({"client_name": "x"})
    assert (status, body["error"]) == (400, "invalid_redirect_uri")


@pytest.mark.parametrize(
    "metadata",
    [
        {"token_endpoint_auth_method": "private_key_jwt"},
        {"grant_types": ["client_credentials"]},
        {"grant_types": ["refresh_token"]},
        {"grant_types": "authorization_code"},
        {"response_types": ["token"]},
        {"application_type": "desktop"},
        {"client_name": ["not", "a", "string"]},
    ],
)
async def test_refuses_unsupported_client_metadata_with_invalid_client_metadata(
    metadata: dict[str, object],
) -> None:
    status, body = await _register({"redirect_uris": [CHATGPT_REDIRECT], **metadata})
    assert (status, body["error"]) == (400, "invalid_client_metadata")


async def test_refuses_a_body_that_is_not_a_json_object() -> None:
    world = build_world()
    assert (await world.front_door.register(b"not json")).status == 400
    assert (await world.front_door.register(b"[1, 2]")).body["error"] == "invalid_client_metadata"


async def test_strips_control_characters_from_client_names() -> None:
    _, body = await _register(
        {
            "redirect_uris": [CHATGPT_REDIRECT],
            "client_name": "Chat\u0000GPT\n",
            "token_endpoint_auth_method": "none",
        }
    )
    assert body["client_name"] == "ChatGPT"
