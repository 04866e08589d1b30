"""Keyed digests of confirmation-gated actions: what the audit trail keeps, what a token is bound to.

A plain hash of an action is a dictionary attack waiting to happen: its parameters may hold a
6-digit lock PIN, and anyone who sees the hash can try all 10^6 of them in half a second. So every
digest here is an HMAC-SHA256 under the server's secret `DigestKey`, and the two uses are kept
apart (each has its own label in the MAC input):

- `audit_digest(action)` identifies the confirmed intent in the durable trail. It is computed over
  the action *without* its secret values, so even someone holding the key and the audit file
  learns nothing about a PIN from it.
- `binding(action, token)` is what a confirmation token is bound to. It covers the secret values
  too (confirming PIN 123456 must not run PIN 654321), and the token itself, so the stored value
  is worthless without the token — which is kept only by the client (stores key it by a digest).

Readers are shown at most `shown(digest)`: a short prefix, enough to tell records apart. Audit
digests name their scheme (`hmac-sha256:…`); a trail written before digests were keyed holds plain
SHA-256 values, of which readers are shown nothing (a prefix would still give a PIN away).
"""

from __future__ import annotations

import hashlib
import hmac

import attrs

from jamf_mcp.domain.actions import GatedAction

MIN_KEY_BYTES = 32
"""256 bits: the HMAC-SHA256 key size."""

SHOWN_DIGEST_CHARS = 12
"""How much of an audit digest readers see (48 bits: a reference, not a fingerprint)."""

AUDIT_SCHEME = "hmac-sha256:"
"""The prefix of every keyed audit digest."""

_AUDIT_LABEL = b"jamf-mcp audit digest v1\x00"
_BINDING_LABEL = b"jamf-mcp confirmation binding v1\x00"


def _long_enough(_: object, __: attrs.Attribute[bytes], value: bytes) -> None:
    if len(value) < MIN_KEY_BYTES:
        raise ValueError(f"a digest key needs at least {MIN_KEY_BYTES} bytes")


@attrs.frozen
class DigestKey:
    """The server's secret for action digests; every replica must hold the same one.

    Attributes:
        secret: at least 32 random bytes (never shown: not in `repr`).
    """

    secret: bytes = attrs.field(repr=False, validator=_long_enough)

    def _mac(self, label: bytes, *parts: bytes) -> str:
        mac = hmac.new(self.secret, label, hashlib.sha256)
        for part in parts:
            # Length-prefixed, so no two different part lists give the same input.
            mac.update(len(part).to_bytes(8, "big"))
            mac.update(part)
        return mac.hexdigest()

    def audit_digest(self, action: GatedAction) -> str:
        """`hmac-sha256:` and the HMAC (hex) of the action with its secret values masked."""
        return AUDIT_SCHEME + self._mac(_AUDIT_LABEL, action.canonical(with_secrets=False))

    def binding(self, action: GatedAction, token: str) -> str:
        """HMAC-SHA256 (hex) of the whole action, secrets included, and the confirmation token."""
        return self._mac(
            _BINDING_LABEL,
            token.encode("utf-8", "surrogatepass"),
            action.canonical(with_secrets=True),
        )


def shown(digest: str) -> str | None:
    """The part of an audit digest a reader may see: 12 hex digits of a keyed one, else None."""
    if not digest.startswith(AUDIT_SCHEME):
        return None
    return digest[len(AUDIT_SCHEME) : len(AUDIT_SCHEME) + SHOWN_DIGEST_CHARS]
