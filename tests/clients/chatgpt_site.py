"""chatgpt.com as a front door sees it: ChatGPT's Client ID Metadata Document and its key set.

The document is the one ChatGPT publishes, as reported in several servers' issues (see the
docstring of `tests/clients/chatgpt.py` for the sources): `client_id`
`https://chatgpt.com/oauth/<id>/client.json`, `token_endpoint_auth_method: "private_key_jwt"`,
`token_endpoint_auth_methods_supported: ["none", "private_key_jwt"]`,
`token_endpoint_auth_signing_alg: "RS256"`, `jwks_uri: "https://chatgpt.com/oauth/jwks.json"`.
The key pair is this stand-in's own (ChatGPT's private key is, of course, not public).

The site is served to the server's real `SafeClientMetadataFetcher` through an injected
transport and resolver: the fetcher still refuses non-https URLs, non-public addresses and
redirects; only "the internet" is replaced. Assumption no document backs: the address
`CHATGPT_ADDRESS` (any public address works; the fetcher connects to whatever it resolved).
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import httpx
from joserfc import jwt
from joserfc.jwk import RSAKey

from jamf_mcp.adapters.oauth_server import SafeClientMetadataFetcher
from jamf_mcp.application.ports import Clock

CHATGPT_HOST = "chatgpt.com"
CHATGPT_ADDRESS = "104.18.32.47"
"""A public address standing for chatgpt.com (assumption: the real one changes; any public one
passes the fetcher's checks)."""
JWKS_URI = "https://chatgpt.com/oauth/jwks.json"
CONNECTOR_PLATFORM_REDIRECT = "https://chatgpt.com/connector_platform_oauth_redirect"
"""The stable redirect URI (OpenAI docs as summarised in mcp-protocol.md §5.3)."""

_KEYS: list[RSAKey] = []


def _shared_key() -> RSAKey:
    if not _KEYS:  # generating RSA keys is slow: one per test session
        _KEYS.append(
            RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, auto_kid=True)
        )
    return _KEYS[0]


class ChatGptResolver:
    """Resolves chatgpt.com to `CHATGPT_ADDRESS` and nothing else (implements `HostResolver`)."""

    def __init__(self) -> None:
        self.lookups: list[str] = []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        if host != CHATGPT_HOST:
            raise OSError(f"{host} does not resolve here")
        return [CHATGPT_ADDRESS]


class ChatGptSite:
    """chatgpt.com's published client document and key set.

    Args:
        connector_id: the `<id>` in the document URL and the connector redirect URI.
        redirect_uris: the redirect URIs the document lists (default: the connector's own).
        key: the key pair ChatGPT signs client assertions with.
    """

    def __init__(
        self,
        connector_id: str = "g-3f8a1c2b",
        *,
        redirect_uris: list[str] | None = None,
        key: RSAKey | None = None,
    ) -> None:
        self.client_id = f"https://chatgpt.com/oauth/{connector_id}/client.json"
        self.redirect_uris = redirect_uris or [
            f"https://chatgpt.com/connector/oauth/{connector_id}"
        ]
        self.key = key or _shared_key()
        self.served: list[str] = []
        self.document_overrides: dict[str, Any] = {}

    def document(self) -> dict[str, Any]:
        """The Client ID Metadata Document, shaped as ChatGPT publishes it."""
        return {
            "client_id": self.client_id,
            "client_uri": "https://chatgpt.com/",
            "client_name": "ChatGPT",
            "redirect_uris": self.redirect_uris,
            "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "private_key_jwt",
            "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
            "token_endpoint_auth_signing_alg": "RS256",
            "jwks_uri": JWKS_URI,
            **self.document_overrides,
        }

    def jwks(self) -> dict[str, Any]:
        """The public half of the key, as `jwks_uri` serves it."""
        return {"keys": [self.key.as_dict(private=False)]}

    def rotate_key(self) -> None:
        """ChatGPT publishes a new key (a new `kid`) and signs with it from now on."""
        self.key = RSAKey.generate_key(
            2048, parameters={"alg": "RS256", "use": "sig"}, auto_kid=True
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer a request that reached "the internet" (routed by its `Host` header)."""
        url = f"https://{request.headers.get('host', '')}{request.url.path}"
        self.served.append(url)
        if url == self.client_id:
            return httpx.Response(200, json=self.document())
        if url == JWKS_URI:
            return httpx.Response(200, json=self.jwks())
        return httpx.Response(404, text="Not Found")

    def fetcher(self, clock: Clock) -> SafeClientMetadataFetcher:
        """The server's own fetcher (all its checks), with this site as the internet."""
        http = httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
        return SafeClientMetadataFetcher(http, clock, resolver=ChatGptResolver())

    def assertion(
        self,
        audience: str,
        *,
        lifetime: int = 60,
        now: float | None = None,
        header: dict[str, Any] | None = None,
        key: Any = None,
        **claims: Any,
    ) -> str:
        """An RFC 7523 client assertion, as ChatGPT signs one (RS256, a fresh `jti`)."""
        issued = int(now if now is not None else time.time())
        body = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience,
            "iat": issued,
            "exp": issued + lifetime,
            "jti": secrets.token_urlsafe(16),
            **claims,
        }
        body = {name: value for name, value in body.items() if value is not None}
        protected = {"alg": "RS256", "kid": self.key.kid, "typ": "JWT", **(header or {})}
        return jwt.encode(protected, body, key or self.key, algorithms=[protected["alg"]])


def unsigned(claims: dict[str, Any], header: dict[str, Any]) -> str:
    """A JWT with the given header and an empty signature (`alg: none` attempts)."""
    import base64

    def part(value: dict[str, Any]) -> str:
        raw = json.dumps(value, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."
