"""This server's own signing key: RS256, kept as a private JWK file in the data directory.

Used by the OAuth front door to sign the access tokens it issues, by `jamf-mcp dev-token`, and
(with a separate file) by the embedded development identity provider. The same key on disk means
tokens survive restarts.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from jamf_mcp.adapters.local_files import create_or_load

ALGORITHM = "RS256"


def _parse_key(raw: bytes) -> SigningKey:
    try:
        document = json.loads(raw)
    except RecursionError:
        raise ValueError("the key file is not a JSON key") from None
    return SigningKey(RSAKey.import_key(document))


class SigningKey:
    """An RSA private key with a stable `kid`, able to sign JWTs and publish its public JWKS."""

    def __init__(self, key: RSAKey) -> None:
        key.ensure_kid()
        self._key = key

    @classmethod
    def generate(cls) -> SigningKey:
        """A fresh 2048-bit key (tests, or first start)."""
        return cls(
            RSAKey.generate_key(2048, parameters={"alg": ALGORITHM, "use": "sig"}, auto_kid=True)
        )

    @classmethod
    def load_or_create(cls, path: Path) -> SigningKey:
        """Load the key stored at `path`, creating it (mode 0600, parent dirs 0700) if absent.

        Replicas starting together on a shared data directory all load the one key written
        first (`create_or_load`).
        """

        def make() -> bytes:
            return json.dumps(cls.generate()._key.as_dict(private=True)).encode()

        return create_or_load(path, make, _parse_key)

    @property
    def kid(self) -> str:
        """The key id placed in every token header."""
        kid = self._key.kid
        assert kid is not None
        return kid

    def public_jwks(self) -> dict[str, Any]:
        """`{"keys": [public JWK]}` as served at a `jwks_uri`."""
        public = self._key.as_dict(private=False)
        public.update({"alg": ALGORITHM, "use": "sig", "kid": self.kid})
        return {"keys": [public]}

    def public_key_set(self) -> KeySet:
        """The public key as a joserfc `KeySet` (for in-process verification)."""
        return KeySet.import_key_set(self.public_jwks())  # type: ignore[arg-type]

    def derive_secret(self, purpose: str, length: int = 32) -> bytes:
        """A secret for `purpose`, derived from the private key (HKDF-SHA256).

        Every replica shares the key file, so they all derive the same secret; a new key file
        means new secrets (what was sealed with the old ones can no longer be opened).
        """
        material = self._key.as_bytes(private=True, encoding="DER")
        info = f"jamf-mcp {purpose}".encode()
        return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(material)

    def sign(self, claims: Mapping[str, Any], *, typ: str = "at+jwt") -> str:
        """A compact JWS of `claims` with `alg=RS256`, this `kid` and the given `typ`."""
        header = {"alg": ALGORITHM, "kid": self.kid, "typ": typ}
        return jwt.encode(header, dict(claims), self._key, algorithms=[ALGORITHM])


def access_token_claims(
    *,
    issuer: str,
    audience: str,
    subject: str,
    scopes: frozenset[str] | set[str],
    ttl_seconds: int,
    client_id: str | None = None,
    extra: Mapping[str, Any] | None = None,
    now: float | None = None,
) -> dict[str, Any]:
    """The claims of an RFC 9068 access token issued by this server."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl_seconds,
        "jti": os.urandom(16).hex(),
        "scope": " ".join(sorted(scopes)),
    }
    if client_id is not None:
        claims["client_id"] = client_id
    claims.update(extra or {})
    return claims
