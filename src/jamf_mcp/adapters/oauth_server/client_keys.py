"""The public keys of `private_key_jwt` clients: inline in their document, or at their `jwks_uri`.

A key set at a `jwks_uri` is fetched through the same `ClientMetadataFetcher` as metadata
documents (https only, public addresses only, no redirects, 5 s, 64 KiB), cached, and refetched
when an assertion names a `kid` the cached set lacks — at most once per `min_refetch_seconds` for
each URL, so a flood of assertions with made-up kids cannot become a flood of fetches. A failed
refetch keeps the set already known.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from joserfc.errors import JoseError
from joserfc.jwk import Key, KeySet

from jamf_mcp.adapters.oauth_server.client_metadata import (
    ClientMetadataFetcher,
    ClientMetadataUnavailable,
)
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oidc.jwks import JwksSource, StaticJwks, import_jwks, select_key
from jamf_mcp.adapters.oidc.reasons import RejectionReason, rejected
from jamf_mcp.application.ports.clock import Clock

logger = logging.getLogger(__name__)

MAX_KEY_SETS = 1000


def _key_set(document: object) -> KeySet:
    if not isinstance(document, dict):
        raise ValueError("a JWK Set is a JSON object")
    keys = import_jwks(document)
    if any(key.is_private for key in keys.keys):
        raise ValueError("a client's published key set must hold public keys only")
    return keys


class ClientKeySets:
    """Finds the key a client assertion names (hands out a `JwksSource` per client).

    Args:
        fetcher: fetches `jwks_uri` documents (None: only inline keys can be used).
        clock: time source for the refetch spacing.
        min_refetch_seconds: the least time between two fetches of one URL caused by an unknown
            `kid`.
    """

    def __init__(
        self,
        fetcher: ClientMetadataFetcher | None,
        clock: Clock,
        *,
        min_refetch_seconds: float = 30.0,
    ) -> None:
        self._fetcher = fetcher
        self._clock = clock
        self._min_refetch = min_refetch_seconds
        self._parsed: dict[str, tuple[object, KeySet]] = {}
        self._refetched_at: dict[str, float] = {}

    def source(self, client: RegisteredClient) -> JwksSource:
        """Where the keys of `client` come from."""
        if client.jwks is not None:
            return StaticJwks(json.loads(client.jwks))
        return _PublishedKeys(self, client.jwks_uri or "")

    async def keys(self, url: str, *, fresh: bool = False) -> KeySet:
        """The key set at `url` (from the fetcher's cache unless `fresh`).

        Raises:
            InvalidToken: `jwks_unavailable` when it cannot be fetched or is not a key set.
        """
        if self._fetcher is None or not url:
            raise rejected(RejectionReason.JWKS_UNAVAILABLE)
        try:
            document = await self._fetcher.fetch(url, fresh=fresh)
            known = self._parsed.get(url)
            if known is not None and known[0] is document:
                return known[1]
            keys = _key_set(document)
        except ClientMetadataUnavailable as error:
            logger.info("Could not fetch a client's key set from %s: %s", _host(url), error.reason)
            raise rejected(RejectionReason.JWKS_UNAVAILABLE) from None
        except (JoseError, ValueError, TypeError):
            logger.info("A client's key set at %s is not a usable JWK Set", _host(url))
            raise rejected(RejectionReason.JWKS_UNAVAILABLE) from None
        if len(self._parsed) >= MAX_KEY_SETS:
            self._parsed.clear()
        self._parsed[url] = (document, keys)
        return keys

    def may_refetch(self, url: str) -> bool:
        """Whether an unknown `kid` may cause a fetch of `url` now (and, if so, count it)."""
        now = self._clock.now().timestamp()
        if now - self._refetched_at.get(url, float("-inf")) < self._min_refetch:
            return False
        if len(self._refetched_at) >= MAX_KEY_SETS:
            self._refetched_at.clear()
        self._refetched_at[url] = now
        return True


class _PublishedKeys:
    """A client's `jwks_uri` as a `JwksSource`."""

    def __init__(self, key_sets: ClientKeySets, url: str) -> None:
        self._key_sets = key_sets
        self._url = url

    async def find_key(self, kid: str | None) -> Key:
        """The key named `kid`; one bounded refetch when the cached set lacks it."""
        key = select_key(await self._key_sets.keys(self._url), kid)
        if key is None and self._key_sets.may_refetch(self._url):
            key = select_key(await self._key_sets.keys(self._url, fresh=True), kid)
        if key is None:
            raise rejected(RejectionReason.UNKNOWN_KEY)
        return key


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc or "?"
    except ValueError:
        return "?"
