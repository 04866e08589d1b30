"""The front door's records to JSON and back (named functions; no `Record(**payload)`)."""

from __future__ import annotations

from typing import Any

from jamf_mcp.adapters.oauth_server.records import (
    AuthorizationCode,
    PendingAuthorization,
    RefreshGrant,
    RegisteredClient,
    UpstreamAuthorization,
)
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentity
from jamf_mcp.adapters.redis import stored_json as f


def client_to_json(client: RegisteredClient) -> bytes:
    """The stored form of a registered client."""
    return f.dump(
        {
            "client_id": client.client_id,
            "client_name": client.client_name,
            "redirect_uris": list(client.redirect_uris),
            "token_endpoint_auth_method": client.token_endpoint_auth_method,
            "grant_types": list(client.grant_types),
            "response_types": list(client.response_types),
            "application_type": client.application_type,
            "secret_digest": client.secret_digest,
            "issued_at": client.issued_at,
            "from_metadata_document": client.from_metadata_document,
        }
    )


def client_from_json(raw: bytes | str) -> RegisteredClient:
    """A registered client from its stored form."""
    record = f.load(raw)
    return RegisteredClient(
        client_id=f.text(record, "client_id"),
        client_name=f.optional_text(record, "client_name"),
        redirect_uris=f.texts(record, "redirect_uris"),
        token_endpoint_auth_method=f.text(record, "token_endpoint_auth_method"),
        grant_types=f.texts(record, "grant_types"),
        response_types=f.texts(record, "response_types"),
        application_type=f.text(record, "application_type"),
        secret_digest=f.optional_text(record, "secret_digest"),
        issued_at=f.integer(record, "issued_at"),
        from_metadata_document=f.flag(record, "from_metadata_document"),
    )


def _pending_fields(pending: PendingAuthorization) -> dict[str, Any]:
    return {
        "transaction_id": pending.transaction_id,
        "client_id": pending.client_id,
        "client_name": pending.client_name,
        "redirect_uri": pending.redirect_uri,
        "redirect_uri_given": pending.redirect_uri_given,
        "state": pending.state,
        "code_challenge": pending.code_challenge,
        "scopes": list(pending.scopes),
        "resource": pending.resource,
        "csrf_token": pending.csrf_token,
    }


def _pending_from(record: f.Json) -> PendingAuthorization:
    return PendingAuthorization(
        transaction_id=f.text(record, "transaction_id"),
        client_id=f.text(record, "client_id"),
        client_name=f.optional_text(record, "client_name"),
        redirect_uri=f.text(record, "redirect_uri"),
        redirect_uri_given=f.flag(record, "redirect_uri_given"),
        state=f.optional_text(record, "state"),
        code_challenge=f.text(record, "code_challenge"),
        scopes=f.texts(record, "scopes"),
        resource=f.optional_text(record, "resource"),
        csrf_token=f.text(record, "csrf_token"),
    )


def pending_to_json(pending: PendingAuthorization) -> bytes:
    """The stored form of a pending authorization request."""
    return f.dump(_pending_fields(pending))


def pending_from_json(raw: bytes | str) -> PendingAuthorization:
    """A pending authorization request from its stored form."""
    return _pending_from(f.load(raw))


def upstream_to_json(upstream: UpstreamAuthorization) -> bytes:
    """The stored form of an upstream round trip."""
    return f.dump(
        {
            "state": upstream.state,
            "nonce": upstream.nonce,
            "code_verifier": upstream.code_verifier,
            "request": _pending_fields(upstream.request),
            "browser_digest": upstream.browser_digest,
        }
    )


def upstream_from_json(raw: bytes | str) -> UpstreamAuthorization:
    """An upstream round trip from its stored form."""
    record = f.load(raw)
    return UpstreamAuthorization(
        state=f.text(record, "state"),
        nonce=f.text(record, "nonce"),
        code_verifier=f.text(record, "code_verifier"),
        request=_pending_from(f.obj(record, "request")),
        # A round trip started by an earlier version is bound to no browser: it cannot finish.
        browser_digest=f.optional_text_or_absent(record, "browser_digest") or "",
    )


def _identity_fields(identity: UpstreamIdentity) -> dict[str, Any]:
    return {
        "issuer": identity.issuer,
        "subject": identity.subject,
        "name": identity.name,
        "email": identity.email,
        "scopes": sorted(identity.scopes),
    }


def _identity_from(record: f.Json) -> UpstreamIdentity:
    return UpstreamIdentity(
        issuer=f.text(record, "issuer"),
        subject=f.text(record, "subject"),
        name=f.optional_text(record, "name"),
        email=f.optional_text(record, "email"),
        scopes=frozenset(f.texts(record, "scopes")),
    )


def code_to_json(code: AuthorizationCode) -> bytes:
    """The stored form of what an authorization code stands for."""
    return f.dump(
        {
            "client_id": code.client_id,
            "redirect_uri": code.redirect_uri,
            "redirect_uri_given": code.redirect_uri_given,
            "code_challenge": code.code_challenge,
            "scopes": sorted(code.scopes),
            "identity": _identity_fields(code.identity),
            "resource": code.resource,
            "expires_at": code.expires_at,
            "family_id": code.family_id,
            "signed_in_at": code.signed_in_at,
            "upstream": code.upstream,
        }
    )


def code_from_json(raw: bytes | str) -> AuthorizationCode:
    """What an authorization code stands for, from its stored form."""
    record = f.load(raw)
    return AuthorizationCode(
        client_id=f.text(record, "client_id"),
        redirect_uri=f.text(record, "redirect_uri"),
        redirect_uri_given=f.flag(record, "redirect_uri_given"),
        code_challenge=f.text(record, "code_challenge"),
        scopes=frozenset(f.texts(record, "scopes")),
        identity=_identity_from(f.obj(record, "identity")),
        resource=f.optional_text(record, "resource"),
        expires_at=f.real(record, "expires_at"),
        family_id=f.text(record, "family_id"),
        signed_in_at=f.real_or(record, "signed_in_at", 0.0),
        upstream=f.optional_text_or_absent(record, "upstream"),
    )


def refresh_to_json(grant: RefreshGrant) -> bytes:
    """The stored form of what a refresh token stands for."""
    return f.dump(
        {
            "family_id": grant.family_id,
            "client_id": grant.client_id,
            "scopes": sorted(grant.scopes),
            "identity": _identity_fields(grant.identity),
            "resource": grant.resource,
            "expires_at": grant.expires_at,
            "signed_in_at": grant.signed_in_at,
            "checked_at": grant.checked_at,
            "upstream": grant.upstream,
        }
    )


def refresh_from_json(raw: bytes | str) -> RefreshGrant:
    """What a refresh token stands for, from its stored form."""
    record = f.load(raw)
    return RefreshGrant(
        family_id=f.text(record, "family_id"),
        client_id=f.text(record, "client_id"),
        scopes=frozenset(f.texts(record, "scopes")),
        identity=_identity_from(f.obj(record, "identity")),
        resource=f.optional_text(record, "resource"),
        expires_at=f.real(record, "expires_at"),
        # A grant written by an earlier version has no sign-in time: it has outlived its family.
        signed_in_at=f.real_or(record, "signed_in_at", 0.0),
        checked_at=f.real_or(record, "checked_at", 0.0),
        upstream=f.optional_text_or_absent(record, "upstream"),
    )
