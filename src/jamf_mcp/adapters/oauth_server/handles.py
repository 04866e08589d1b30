"""Random handles, their digests and PKCE: every secret value the front door makes or checks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

HANDLE_BYTES = 32  # 256 bits: codes, tokens, states, nonces, verifiers, transaction ids
_PKCE_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
_S256_CHALLENGE = re.compile(r"^[A-Za-z0-9\-_]{43}$")


def new_handle() -> str:
    """A fresh URL-safe random string carrying 256 bits."""
    return secrets.token_urlsafe(HANDLE_BYTES)


def digest(secret: str) -> str:
    """The SHA-256 of a high-entropy secret, as stored in place of the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()


def same(left: str, right: str) -> bool:
    """Constant-time string equality."""
    return hmac.compare_digest(left.encode(), right.encode())


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of `verifier` (RFC 7636 §4.2)."""
    hashed = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(hashed).rstrip(b"=").decode("ascii")


def is_s256_challenge(challenge: str) -> bool:
    """True for a well-formed S256 challenge (43 base64url characters)."""
    return bool(_S256_CHALLENGE.match(challenge))


def pkce_matches(verifier: str, challenge: str) -> bool:
    """True when `verifier` is well-formed and hashes to `challenge`."""
    if not _PKCE_VERIFIER.match(verifier):
        return False
    return same(s256(verifier), challenge)


def grant_sid(family_id: str) -> str:
    """The public id of a grant family, carried by its access tokens as `sid`.

    A one-way function of the family id (which stays secret), so a token reveals nothing that
    could be used to act on the family; the revocation denylist is keyed by it.
    """
    return hashlib.sha256(b"jamf-mcp grant sid\x00" + family_id.encode()).hexdigest()[:32]
