"""The development IdP's records to JSON and back (named functions; no `Record(**payload)`)."""

from __future__ import annotations

from jamf_mcp.adapters.dev_idp.authorization import AuthorizationRequest
from jamf_mcp.adapters.dev_idp.grants import CodeGrant, PendingLogin, RefreshRecord
from jamf_mcp.adapters.redis import stored_json as f


def login_to_json(login: PendingLogin) -> bytes:
    """The stored form of a login form (its failure count is kept beside it)."""
    request = login.request
    return f.dump(
        {
            "login_id": login.login_id,
            "csrf_token": login.csrf_token,
            "browser_digest": login.browser_digest,
            "expires_at": login.expires_at,
            "request": {
                "client_id": request.client_id,
                "redirect_uri": request.redirect_uri,
                "state": request.state,
                "nonce": request.nonce,
                "code_challenge": request.code_challenge,
                "scopes": list(request.scopes),
                "audience": request.audience,
            },
        }
    )


def login_from_json(raw: bytes | str, failed_attempts: int) -> PendingLogin:
    """A login form from its stored form."""
    record = f.load(raw)
    request = f.obj(record, "request")
    return PendingLogin(
        login_id=f.text(record, "login_id"),
        request=AuthorizationRequest(
            client_id=f.text(request, "client_id"),
            redirect_uri=f.text(request, "redirect_uri"),
            state=f.optional_text(request, "state"),
            nonce=f.optional_text(request, "nonce"),
            code_challenge=f.text(request, "code_challenge"),
            scopes=f.texts(request, "scopes"),
            audience=f.optional_text(request, "audience"),
        ),
        csrf_token=f.text(record, "csrf_token"),
        browser_digest=f.text(record, "browser_digest"),
        expires_at=f.real(record, "expires_at"),
        failed_attempts=failed_attempts,
    )


def code_to_json(grant: CodeGrant) -> bytes:
    """The stored form of what a code stands for."""
    return f.dump(
        {
            "client_id": grant.client_id,
            "redirect_uri": grant.redirect_uri,
            "code_challenge": grant.code_challenge,
            "nonce": grant.nonce,
            "username": grant.username,
            "scopes": list(grant.scopes),
            "audience": grant.audience,
            "auth_time": grant.auth_time,
            "expires_at": grant.expires_at,
        }
    )


def code_from_json(raw: bytes | str) -> CodeGrant:
    """What a code stands for, from its stored form."""
    record = f.load(raw)
    return CodeGrant(
        client_id=f.text(record, "client_id"),
        redirect_uri=f.text(record, "redirect_uri"),
        code_challenge=f.text(record, "code_challenge"),
        nonce=f.optional_text(record, "nonce"),
        username=f.text(record, "username"),
        scopes=f.texts(record, "scopes"),
        audience=f.optional_text(record, "audience"),
        auth_time=f.integer(record, "auth_time"),
        expires_at=f.real(record, "expires_at"),
    )


def refresh_to_json(record: RefreshRecord) -> bytes:
    """The stored form of what a refresh token stands for."""
    return f.dump(
        {
            "client_id": record.client_id,
            "username": record.username,
            "scopes": list(record.scopes),
            "audience": record.audience,
            "auth_time": record.auth_time,
            "expires_at": record.expires_at,
        }
    )


def refresh_from_json(raw: bytes | str) -> RefreshRecord:
    """What a refresh token stands for, from its stored form."""
    record = f.load(raw)
    return RefreshRecord(
        client_id=f.text(record, "client_id"),
        username=f.text(record, "username"),
        scopes=f.texts(record, "scopes"),
        audience=f.optional_text(record, "audience"),
        auth_time=f.integer(record, "auth_time"),
        expires_at=f.real(record, "expires_at"),
    )
