"""Where verification keys come from: a static key set, or an issuer's JWKS fetched and cached."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any, Protocol

import httpx
from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

from jamf_mcp.adapters.oidc.discovery import ProviderDiscovery
from jamf_mcp.adapters.oidc.reasons import (
    IdentityProviderUnavailable,
    RejectionReason,
    rejected,
)
from jamf_mcp.adapters.system.clock import SystemClock
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.domain.errors import InvalidToken

_log = logging.getLogger(__name__)


class JwksSource(Protocol):
    """Finds the public key a token names by `kid`.

    Raises `InvalidToken("unknown_key")` when no usable key has that id and
    `InvalidToken("jwks_unavailable")` when the keys cannot be obtained at all.
    """

    async def find_key(self, kid: str | None) -> Key:
        """The signing key with this `kid` (or the only signing key when `kid` is None)."""
        ...


def select_key(keys: KeySet, kid: str | None) -> Key | None:
    """The signature key with `kid`; without a `kid`, the set's only signature key, if unique."""
    usable = [key for key in keys.keys if key.get("use") in (None, "sig")]
    if kid is None:
        return usable[0] if len(usable) == 1 else None
    return next((key for key in usable if key.kid == kid), None)


def import_jwks(value: KeySet | Mapping[str, Any]) -> KeySet:
    """A `KeySet` from a JWKS document (public keys only are kept) or an existing set."""
    if isinstance(value, KeySet):
        return value
    keys = value.get("keys")
    if not isinstance(keys, list):
        raise ValueError("a JWKS needs a 'keys' array")
    return KeySet.import_key_set({"keys": keys})


class StaticJwks:
    """A fixed key set known in-process, e.g. this server's own front-door key (implements `JwksSource`).

    Args:
        keys: a joserfc `KeySet` or a JWKS dictionary (`{"keys": [...]}`).
    """

    def __init__(self, keys: KeySet | Mapping[str, Any]) -> None:
        self._keys = import_jwks(keys)

    async def find_key(self, kid: str | None) -> Key:
        """The key named `kid`, or `InvalidToken("unknown_key")`."""
        key = select_key(self._keys, kid)
        if key is None:
            raise rejected(RejectionReason.UNKNOWN_KEY)
        return key


class RemoteJwks:
    """An issuer's JWKS, discovered from its metadata and cached (implements `JwksSource`).

    The set is refetched when older than `cache_seconds`. A token naming an unknown `kid` causes
    at most one refetch per `min_refetch_seconds`, so a flood of forged kids cannot become a flood
    of requests to the identity provider. When a refetch fails the previous keys stay in use.

    Args:
        issuer_url: the issuer identifier; its metadata must state exactly this issuer.
        http: the shared client.
        cache_seconds: how long a fetched key set is trusted before it is refreshed.
        min_refetch_seconds: the minimum spacing of refetches caused by unknown kids.
        failure_backoff_seconds: how long to wait after a failed fetch before trying again.
        clock: the time source (tests inject a `FixedClock`).
        discovery: a shared `ProviderDiscovery` for this issuer, if one exists already.
    """

    def __init__(
        self,
        issuer_url: str,
        http: httpx.AsyncClient,
        *,
        cache_seconds: float = 600,
        min_refetch_seconds: float = 30,
        failure_backoff_seconds: float = 5,
        clock: Clock | None = None,
        discovery: ProviderDiscovery | None = None,
    ) -> None:
        self._http = http
        self._discovery = discovery or ProviderDiscovery(issuer_url, http)
        self._cache_seconds = cache_seconds
        self._min_refetch_seconds = min_refetch_seconds
        self._failure_backoff_seconds = failure_backoff_seconds
        self._clock = clock or SystemClock()
        self._keys: KeySet | None = None
        self._fetched_at = float("-inf")
        self._unknown_kid_refetch_at = float("-inf")
        self._failed_at = float("-inf")
        self._lock = asyncio.Lock()

    def _now(self) -> float:
        return self._clock.now().timestamp()

    async def ensure_loaded(self) -> bool:
        """Whether the key set is (or can now be) loaded; for readiness checks.

        Uses the cache like any token would, so it never spends the unknown-`kid` refetch budget.
        """
        try:
            await self._current()
        except InvalidToken:
            return False
        return True

    async def find_key(self, kid: str | None) -> Key:
        """The key named `kid`, refreshing the cached set when stale or (rate-limited) when unknown."""
        keys = await self._current()
        key = select_key(keys, kid)
        if key is not None:
            return key
        keys = await self._refetch_for_unknown_kid(keys)
        key = select_key(keys, kid)
        if key is None:
            raise rejected(RejectionReason.UNKNOWN_KEY)
        return key

    async def _current(self) -> KeySet:
        if self._keys is not None and self._now() - self._fetched_at < self._cache_seconds:
            return self._keys
        async with self._lock:
            now = self._now()
            if self._keys is not None and now - self._fetched_at < self._cache_seconds:
                return self._keys
            if now - self._failed_at >= self._failure_backoff_seconds:
                await self._fetch()
            if self._keys is None:
                raise rejected(RejectionReason.JWKS_UNAVAILABLE)
            return self._keys

    async def _refetch_for_unknown_kid(self, seen: KeySet) -> KeySet:
        async with self._lock:
            current = self._keys or seen
            if current is not seen:
                return current  # someone else refreshed while we waited
            if self._now() - self._unknown_kid_refetch_at < self._min_refetch_seconds:
                return current
            self._unknown_kid_refetch_at = self._now()
            await self._fetch()
            return self._keys or seen

    async def _fetch(self) -> None:
        """Fetch the key set; on failure keep the old one and remember when it failed."""
        try:
            metadata = await self._discovery.metadata()
            response = await self._http.get(
                metadata.jwks_uri, headers={"Accept": "application/json"}
            )
            response.raise_for_status()
            document = response.json()
            keys = import_jwks(document if isinstance(document, dict) else {})
        except (
            httpx.HTTPError,
            IdentityProviderUnavailable,
            JoseError,
            ValueError,
            RecursionError,
        ) as error:
            self._failed_at = self._now()
            _log.warning(
                "could not fetch the JWKS of %s: %s", self._discovery.issuer, _summary(error)
            )
            return
        self._keys = keys
        self._fetched_at = self._now()
        _log.debug("fetched %d keys for %s", len(keys.keys), self._discovery.issuer)


def _summary(error: Exception) -> str:
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code} from {error.request.url}"
    if isinstance(error, IdentityProviderUnavailable):
        return error.message
    return type(error).__name__
