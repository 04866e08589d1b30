"""API clients, user accounts and the bearer tokens the tenant has issued."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from typing import Any

import attrs

from jamf_mcp.simulator.clock import SimClock


@attrs.frozen
class Principal:
    """Who a token was issued to; ``privileges=None`` means every privilege."""

    kind: str  # "client" or "user"
    subject: str
    privileges: frozenset[str] | None


@attrs.define
class IssuedToken:
    """A token the tenant knows about."""

    value: str
    principal: Principal
    expires_ms: int


class TokenStore:
    """Issues JWT-shaped opaque tokens and remembers them until they expire or are invalidated."""

    def __init__(self, clock: SimClock, ttl_seconds: int) -> None:
        self.clock = clock
        self.ttl_seconds = ttl_seconds
        self.clients: dict[str, tuple[str, frozenset[str] | None]] = {}
        self.users: dict[str, tuple[str, frozenset[str] | None]] = {}
        self._tokens: dict[str, IssuedToken] = {}
        self._key = secrets.token_bytes(32)

    def client(self, client_id: str, secret: str) -> Principal | None:
        """The API client with these credentials, if any."""
        known = self.clients.get(client_id)
        if known is None or not hmac.compare_digest(known[0], secret):
            return None
        return Principal("client", client_id, known[1])

    def user(self, username: str, password: str) -> Principal | None:
        """The user account with these credentials, if any."""
        known = self.users.get(username)
        if known is None or not hmac.compare_digest(known[0], password):
            return None
        return Principal("user", username, known[1])

    def issue(self, principal: Principal) -> IssuedToken:
        now = self.clock.now_ms()
        expires = now + self.ttl_seconds * 1000
        value = self._jwt(principal, now, expires)
        token = IssuedToken(value, principal, expires)
        self._tokens[value] = token
        if len(self._tokens) > 10_000:
            self._tokens = {k: t for k, t in self._tokens.items() if t.expires_ms > now}
        return token

    def validate(self, value: str) -> IssuedToken | None:
        """The live token for ``value``; expired and invalidated ones are ``None``."""
        token = self._tokens.get(value)
        if token is None or token.expires_ms <= self.clock.now_ms():
            return None
        return token

    def invalidate(self, value: str) -> None:
        self._tokens.pop(value, None)

    def expire_all(self) -> None:
        self._tokens.clear()

    def _jwt(self, principal: Principal, now_ms: int, expires_ms: int) -> str:
        is_client = principal.kind == "client"
        claims: dict[str, Any] = {
            "sub": principal.subject,
            "subject-type": "REGISTERED_CLIENT_ID" if is_client else "JSS_USER_ID",
            "authentication-type": "CLIENT_CREDENTIALS" if is_client else "JSS",
            "scope": ["api-role:1"],
            "token-uuid": str(uuid.uuid4()),
            "aud": "jamf-pro",
            "iat": now_ms // 1000,
            "nbf": now_ms // 1000,
            "exp": expires_ms // 1000,
        }
        header = _b64({"alg": "HS256", "typ": "JWT"})
        payload = _b64(claims)
        signature = hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        return f"{header}.{payload}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _b64(obj: dict[str, Any]) -> str:
    raw = json.dumps(obj, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
