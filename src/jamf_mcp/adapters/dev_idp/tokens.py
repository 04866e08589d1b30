"""The development IdP's token responses: RS256 access and ID tokens, and rotating refresh tokens."""

from __future__ import annotations

import hashlib
import logging
import secrets
from typing import Any

import attrs

from jamf_mcp.adapters.dev_idp.grants import RefreshRecord
from jamf_mcp.adapters.dev_idp.state import DevIdpState
from jamf_mcp.adapters.dev_idp.users import DemoUser
from jamf_mcp.adapters.oidc.signing import SigningKey, access_token_claims

_log = logging.getLogger(__name__)


def token_digest(token: str) -> str:
    """How a code or refresh token is kept: its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


@attrs.frozen
class Issue:
    """What a token response is for.

    Attributes:
        client_id: the client.
        user: the demo user.
        scopes: the granted scopes.
        audience: the access token's audience.
        auth_time: when the user signed in.
        nonce: the authorization request's nonce (None on a refresh).
    """

    client_id: str
    user: DemoUser
    scopes: tuple[str, ...]
    audience: str
    auth_time: int
    nonce: str | None = None


class TokenMinter:
    """Signs the tokens and keeps the refresh tokens.

    Args:
        issuer: the `iss` of every token.
        key: the provider's signing key.
        state: where refresh tokens are kept.
        token_ttl: lifetime of ID and access tokens.
        refresh_ttl: lifetime of a refresh token (each refresh issues a new one).
    """

    def __init__(
        self, issuer: str, key: SigningKey, state: DevIdpState, token_ttl: int, refresh_ttl: int
    ) -> None:
        self._issuer = issuer
        self._key = key
        self._state = state
        self._token_ttl = token_ttl
        self._refresh_ttl = refresh_ttl

    async def respond(self, issue: Issue, now: float) -> dict[str, Any]:
        """The token response; a refresh token when `offline_access` was granted."""
        user = issue.user
        scope = " ".join(sorted(issue.scopes))
        access_token = self._key.sign(
            access_token_claims(
                issuer=self._issuer,
                audience=issue.audience,
                subject=user.username,
                scopes=set(issue.scopes),
                ttl_seconds=self._token_ttl,
                client_id=issue.client_id,
                now=now,
            )
        )
        id_claims: dict[str, Any] = {
            "iss": self._issuer,
            "sub": user.username,
            "aud": issue.client_id,
            "azp": issue.client_id,
            "iat": int(now),
            "exp": int(now) + self._token_ttl,
            "auth_time": issue.auth_time,
            "name": user.display_name,
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": True,
        }
        if issue.nonce is not None:
            id_claims["nonce"] = issue.nonce
        body: dict[str, Any] = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self._token_ttl,
            "scope": scope,
            "id_token": self._key.sign(id_claims, typ="JWT"),
        }
        if "offline_access" in issue.scopes:
            refresh_token = secrets.token_urlsafe(32)
            record = RefreshRecord(
                client_id=issue.client_id,
                username=user.username,
                scopes=issue.scopes,
                audience=issue.audience,
                auth_time=issue.auth_time,
                expires_at=now + self._refresh_ttl,
            )
            await self._state.save_refresh(token_digest(refresh_token), record)
            body["refresh_token"] = refresh_token
        _log.info("dev-idp issued tokens for %s (scope %s)", user.username, scope)
        return body
