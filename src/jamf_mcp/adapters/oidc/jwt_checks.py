"""The steps every incoming JWT goes through: shape, signature, then registered claims.

Shared by the access-token verifier and the upstream client's ID-token check. Every failure is an
`InvalidToken` with a `RejectionReason`; no joserfc type or error escapes this module's callers.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
import warnings
from collections.abc import Collection
from typing import Any

import attrs
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ClaimError,
    ExceededSizeError,
    ExpiredTokenError,
    InvalidKeyTypeError,
    JoseError,
    MissingClaimError,
    SecurityWarning,
    UnsupportedAlgorithmError,
    UnsupportedKeyAlgorithmError,
    UnsupportedKeyUseError,
)
from joserfc.jws import JWSRegistry

from jamf_mcp.adapters.oidc.jwks import JwksSource
from jamf_mcp.adapters.oidc.reasons import RejectionReason, rejected

ALLOWED_ALGORITHMS: tuple[str, ...] = ("RS256", "PS256", "ES256", "EdDSA")
DEFAULT_MAX_TOKEN_BYTES = 8 * 1024
_SEGMENT = re.compile(r"[A-Za-z0-9_-]*")
_KEY_MISMATCH = (InvalidKeyTypeError, UnsupportedKeyAlgorithmError, UnsupportedKeyUseError)


@attrs.frozen
class UnverifiedJwt:
    """A compact JWT split and decoded but NOT verified: only for routing (issuer, kid, alg)."""

    header: dict[str, Any]
    claims: dict[str, Any]

    @property
    def algorithm(self) -> str:
        """The `alg` header (guaranteed a string by `peek`)."""
        return str(self.header["alg"])

    @property
    def kid(self) -> str | None:
        """The `kid` header, if any."""
        kid = self.header.get("kid")
        return kid if isinstance(kid, str) else None


def _json_segment(segment: str) -> dict[str, Any]:
    if not _SEGMENT.fullmatch(segment):
        raise rejected(RejectionReason.MALFORMED)
    try:
        value = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (binascii.Error, ValueError, RecursionError):
        raise rejected(RejectionReason.MALFORMED) from None
    if not isinstance(value, dict):
        raise rejected(RejectionReason.MALFORMED)
    return value


def peek(token: str, *, max_bytes: int = DEFAULT_MAX_TOKEN_BYTES) -> UnverifiedJwt:
    """Check size and shape and decode header and claims without verifying anything.

    Raises:
        InvalidToken: `missing`, `too_large` or `malformed`.
    """
    if not token:
        raise rejected(RejectionReason.MISSING)
    if len(token) > max_bytes:
        raise rejected(RejectionReason.TOO_LARGE)
    segments = token.split(".")
    # An empty signature is well-formed here (`alg: none`); it is refused with the algorithm.
    if len(segments) != 3 or not _SEGMENT.fullmatch(segments[2]):
        raise rejected(RejectionReason.MALFORMED)
    header, claims = _json_segment(segments[0]), _json_segment(segments[1])
    if not isinstance(header.get("alg"), str) or not isinstance(header.get("kid", ""), str):
        raise rejected(RejectionReason.MALFORMED)
    return UnverifiedJwt(header=header, claims=claims)


@functools.lru_cache(maxsize=8)
def _registry(algorithms: tuple[str, ...]) -> JWSRegistry:
    """The JWS registry for these algorithms (stateless once built, so shared)."""
    return JWSRegistry(algorithms=list(algorithms), strict_check_header=False)


async def verify_signature(
    token: str,
    unverified: UnverifiedJwt,
    keys: JwksSource,
    *,
    algorithms: Collection[str] = ALLOWED_ALGORITHMS,
) -> dict[str, Any]:
    """Verify the signature with the issuer's key named by `kid`; return the signed claims.

    Raises:
        InvalidToken: `bad_algorithm`, `unknown_key`, `jwks_unavailable`, `bad_signature`,
            `malformed` or `too_large`.
    """
    algorithm = unverified.algorithm
    if algorithm not in algorithms:
        raise rejected(RejectionReason.BAD_ALGORITHM)
    key = await keys.find_key(unverified.kid)
    allowed = list(algorithms)
    registry = _registry(tuple(algorithms))
    try:
        if algorithm == "EdDSA":
            with warnings.catch_warnings():
                # EdDSA is "deprecated" by RFC 9864 but still what many providers publish.
                warnings.simplefilter("ignore", SecurityWarning)
                decoded = jwt.decode(token, key, algorithms=allowed, registry=registry)
        else:
            decoded = jwt.decode(token, key, algorithms=allowed, registry=registry)
    except BadSignatureError:
        raise rejected(RejectionReason.BAD_SIGNATURE) from None
    except (*_KEY_MISMATCH, UnsupportedAlgorithmError):
        raise rejected(RejectionReason.BAD_ALGORITHM) from None
    except ExceededSizeError:
        raise rejected(RejectionReason.TOO_LARGE) from None
    except (JoseError, ValueError):
        raise rejected(RejectionReason.MALFORMED) from None
    return dict(decoded.claims)


def validate_claims(
    claims: dict[str, Any],
    *,
    issuer: str,
    audiences: Collection[str],
    now: int,
    leeway: int,
) -> None:
    """Validate `iss` (exact), `aud` (any of `audiences`), `exp` (required), `nbf`, `iat`, `sub`.

    Raises:
        InvalidToken: `wrong_issuer`, `wrong_audience`, `expired`, `not_yet_valid`,
            `missing_subject` or `malformed`.
    """
    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=leeway,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "values": sorted(audiences)},
        exp={"essential": True},
        sub={"essential": True},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise rejected(RejectionReason.EXPIRED) from None
    except MissingClaimError as error:
        raise rejected(_missing_reason(set(error.claim.split(",")))) from None
    except ClaimError as error:
        raise rejected(_invalid_reason(error.claim)) from None


ACCESS_TOKEN_TYPE = "at+jwt"
"""RFC 9068's `typ` for JWT access tokens (`application/at+jwt` means the same)."""


