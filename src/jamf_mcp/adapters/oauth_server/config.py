"""What the front door needs to know about itself: its URLs, scopes and lifetimes."""

from __future__ import annotations

from urllib.parse import urlsplit

import attrs

OIDC_SCOPES = frozenset({"openid", "profile", "email", "offline_access"})
API_SCOPES = ("read:jamf", "write:jamf")
DYNAMIC_REGISTRATION = "dynamic_registration"
"""Clients register themselves (RFC 7591, `POST /auth/register`)."""
CLIENT_METADATA_DOCUMENT = "client_metadata_document"
"""Clients name themselves by the URL of a Client ID Metadata Document."""


def _no_trailing_slash(url: str) -> str:
    return url.rstrip("/")


@attrs.frozen
class FrontDoorConfig:
    """Settings of the OAuth front door.

    Attributes:
        issuer: our issuer, the public base URL (`https://mcp.example.com`); endpoints hang off it.
        resource: the canonical MCP endpoint URL, the audience of every access token we issue.
        scopes_supported: advertised in metadata; OIDC scopes plus the API scopes.
        default_scopes: granted (before intersection with the upstream's grant) when a request
            names no API scope at all — ChatGPT omits `scope` when it reconnects.
        access_token_ttl: seconds an access token lives.
        refresh_token_ttl: seconds a refresh token lives after its last rotation (never beyond
            the grant's absolute end).
        grant_lifetime: seconds a grant family lives from the user's sign-in, however often it
            is refreshed (not sliding).
        revalidate_after: seconds after which a refresh first asks the upstream again whether the
            user may still sign in, and with which scopes.
        client_idle_ttl: seconds a dynamically registered client is kept after its last grant
            ends (or after registration, when it never got one).
        max_clients: the most dynamically registered clients kept; when full, the one unused
            longest makes room, but never a client with a live grant.
        code_ttl: seconds an authorization code lives (≤ 60).
        transaction_ttl: seconds a consent page or an upstream round trip may take.
        resource_name: the human name in the protected-resource metadata.
        extra_form_origins: origins besides the upstream issuer's that the consent form may be
            redirected to (when the upstream's authorization endpoint is on another origin).
        registration: how clients get a client id here, in order of preference:
            `DYNAMIC_REGISTRATION`, `CLIENT_METADATA_DOCUMENT` (a pre-registered mode adds its
            own name). The discovery metadata and the home page read it.
        private_key_jwt: whether metadata-document clients may authenticate with RFC 7523
            client assertions (ChatGPT's document asks for it); off, a document that also offers
            `none` is taken as a public PKCE client.
        refresh_reuse_seconds: how long after a rotation a retry of the same refresh gets the
            same answer instead of ending the grant (0: never; ADR 0031).
    """

    issuer: str = attrs.field(converter=_no_trailing_slash)
    resource: str = attrs.field(converter=_no_trailing_slash)
    scopes_supported: tuple[str, ...] = (
        "openid",
        "profile",
        "email",
        "offline_access",
        *API_SCOPES,
    )
    default_scopes: tuple[str, ...] = API_SCOPES
    access_token_ttl: int = 900
    refresh_token_ttl: int = 30 * 24 * 3600
    grant_lifetime: int = 30 * 24 * 3600
    revalidate_after: int = 900
    client_idle_ttl: int = 30 * 24 * 3600
    max_clients: int = 10_000
    code_ttl: int = attrs.field(default=60, validator=attrs.validators.in_(range(1, 61)))
    transaction_ttl: int = 600
    resource_name: str = "Jamf Pro MCP server"
    extra_form_origins: tuple[str, ...] = ()
    registration: tuple[str, ...] = (DYNAMIC_REGISTRATION, CLIENT_METADATA_DOCUMENT)
    private_key_jwt: bool = True
    refresh_reuse_seconds: float = attrs.field(
        default=10.0, validator=[attrs.validators.ge(0), attrs.validators.le(60)]
    )

    def endpoint(self, path: str) -> str:
        """An absolute URL under the issuer, e.g. `endpoint("/auth/authorize")`."""
        return self.issuer + path

    @property
    def upstream_redirect_uri(self) -> str:
        """Where the upstream identity provider sends the browser back to us."""
        return self.endpoint("/auth/upstream/callback")

    @property
    def served_over_https(self) -> bool:
        """True when the public URL is https (cookies then get `Secure` and the `__Host-` prefix)."""
        return urlsplit(self.issuer).scheme == "https"

    @property
    def allowed_scopes(self) -> frozenset[str]:
        """Scopes a client may ask for: the advertised ones plus the OIDC ones."""
        return frozenset(self.scopes_supported) | OIDC_SCOPES

    @property
    def token_auth_methods(self) -> tuple[str, ...]:
        """The client authentication methods the token and revocation endpoints implement."""
        methods: tuple[str, ...] = ("none", "client_secret_post", "client_secret_basic")
        if self.private_key_jwt and CLIENT_METADATA_DOCUMENT in self.registration:
            methods += ("private_key_jwt",)
        return methods

    def accepts_resource(self, resource: str) -> bool:
        """True when an RFC 8707 `resource` names this server (its MCP URL or its base URL)."""
        return _no_trailing_slash(resource) in (self.resource, self.issuer)
