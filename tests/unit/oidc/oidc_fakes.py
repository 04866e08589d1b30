"""Keys, forged and honest tokens, and a fake identity provider served through httpx.MockTransport."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import warnings
from datetime import UTC, datetime
from typing import Any

import attrs
import httpx
from joserfc import jwt
from joserfc.errors import SecurityWarning
from joserfc.jwk import ECKey, OKPKey, RSAKey

from jamf_mcp.adapters.memory.clock import FixedClock

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
T0 = int(NOW.timestamp())
ISSUER = "https://idp.example.test"
AUDIENCE = "https://mcp.example.test/mcp"


def clock() -> FixedClock:
    return FixedClock(NOW)


def rsa_key(kid: str = "rsa-1", alg: str | None = "RS256") -> RSAKey:
    params = {"kid": kid, "use": "sig"} | ({"alg": alg} if alg else {})
    return RSAKey.generate_key(2048, parameters=params)  # type: ignore[arg-type]


def ec_key(kid: str = "ec-1") -> ECKey:
    return ECKey.generate_key("P-256", parameters={"kid": kid, "use": "sig", "alg": "ES256"})


def ed_key(kid: str = "ed-1") -> OKPKey:
    return OKPKey.generate_key("Ed25519", parameters={"kid": kid, "use": "sig", "alg": "EdDSA"})


def jwks_of(*keys: RSAKey | ECKey | OKPKey) -> dict[str, Any]:
    return {"keys": [key.as_dict(private=False) for key in keys]}


def claims(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": "user-42",
        "iat": T0 - 10,
        "nbf": T0 - 10,
        "exp": T0 + 600,
        "scope": "read:jamf",
    }
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not None}


def sign(
    key: RSAKey | ECKey | OKPKey, payload: dict[str, Any], alg: str = "RS256", **header: Any
) -> str:
    full_header = {"alg": alg, "kid": key.kid, **header}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)  # EdDSA, deprecated by RFC 9864
        return jwt.encode(full_header, payload, key, algorithms=[alg])


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64json(value: object) -> str:
    return b64(json.dumps(value).encode())


def unsigned(payload: dict[str, Any], kid: str = "rsa-1") -> str:
    """The classic `alg: none` forgery."""
    return f"{b64json({'alg': 'none', 'kid': kid})}.{b64json(payload)}."


def hs256_with_public_key(public_key: RSAKey, payload: dict[str, Any]) -> str:
    """The key-confusion forgery: HMAC over the token keyed with the RSA public key's PEM."""
    signing_input = f"{b64json({'alg': 'HS256', 'kid': public_key.kid})}.{b64json(payload)}"
    secret = public_key.as_pem(private=False)
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


@attrs.define
class FakeIdentityProvider:
    """Discovery + JWKS served by a router function; counts the JWKS requests it answers."""

    issuer: str = ISSUER
    jwks: dict[str, Any] = attrs.field(factory=lambda: {"keys": []})
    oidc_discovery: bool = True
    advertised_issuer: str | None = None
    jwks_status: int = 200
    jwks_requests: int = 0
    requests: list[str] = attrs.field(factory=list)

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.advertised_issuer or self.issuer,
            "jwks_uri": f"{self.issuer}/keys",
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
        }

    def handle(self, request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        self.requests.append(url)
        if url == f"{self.issuer}/.well-known/openid-configuration" and self.oidc_discovery:
            return httpx.Response(200, json=self.metadata())
        if url.endswith("/.well-known/oauth-authorization-server" + httpx.URL(self.issuer).path):
            return httpx.Response(200, json=self.metadata())
        if url == f"{self.issuer}/keys":
            self.jwks_requests += 1
            return httpx.Response(self.jwks_status, json=self.jwks)
        return httpx.Response(404, json={"error": "not_found"})

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handle))
