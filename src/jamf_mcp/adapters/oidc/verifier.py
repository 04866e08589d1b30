"""`OidcTokenVerifier`: bearer access tokens from trusted issuers become a domain `Principal`."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

import attrs

from jamf_mcp.adapters.oidc.claims import principal_from_claims
from jamf_mcp.adapters.oidc.jwks import JwksSource
from jamf_mcp.adapters.oidc.jwt_checks import (
    ALLOWED_ALGORITHMS,
    DEFAULT_MAX_TOKEN_BYTES,
    check_lifetime,
    check_token_type,
    peek,
    validate_claims,
    verify_signature,
)
from jamf_mcp.adapters.oidc.reasons import RejectionReason, rejected
from jamf_mcp.adapters.system.clock import SystemClock
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.domain.errors import InvalidToken
from jamf_mcp.domain.principal import Principal

_log = logging.getLogger(__name__)

DEFAULT_MAX_LIFETIME_SECONDS = 24 * 3600
"""Longer-lived access tokens are refused (Auth0's default API token lives 24 h, Okta's 1 h)."""


def _audience_set(audiences: Iterable[str]) -> frozenset[str]:
    return frozenset([audiences] if isinstance(audiences, str) else audiences)


@attrs.frozen
class TrustedIssuer:
    """An issuer whose tokens we accept, for which audiences, verified with which keys.

    Attributes:
        issuer: compared exactly with the token's `iss`.
        audiences: the token's `aud` must contain at least one of these (usually our resource URL).
        keys: where the issuer's public keys come from (`StaticJwks` or `RemoteJwks`).
        token_type: when set, the `typ` header must name it: `at+jwt` for the issuers this
            server runs (its own front door, the development IdP), which always set it. None for
            external providers (Auth0 and Okta sign access tokens with `typ: JWT`).
        max_lifetime_seconds: a token that lives longer (`exp - iat`) is refused.
    """

    issuer: str
    audiences: frozenset[str] = attrs.field(converter=_audience_set)
    keys: JwksSource
    token_type: str | None = None
    max_lifetime_seconds: int = DEFAULT_MAX_LIFETIME_SECONDS

    @audiences.validator
    def _has_audience(self, _attribute: object, value: frozenset[str]) -> None:
        if not value:
            raise ValueError(f"issuer {self.issuer!r} needs at least one audience")


class RevokedTokens(Protocol):
    """Knows which valid tokens were revoked (a grant ended, a person signed out everywhere).

    Asked on every request, cached tokens included, so it must be cheap: a lookup in memory.
    """

    async def is_revoked(self, claims: Mapping[str, Any]) -> bool:
        """True when the token with these (verified) claims must be refused."""
        ...


class TokenObserver(Protocol):
    """Told the outcome of every verification (metrics); must be cheap and never raise."""

    def token_checked(self, outcome: str) -> None:
        """`outcome` is `valid` or the `RejectionReason` code of the refusal."""
        ...


class OidcTokenVerifier:
    """Verifies JWT access tokens (implements `application.ports.TokenVerifier`).

    Steps: size limit, three segments, the unverified `iss` only to choose a `TrustedIssuer`, the
    signature with that issuer's keys and an allowed asymmetric algorithm (RS256, PS256, ES256,
    EdDSA), then `iss`/`aud`/`exp`/`nbf`/`iat`/`sub` validation with `leeway` seconds of skew.

    Args:
        issuers: the issuers to trust; their identifiers must be distinct.
        clock: the time source.
        leeway: accepted clock skew in seconds.
        max_token_bytes: longer tokens are refused before any parsing.
        observer: told each outcome (`valid` or the rejection reason).
        cache_size: how many verified tokens are remembered. A token seen again skips the
            signature check only while the issuer's key set still holds the very key it was
            checked with; its claims (`exp` above all) are validated again on every request.
        revoked: consulted after the claims on every request (cached tokens too), so a revoked
            token stops working at once rather than at its `exp`.
    """

    def __init__(
        self,
        issuers: Sequence[TrustedIssuer],
        *,
        clock: Clock | None = None,
        leeway: int = 30,
        max_token_bytes: int = DEFAULT_MAX_TOKEN_BYTES,
        observer: TokenObserver | None = None,
        cache_size: int = 10_000,
        revoked: RevokedTokens | None = None,
    ) -> None:
        self._issuers = {trusted.issuer.rstrip("/"): trusted for trusted in issuers}
        if len(self._issuers) != len(issuers):
            raise ValueError("trusted issuers must be distinct")
        self._clock = clock or SystemClock()
        self._leeway = leeway
        self._max_token_bytes = max_token_bytes
        self._observer = observer
        self._cache_size = cache_size
        self._revoked = revoked
        self._verified: dict[bytes, _Verified] = {}

    async def keys_ready(self) -> bool:
        """Whether every trusted issuer's keys are loaded (or loadable now): readiness."""
        for issuer in self._issuers.values():
            ensure = getattr(issuer.keys, "ensure_loaded", None)
            if ensure is not None and not await ensure():
                return False
        return True

    async def verify(self, token: str) -> Principal:
        """The principal a valid token stands for.

        Raises:
            InvalidToken: with a `RejectionReason` code; the message is safe to show a client.
        """
        try:
            principal = await self._verify(token)
        except InvalidToken as error:
            _log.debug("bearer token rejected: %s", error.reason)
            self._observe(error.reason)
            raise
        self._observe("valid")
        return principal

    def _observe(self, outcome: str) -> None:
        if self._observer is None:
            return
        try:
            self._observer.token_checked(outcome)
        except Exception:  # a broken observer must not decide who gets in
            _log.warning("the token observer failed", exc_info=True)

    async def _verify(self, token: str) -> Principal:
        fingerprint = hashlib.blake2b(token.encode(), digest_size=16).digest()
        known = self._verified.get(fingerprint)
        if known is not None:
            key = await known.trusted.keys.find_key(known.kid)
            if key is known.key:
                try:
                    self._check_claims(known.claims, known.trusted)
                except InvalidToken:
                    self._verified.pop(fingerprint, None)
                    raise
                await self._check_not_revoked(known.claims)
                return known.principal
            del self._verified[fingerprint]  # the key set changed: verify the signature again
        verified = await self._verify_fully(token)
        await self._check_not_revoked(verified.claims)
        if len(self._verified) >= self._cache_size:
            self._verified.pop(next(iter(self._verified)))  # the oldest entry
        self._verified[fingerprint] = verified
        return verified.principal

    async def _check_not_revoked(self, claims: dict[str, Any]) -> None:
        if self._revoked is not None and await self._revoked.is_revoked(claims):
            raise rejected(RejectionReason.REVOKED)

    def _check_claims(self, claims: dict[str, Any], trusted: TrustedIssuer) -> None:
        now = int(self._clock.now().timestamp())
        validate_claims(
            claims,
            issuer=trusted.issuer,
            audiences=trusted.audiences,
            now=now,
            leeway=self._leeway,
        )
        check_lifetime(
            claims, now=now, max_seconds=trusted.max_lifetime_seconds, leeway=self._leeway
        )

    async def _verify_fully(self, token: str) -> _Verified:
        unverified = peek(token, max_bytes=self._max_token_bytes)
        claimed_issuer = unverified.claims.get("iss")
        trusted = (
            self._issuers.get(claimed_issuer.rstrip("/"))
            if isinstance(claimed_issuer, str)
            else None
        )
        if trusted is None:
            raise rejected(RejectionReason.UNKNOWN_ISSUER)
        claims = await verify_signature(
            token, unverified, trusted.keys, algorithms=ALLOWED_ALGORITHMS
        )
        if trusted.token_type is not None:  # the header is covered by the signature
            check_token_type(unverified.header, trusted.token_type)
        self._check_claims(claims, trusted)
        key = await trusted.keys.find_key(unverified.kid)
        return _Verified(principal_from_claims(claims), claims, trusted, unverified.kid, key)


@attrs.frozen
class _Verified:
    """A token whose signature was verified: what it stands for, and what that relied on."""

    principal: Principal
    claims: dict[str, Any]
    trusted: TrustedIssuer
    kid: str | None
    key: Any  # the exact key object the signature was checked with
