"""Why a token was refused: the reason codes we log, and what a client is told about them."""

from __future__ import annotations

from enum import StrEnum

from jamf_mcp.domain.errors import InvalidToken, JamfMcpError


class RejectionReason(StrEnum):
    """Machine codes carried by `InvalidToken.reason`; safe to log, never shown with the token."""

    MISSING = "missing"
    MALFORMED = "malformed"
    TOO_LARGE = "too_large"
    UNKNOWN_ISSUER = "unknown_issuer"
    BAD_ALGORITHM = "bad_algorithm"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    WRONG_ISSUER = "wrong_issuer"
    WRONG_AUDIENCE = "wrong_audience"
    MISSING_SUBJECT = "missing_subject"
    JWKS_UNAVAILABLE = "jwks_unavailable"
    BAD_NONCE = "bad_nonce"
    WRONG_TYPE = "wrong_type"
    LIFETIME_TOO_LONG = "lifetime_too_long"
    UPSTREAM_REJECTED = "upstream_rejected"
    REVOKED = "revoked"


_REAUTHENTICATE = "Please re-authenticate"


def describe(reason: str) -> tuple[str, str]:
    """The `(error, message)` pair for a 401 body such as `{"error": ..., "message": ...}`.

    Deliberately vague: an attacker learns only "expired" or "invalid", never which check failed.
    """
    if reason == RejectionReason.EXPIRED:
        return "Token expired", _REAUTHENTICATE
    return "Invalid token", _REAUTHENTICATE


def rejected(reason: RejectionReason) -> InvalidToken:
    """An `InvalidToken` for `reason` whose message is the generic client-facing error."""
    return InvalidToken(reason.value, describe(reason)[0])


class IdentityProviderUnavailable(JamfMcpError):
    """The upstream identity provider could not be reached or answered nonsense (network, 5xx)."""
