"""How to reach one Jamf Pro tenant: address, credentials and client limits."""

from __future__ import annotations

from typing import Any, Literal

import attrs
import httpx

MAX_PAGE_SIZE = 2000
"""Jamf Pro silently clamps `page-size` to this; asking for more would break paging arithmetic."""

InventoryApiPreference = Literal["auto", "v1", "v3", "v4"]


def _positive(_: object, attribute: attrs.Attribute[Any], value: float) -> None:
    if value <= 0:
        raise ValueError(f"{attribute.name} must be positive, got {value}")


def _without_trailing_slash(url: object) -> str:
    return str(url).rstrip("/")


@attrs.frozen
class JamfConnection:
    """Connection settings for one Jamf Pro tenant.

    Give either an API client (`client_id` + `client_secret`, OAuth client credentials) or a
    Jamf Pro user (`username` + `password`, exchanged for a bearer token). Secrets never appear
    in `repr()`.

    Attributes:
        base_url: The tenant's root, e.g. `https://acme.jamfcloud.com`.
        max_in_flight: Requests in flight at once; Jamf asks for no more than 5.
        timeout_seconds: Read/write/pool timeout per request.
        connect_timeout_seconds: Time allowed to open a connection.
        page_size: Rows per inventory page (1..2000; Jamf clamps above 2000).
        retry_attempts: Attempts per idempotent request on 5xx, 408 and network errors.
        refresh_margin_seconds: Refresh a bearer token when fewer seconds than this remain.
        inventory_api: `auto` picks the computers-inventory version from the server version.
        directory_cache_seconds: How long department and building names are cached.
        verify_tls: Verify the server certificate (only ever off for a lab tenant).
    """

    base_url: str = attrs.field(converter=_without_trailing_slash)
    client_id: str | None = None
    client_secret: str | None = attrs.field(default=None, repr=False)
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    max_in_flight: int = attrs.field(default=5, validator=_positive)
    timeout_seconds: float = attrs.field(default=30.0, validator=_positive)
    connect_timeout_seconds: float = attrs.field(default=10.0, validator=_positive)
    page_size: int = attrs.field(
        default=500, validator=[_positive, attrs.validators.le(MAX_PAGE_SIZE)]
    )
    retry_attempts: int = attrs.field(default=4, validator=_positive)
    refresh_margin_seconds: float = attrs.field(default=30.0, validator=attrs.validators.ge(0))
    inventory_api: InventoryApiPreference = attrs.field(
        default="auto", validator=attrs.validators.in_(("auto", "v1", "v3", "v4"))
    )
    directory_cache_seconds: float = attrs.field(default=300.0, validator=attrs.validators.ge(0))
    verify_tls: bool = True

    def __attrs_post_init__(self) -> None:
        api_client = self.client_id is not None or self.client_secret is not None
        user = self.username is not None or self.password is not None
        if api_client == user:
            raise ValueError(
                "Give either client_id and client_secret, or username and password (not both)"
            )
        if api_client and not (self.client_id and self.client_secret):
            raise ValueError("client_id and client_secret must both be set")
        if user and not (self.username and self.password):
            raise ValueError("username and password must both be set")
        if not self.base_url.startswith(("https://", "http://")):
            raise ValueError(f"base_url must be an http(s) URL, got {self.base_url!r}")

    @property
    def uses_client_credentials(self) -> bool:
        """True for an API client, False for a user account."""
        return self.client_id is not None

    @property
    def host(self) -> str:
        """The tenant's host name, for messages."""
        return httpx.URL(self.base_url).host or self.base_url

    def url(self, path: str) -> str:
        """The absolute URL of an API path such as `/api/v1/jamf-pro-version`."""
        return f"{self.base_url}{path}"

    def timeout(self) -> httpx.Timeout:
        """The httpx timeout these settings describe."""
        return httpx.Timeout(self.timeout_seconds, connect=self.connect_timeout_seconds)
