"""Records of the OAuth front door for the store tests: valid, with fresh handles."""

from __future__ import annotations

import time
from typing import Any

import attrs

from jamf_mcp.adapters.oauth_server import UpstreamIdentity
from jamf_mcp.adapters.oauth_server.handles import digest, new_handle
from jamf_mcp.adapters.oauth_server.records import (
    AuthorizationCode,
    PendingAuthorization,
    RefreshGrant,
    RegisteredClient,
)

LIFETIME = 60.0
IDENTITY = UpstreamIdentity(
    issuer="https://idp.example.test",
    subject="alice",
    name="Alice Example",
    email=None,
    scopes=frozenset({"read:jamf", "write:jamf"}),
)


def a_client(**changes: Any) -> RegisteredClient:
    """A confidential client, with `changes`."""
    client = RegisteredClient(
        client_id=new_handle(),
        client_name="ChatGPT",
        redirect_uris=("https://chatgpt.com/connector_platform_oauth_redirect",),
        token_endpoint_auth_method="client_secret_post",
        grant_types=("authorization_code", "refresh_token"),
        response_types=("code",),
        application_type="web",
        secret_digest=digest("client-secret"),
        issued_at=1_790_000_000,
        from_metadata_document=False,
    )
    return attrs.evolve(client, **changes)


def a_pending(**changes: Any) -> PendingAuthorization:
    """A pending authorization request with fresh handles, with `changes`."""
    pending = PendingAuthorization(
        transaction_id=new_handle(),
        client_id="client-1",
        client_name=None,
        redirect_uri="http://127.0.0.1:33418/callback",
        redirect_uri_given=True,
        state="client-state",
        code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        scopes=("read:jamf", "write:jamf"),
        resource="https://mcp.example.test/mcp",
        csrf_token=new_handle(),
    )
    return attrs.evolve(pending, **changes)


def a_code(family_id: str) -> AuthorizationCode:
    """A code of `family_id`, valid for `LIFETIME` seconds."""
    now = time.time()
    return AuthorizationCode(
        client_id="client-1",
        redirect_uri="http://127.0.0.1:33418/callback",
        redirect_uri_given=False,
        code_challenge="E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        scopes=frozenset({"read:jamf"}),
        identity=IDENTITY,
        resource=None,
        expires_at=now + LIFETIME,
        family_id=family_id,
        signed_in_at=now,
        upstream="sealed-upstream-credentials",
    )


def a_grant(
    family_id: str,
    *,
    subject: str = "alice",
    client_id: str = "client-1",
    lifetime: float = LIFETIME,
) -> RefreshGrant:
    """A refresh grant of `family_id` for `subject` and `client_id`, valid for `lifetime` s."""
    now = time.time()
    return RefreshGrant(
        family_id=family_id,
        client_id=client_id,
        scopes=frozenset({"read:jamf", "write:jamf"}),
        identity=attrs.evolve(IDENTITY, subject=subject),
        resource="https://mcp.example.test/mcp",
        expires_at=now + lifetime,
        signed_in_at=now - 5,
        checked_at=now - 1,
        upstream=None if subject != "alice" else "sealed-upstream-credentials",
    )