def check_token_type(header: dict[str, Any], expected: str) -> None:
    """The `typ` header names `expected` (case-insensitive, with or without `application/`).

    Keeps an ID token or any other JWT signed by the same key from passing as an access token.

    Raises:
        InvalidToken: `wrong_type`.
    """
    typ = header.get("typ")
    if not isinstance(typ, str) or typ.lower().removeprefix("application/") != expected.lower():
        raise rejected(RejectionReason.WRONG_TYPE)


def check_lifetime(claims: dict[str, Any], *, now: int, max_seconds: int, leeway: int) -> None:
    """The token lives at most `max_seconds`: from `iat` to `exp`, or from now without `iat`.

    A token minted to last a year is refused even while it is "valid" (call after
    `validate_claims`, which guarantees a numeric `exp`).

    Raises:
        InvalidToken: `lifetime_too_long`.
    """
    expires = claims.get("exp")
    issued = claims.get("iat")
    start = issued if isinstance(issued, int | float) and not isinstance(issued, bool) else now
    if not isinstance(expires, int | float) or expires - start > max_seconds + leeway:
        raise rejected(RejectionReason.LIFETIME_TOO_LONG)


def _missing_reason(missing: set[str]) -> RejectionReason:
    if "iss" in missing:
        return RejectionReason.WRONG_ISSUER
    if "aud" in missing:
        return RejectionReason.WRONG_AUDIENCE
    if "sub" in missing:
        return RejectionReason.MISSING_SUBJECT
    return RejectionReason.MALFORMED  # no `exp`: we never accept tokens that live forever


def _invalid_reason(claim: str) -> RejectionReason:
    return {
        "iss": RejectionReason.WRONG_ISSUER,
        "aud": RejectionReason.WRONG_AUDIENCE,
        "sub": RejectionReason.MISSING_SUBJECT,
        "nbf": RejectionReason.NOT_YET_VALID,
        "iat": RejectionReason.NOT_YET_VALID,
    }.get(claim, RejectionReason.MALFORMED)
