"""What an OAuth client of the front door does, written out: register, build the authorize URL
with PKCE, redeem the code (RFC 6749 §4.1, RFC 7636, RFC 7591)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

import attrs
import httpx


@attrs.frozen
class Client:
    """A registered public client and one authorization request of it."""

    base_url: str
    client_id: str
    redirect_uri: str
    verifier: str = attrs.field(repr=False)
    state: str

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def authorize_url(self, scope: str = "read:jamf write:jamf") -> str:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
            "state": self.state,
            "scope": scope,
            "resource": f"{self.base_url}/mcp",
        }
        return f"{self.base_url}/auth/authorize?{urlencode(query)}"

    async def redeem(self, code: str) -> httpx.Response:
        form = {
            "grant_type": "authorization_code",
            "client_id": self.client_id,
            "code": code,
            "code_verifier": self.verifier,
            "redirect_uri": self.redirect_uri,
        }
        async with httpx.AsyncClient(timeout=30, verify=False) as http:
            return await http.post(f"{self.base_url}/auth/token", data=form)


async def register(base_url: str, redirect_uri: str, name: str = "A client") -> Client:
    """Register a public client with one redirect URI (what anyone on the internet can do)."""
    async with httpx.AsyncClient(timeout=30, verify=False) as http:
        answer = await http.post(
            f"{base_url}/auth/register",
            json={
                "client_name": name,
                "redirect_uris": [redirect_uri],
                "token_endpoint_auth_method": "none",
            },
        )
    assert answer.status_code == 201, answer.text
    return Client(
        base_url,
        answer.json()["client_id"],
        redirect_uri,
        secrets.token_urlsafe(48),
        secrets.token_urlsafe(12),
    )


async def ping(base_url: str, access_token: str) -> int:
    """The status of an MCP `ping` with this token."""
    call: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    headers = {
        "Authorization": f"Bearer {access_token}",
        "Accept": "application/json, text/event-stream",
    }
    async with httpx.AsyncClient(timeout=30, verify=False) as http:
        return (await http.post(f"{base_url}/mcp", json=call, headers=headers)).status_code
