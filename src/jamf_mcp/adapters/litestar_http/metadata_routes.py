"""Discovery documents: RFC 8414 authorization-server metadata and RFC 9728 resource metadata."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Response, get
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.oauth_server import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.client_documents import ASSERTION_ALGORITHMS
from jamf_mcp.adapters.oauth_server.config import CLIENT_METADATA_DOCUMENT, DYNAMIC_REGISTRATION

PUBLIC_JSON = {"Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*"}


def authorization_server_metadata(config: FrontDoorConfig) -> dict[str, Any]:
    """The RFC 8414 document (also served as `openid-configuration`); registration as the
    front door's configuration offers it."""
    document: dict[str, Any] = {
        "issuer": config.issuer,
        "authorization_endpoint": config.endpoint("/auth/authorize"),
        "token_endpoint": config.endpoint("/auth/callback"),
        "registration_endpoint": config.endpoint("/auth/register"),
        "revocation_endpoint": config.endpoint("/auth/revoke"),
        "jwks_uri": config.endpoint("/auth/jwks.json"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        # Only what the token and revocation endpoints really implement.
        "token_endpoint_auth_methods_supported": list(config.token_auth_methods),
        "revocation_endpoint_auth_methods_supported": list(config.token_auth_methods),
        "scopes_supported": list(config.scopes_supported),
        "client_id_metadata_document_supported": CLIENT_METADATA_DOCUMENT in config.registration,
        "authorization_response_iss_parameter_supported": True,
    }
    if "private_key_jwt" in config.token_auth_methods:
        algorithms = list(ASSERTION_ALGORITHMS)
        document["token_endpoint_auth_signing_alg_values_supported"] = algorithms
        document["revocation_endpoint_auth_signing_alg_values_supported"] = algorithms
    if DYNAMIC_REGISTRATION not in config.registration:
        del document["registration_endpoint"]
    return document


def protected_resource_metadata(config: FrontDoorConfig) -> dict[str, Any]:
    """The RFC 9728 document for the MCP endpoint."""
    return {
        "resource": config.resource,
        "authorization_servers": [config.issuer],
        "scopes_supported": list(config.scopes_supported),
        "bearer_methods_supported": ["header"],
        "resource_name": config.resource_name,
    }


def metadata_route_handlers(config: FrontDoorConfig) -> list[ControllerRouterHandler]:
    """Route handlers for `/.well-known/oauth-authorization-server`, `/.well-known/openid-
    configuration`, `/.well-known/oauth-protected-resource` and its path-inserted form for the
    MCP endpoint (`/.well-known/oauth-protected-resource/mcp`)."""
    server = authorization_server_metadata(config)
    resource = protected_resource_metadata(config)
    resource_path = urlsplit(config.resource).path.rstrip("/")
    resource_paths = list(
        dict.fromkeys(
            [
                "/.well-known/oauth-protected-resource",
                f"/.well-known/oauth-protected-resource{resource_path}",
            ]
        )
    )

    @get(
        ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"],
        include_in_schema=False,
        sync_to_thread=False,
    )
    def server_metadata() -> Response[dict[str, Any]]:
        return Response(server, headers=PUBLIC_JSON)

    @get(resource_paths, include_in_schema=False, sync_to_thread=False)
    def resource_metadata() -> Response[dict[str, Any]]:
        return Response(resource, headers=PUBLIC_JSON)

    return [server_metadata, resource_metadata]
