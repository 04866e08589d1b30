"""Fetching Client ID Metadata Documents (and the key sets they name) without becoming a
server-side request forgery tool.

A `client_id` that is an https URL names a JSON document describing the client; a
`private_key_jwt` client's document names a `jwks_uri` too. Fetching either means requesting a URL
an unauthenticated stranger chose, so the fetcher: accepts https only; resolves the host itself and
refuses private, loopback, link-local, multicast and reserved addresses; connects to the address it
checked (TLS still verifies the real host name through SNI), so DNS rebinding cannot swap in
another; follows no redirects; gives up after 5 seconds or 64 KiB; caches answers 5 minutes.

`ClientMetadataFetcher` is the port; `SafeClientMetadataFetcher` is the only implementation, and
keeps every check. Tests serve ChatGPT's published document and key set by giving it an HTTP client
whose transport answers for `chatgpt.com` and a resolver that names a public address for it: the
checks still run, only the network is replaced.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import socket
from collections.abc import Callable
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

import httpx

from jamf_mcp.application.ports.clock import Clock

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_DOCUMENT_BYTES = 64 * 1024
MAX_CACHED = 1000


class ClientMetadataUnavailable(Exception):
    """The document could not be fetched or is not acceptable.

    Attributes:
        reason: what went wrong, for the server's log.
        public: True when `reason` is about the URL's shape alone and may be shown to the
            requester; fetch failures are not, as they would reveal what the server can reach.
    """

    def __init__(self, reason: str, *, public: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.public = public


class ClientMetadataFetcher(Protocol):
    """Fetches a client's published JSON: its Client ID Metadata Document (at its https
    `client_id` URL) or the key set its document names (`jwks_uri`).

    Idempotent (a GET); answers may come from a cache.
    """

    async def fetch(self, url: str, *, fresh: bool = False) -> object:
        """The parsed JSON document (not yet validated as client metadata or a key set).

        Args:
            url: an https URL with a path.
            fresh: skip the cache (a key set that lacks the key an assertion names).

        Raises:
            ClientMetadataUnavailable: the URL is refused or the fetch failed.
        """
        ...


class HostResolver(Protocol):
    """Turns a host name into IP address strings."""

    async def resolve(self, host: str, port: int) -> list[str]:
        """Every address of `host` (raises OSError when it does not resolve)."""
        ...


class SystemResolver:
    """Resolves with the operating system's resolver (implements `HostResolver`)."""

    async def resolve(self, host: str, port: int) -> list[str]:
        """Every address of `host`."""
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: IPAddress) -> bool:
    """True only for globally routable unicast addresses (IPv4-mapped IPv6 judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:
            return is_public_address(embedded)
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def metadata_url_problem(url: str) -> str | None:
    """Why `url` cannot be a Client ID Metadata Document URL, or None when it can."""
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in url):  # controls and spaces
        return "the client_id is not a valid URL"
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError:
        return "the client_id is not a valid URL"
    if parts.scheme != "https" or not parts.hostname:
        return "a client_id URL must use https"
    if parts.username is not None or parts.password is not None or "#" in url:
        return "a client_id URL must not contain user information or a fragment"
    segments = parts.path.split("/")
    if parts.path in ("", "/") or "." in segments or ".." in segments:
        return "a client_id URL must have a path without dot segments"
    return None


class SafeClientMetadataFetcher:
    """Implements `ClientMetadataFetcher` with the protections described in the module docstring.

    Args:
        client: the shared HTTP client (its transport is what tests replace).
        clock: time source for the cache.
        resolver: host name resolution (tests inject a fake).
        address_allowed: which resolved addresses may be contacted; tests may allow loopback.
        timeout_seconds: the whole fetch, resolution included.
        cache_seconds: how long a fetched document is reused.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        clock: Clock,
        *,
        resolver: HostResolver | None = None,
        address_allowed: Callable[[IPAddress], bool] = is_public_address,
        timeout_seconds: float = 5.0,
        cache_seconds: float = 300.0,
    ) -> None:
        self._client = client
        self._clock = clock
        self._resolver = resolver or SystemResolver()
        self._address_allowed = address_allowed
        self._timeout = timeout_seconds
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, object]] = {}

    async def fetch(self, url: str, *, fresh: bool = False) -> object:
        """The document at `url`, from the cache when fresh (unless `fresh`)."""
        now = self._clock.now().timestamp()
        cached = self._cache.get(url)
        if cached is not None and cached[0] > now and not fresh:
            return cached[1]
        if problem := metadata_url_problem(url):
            raise ClientMetadataUnavailable(problem, public=True)
        try:
            async with asyncio.timeout(self._timeout):
                document = await self._fetch(url)
        except TimeoutError:
            raise ClientMetadataUnavailable("fetching the client metadata timed out") from None
        except httpx.HTTPError:
            logger.info("Could not fetch a client metadata document from %s", urlsplit(url).netloc)
            raise ClientMetadataUnavailable("the client metadata could not be fetched") from None
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        self._cache[url] = (now + self._cache_seconds, document)
        return document

    async def _address(self, host: str, port: int) -> IPAddress:
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        try:
            resolved = [str(literal)] if literal else await self._resolver.resolve(host, port)
            addresses = [ipaddress.ip_address(a.partition("%")[0]) for a in resolved]
        except (OSError, ValueError):
            raise ClientMetadataUnavailable("the client_id host does not resolve") from None
        if not addresses:
            raise ClientMetadataUnavailable("the client_id host does not resolve")
        if not all(self._address_allowed(address) for address in addresses):
            raise ClientMetadataUnavailable("the client_id host is not a public address")
        return addresses[0]

    async def _fetch(self, url: str) -> object:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or 443
        address = await self._address(host, port)
        shown = f"[{address}]" if address.version == 6 else str(address)
        target = urlunsplit(("https", f"{shown}:{port}", parts.path, parts.query, ""))
        request = self._client.build_request(
            "GET",
            target,
            # Connection: close, so no pooled connection (TLS-checked for another host) is reused.
            headers={"Host": parts.netloc, "Accept": "application/json", "Connection": "close"},
            extensions={} if host == str(address) else {"sni_hostname": host},
        )
        response = await self._client.send(request, stream=True, follow_redirects=False)
        try:
            if response.is_redirect:
                raise ClientMetadataUnavailable("the client metadata URL redirects")
            if response.status_code != 200:
                raise ClientMetadataUnavailable("the client metadata URL did not answer 200")
            body = bytearray()
            async for chunk in response.aiter_bytes():
                body.extend(chunk)
                if len(body) > MAX_DOCUMENT_BYTES:
                    raise ClientMetadataUnavailable("the client metadata document is too large")
        finally:
            await response.aclose()
        try:
            return json.loads(bytes(body))
        except (ValueError, RecursionError):
            raise ClientMetadataUnavailable("the client metadata is not JSON") from None
