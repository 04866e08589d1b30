"""Discovery documents: authorization-server metadata (RFC 8414) and protected-resource metadata (RFC 9728)."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.litestar_http.metadata_routes import authorization_server_metadata
from jamf_mcp.adapters.oauth_server import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.config import CLIENT_METADATA_DOCUMENT
from tests.integration.oauth_server.oauth_http_support import front_door_app
from tests.unit.oauth_server.oauth_fakes import ISSUER, RESOURCE, build_world

METHODS = ["none", "client_secret_post", "client_secret_basic", "private_key_jwt"]
ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"]
SCOPES = ["openid", "profile", "email", "offline_access", "read:jamf", "write:jamf"]


@pytest.mark.parametrize(
    "path", ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]
)
async def test_authorization_server_metadata_advertises_what_chatgpt_and_the_sdk_need(
    path: str,
) -> None:
    async with AsyncTestClient(front_door_app(build_world()), base_url=ISSUER) as client:
        reply = await client.get(path)
    assert reply.status_code == 200
    document = reply.json()
    assert document == {
        "issuer": ISSUER,
        "authorization_endpoint": ISSUER + "/auth/authorize",
        "token_endpoint": ISSUER + "/auth/callback",
        "registration_endpoint": ISSUER + "/auth/register",
        "revocation_endpoint": ISSUER + "/auth/revoke",
        "jwks_uri": ISSUER + "/auth/jwks.json",
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": METHODS,
        "token_endpoint_auth_signing_alg_values_supported": ALGORITHMS,
        "revocation_endpoint_auth_methods_supported": METHODS,
        "revocation_endpoint_auth_signing_alg_values_supported": ALGORITHMS,
        "scopes_supported": SCOPES,
        "client_id_metadata_document_supported": True,
        "authorization_response_iss_parameter_supported": True,
    }


@pytest.mark.parametrize(
    "path", ["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"]
)
async def test_protected_resource_metadata_names_the_mcp_endpoint_and_this_issuer(
    path: str,
) -> None:
    async with AsyncTestClient(front_door_app(build_world()), base_url=ISSUER) as client:
        reply = await client.get(path)
    assert reply.status_code == 200
    assert reply.json() == {
        "resource": RESOURCE,
        "authorization_servers": [ISSUER],
        "scopes_supported": SCOPES,
        "bearer_methods_supported": ["header"],
        "resource_name": "Jamf Pro MCP server",
    }


async def test_the_jwks_holds_only_the_public_signing_key() -> None:
    world = build_world()
    async with AsyncTestClient(front_door_app(world), base_url=ISSUER) as client:
        keys = (await client.get("/auth/jwks.json")).json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and keys[0]["use"] == "sig"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(keys[0])


def test_the_metadata_offers_only_the_registration_the_front_door_is_configured_for() -> None:
    config = FrontDoorConfig(
        issuer=ISSUER, resource=RESOURCE, registration=(CLIENT_METADATA_DOCUMENT,)
    )
    document = authorization_server_metadata(config)
    assert "registration_endpoint" not in document
    assert document["client_id_metadata_document_supported"] is True
    pre_registered_only = authorization_server_metadata(
        FrontDoorConfig(issuer=ISSUER, resource=RESOURCE, registration=("pre_registered",))
    )
    assert "registration_endpoint" not in pre_registered_only
    assert pre_registered_only["client_id_metadata_document_supported"] is False


def test_only_the_client_authentication_the_endpoints_implement_is_advertised() -> None:
    off = authorization_server_metadata(
        FrontDoorConfig(issuer=ISSUER, resource=RESOURCE, private_key_jwt=False)
    )
    assert off["token_endpoint_auth_methods_supported"] == METHODS[:3]
    assert off["revocation_endpoint_auth_methods_supported"] == METHODS[:3]
    assert "token_endpoint_auth_signing_alg_values_supported" not in off
    without_documents = authorization_server_metadata(
        FrontDoorConfig(issuer=ISSUER, resource=RESOURCE, registration=("dynamic_registration",))
    )  # private_key_jwt is only for metadata-document clients
    assert "private_key_jwt" not in without_documents["token_endpoint_auth_methods_supported"]
    assert "HS256" not in ALGORITHMS and "none" not in ALGORITHMS
