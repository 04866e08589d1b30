"""Provider metadata: OpenID Connect discovery with an RFC 8414 fallback, cached per issuer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import attrs
import httpx

from jamf_mcp.adapters.oidc.reasons import IdentityProviderUnavailable

_log = logging.getLogger(__name__)


@attrs.frozen
class ProviderMetadata:
    """The parts of an authorization server's metadata this package uses."""

    issuer: str
    jwks_uri: str
    authorization_endpoint: str | None = None
    token_endpoint: str | None = None
    token_endpoint_auth_methods: tuple[str, ...] = ()
    code_challenge_methods: tuple[str, ...] = ()
    userinfo_endpoint: str | None = None


def metadata_urls(issuer: str) -> tuple[str, ...]:
    """Where to look for metadata, in order: OIDC discovery, then RFC 8414 (path-inserted)."""
    base = issuer.rstrip("/")
    parts = urlsplit(base)
    oauth = urlunsplit(
        (parts.scheme, parts.netloc, "/.well-known/oauth-authorization-server" + parts.path, "", "")
    )
    return (f"{base}/.well-known/openid-configuration", oauth)


def _strings(value: object) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def metadata_from_document(document: Mapping[str, Any]) -> ProviderMetadata:
    """Read a metadata document; raises `ValueError` when `issuer` or `jwks_uri` is missing."""
    issuer, jwks_uri = document.get("issuer"), document.get("jwks_uri")
    if not isinstance(issuer, str) or not isinstance(jwks_uri, str):
        raise ValueError("metadata lacks issuer or jwks_uri")
    authorization = document.get("authorization_endpoint")
    token = document.get("token_endpoint")
    userinfo = document.get("userinfo_endpoint")
    return ProviderMetadata(
        issuer=issuer,
        jwks_uri=jwks_uri,
        authorization_endpoint=authorization if isinstance(authorization, str) else None,
        token_endpoint=token if isinstance(token, str) else None,
        token_endpoint_auth_methods=_strings(document.get("token_endpoint_auth_methods_supported")),
        code_challenge_methods=_strings(document.get("code_challenge_methods_supported")),
        userinfo_endpoint=userinfo if isinstance(userinfo, str) else None,
    )


class ProviderDiscovery:
    """Fetches an issuer's metadata once and keeps it (metadata rarely changes; JWKS does).

    The discovered `issuer` must equal the configured one exactly (mix-up defence), otherwise
    `IdentityProviderUnavailable` is raised and nothing is cached.

    Args:
        issuer: the issuer identifier exactly as it appears in tokens' `iss`.
        http: the shared client.
    """

    def __init__(self, issuer: str, http: httpx.AsyncClient) -> None:
        self._issuer = issuer
        self._http = http
        self._metadata: ProviderMetadata | None = None
        self._lock = asyncio.Lock()

    @property
    def issuer(self) -> str:
        """The configured issuer."""
        return self._issuer

    async def metadata(self) -> ProviderMetadata:
        """The cached metadata, discovered on first use."""
        if self._metadata is not None:
            return self._metadata
        async with self._lock:
            if self._metadata is None:
                self._metadata = await self._discover()
            return self._metadata

    async def _discover(self) -> ProviderMetadata:
        problems: list[str] = []
        for url in metadata_urls(self._issuer):
            try:
                response = await self._http.get(url, headers={"Accept": "application/json"})
            except httpx.HTTPError as error:
                problems.append(f"{url}: {type(error).__name__}")
                continue
            if response.status_code != 200:
                problems.append(f"{url}: HTTP {response.status_code}")
                continue
            try:
                document = response.json()
                metadata = metadata_from_document(document if isinstance(document, dict) else {})
            except (ValueError, RecursionError):
                problems.append(f"{url}: not a metadata document")
                continue
            if metadata.issuer != self._issuer:
                raise IdentityProviderUnavailable(
                    f"The identity provider at {url} says its issuer is {metadata.issuer!r}, "
                    f"not the configured {self._issuer!r}."
                )
            _log.debug("discovered metadata for %s at %s", self._issuer, url)
            return metadata
        raise IdentityProviderUnavailable(
            f"Could not discover the identity provider {self._issuer!r}: {'; '.join(problems)}"
        )
