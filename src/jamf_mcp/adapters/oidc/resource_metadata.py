"""`PublishedResource`: what this server's public URL serves as its protected-resource metadata
(RFC 9728), so `jamf-mcp doctor` can tell whether clients will find this server there."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx


class PublishedResource:
    """Implements `PublicEndpoint` by fetching `/.well-known/oauth-protected-resource/<path>`.

    Args:
        resource_url: The MCP endpoint's public URL (`https://mcp.example.com/mcp`).
        http: A client for the public internet (no redirects followed).
    """

    def __init__(self, resource_url: str, http: httpx.AsyncClient) -> None:
        self._resource_url = resource_url
        self._http = http

    async def advertised_resource(self) -> str | None:
        """The metadata's `resource`, or None when nothing (or something else) answers."""
        parts = urlsplit(self._resource_url)
        url = f"{parts.scheme}://{parts.netloc}/.well-known/oauth-protected-resource{parts.path}"
        try:
            response = await self._http.get(url, headers={"Accept": "application/json"})
            document = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return None
        resource = document.get("resource") if isinstance(document, dict) else None
        return resource if isinstance(resource, str) else None


if TYPE_CHECKING:
    from jamf_mcp.application.ports.doctor import PublicEndpoint

    _implements: type[PublicEndpoint] = PublishedResource
