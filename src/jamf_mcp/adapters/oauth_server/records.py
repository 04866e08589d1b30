"""What the front door remembers between requests: clients, pending sign-ins, codes, refresh grants.

Secrets never appear here in the clear: client secrets, codes and refresh tokens are stored by
their SHA-256 (`handles.digest`); the records carry no `repr` of anything sensitive.
"""

from __future__ import annotations

import attrs

from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentity

PRIVATE_KEY_JWT = "private_key_jwt"
"""RFC 7523 §2.2 client authentication: a JWT signed with the client's own key."""


@attrs.frozen
class RegisteredClient:
    """An OAuth client: registered dynamically (RFC 7591), described by a metadata document, or
    pre-registered by an operator (`jamf-mcp clients add`, or the configuration).

    Attributes:
        client_id: the identifier; an https URL for a Client ID Metadata Document client.
        client_name: the name the client gave itself (shown on the consent page; unverified).
        redirect_uris: the exact redirect URIs it may use.
        token_endpoint_auth_method: `none`, `client_secret_post`, `client_secret_basic` or
            `private_key_jwt`.
        grant_types: grant types it may use.
        response_types: response types it may use.
        application_type: `web` or `native`.
        secret_digest: SHA-256 of the client secret, for confidential clients.
        issued_at: registration time (seconds since the epoch).
        from_metadata_document: True when the client is a Client ID Metadata Document URL.
        jwks_uri: where a `private_key_jwt` client publishes its public keys.
        jwks: a `private_key_jwt` client's public keys given inline (JWKS JSON text).
        signing_algorithms: the algorithms its client assertions may use (already narrowed to
            the ones this server accepts).
        pre_registered: True for an operator's client (never evicted, named on the home page).
    """

    client_id: str
    client_name: str | None
    redirect_uris: tuple[str, ...]
    token_endpoint_auth_method: str = "none"
    grant_types: tuple[str, ...] = ("authorization_code", "refresh_token")
    response_types: tuple[str, ...] = ("code",)
    application_type: str = "web"
    secret_digest: str | None = attrs.field(default=None, repr=False)
    issued_at: int = 0
    from_metadata_document: bool = False
    jwks_uri: str | None = None
    jwks: str | None = attrs.field(default=None, repr=False)
    signing_algorithms: tuple[str, ...] = ()
    pre_registered: bool = False

    @property
    def is_public(self) -> bool:
        """True for a client without a secret (PKCE alone protects its codes)."""
        return self.token_endpoint_auth_method == "none"

    @property
    def signs_assertions(self) -> bool:
        """True for a client that authenticates with RFC 7523 client assertions."""
        return self.token_endpoint_auth_method == PRIVATE_KEY_JWT


@attrs.frozen
class PendingAuthorization:
    """A validated `/auth/authorize` request waiting for the user's consent.

    Attributes:
        transaction_id: the handle carried by the consent form.
        client_id: the requesting client.
        client_name: its display name at request time.
        redirect_uri: the validated redirect URI.
        redirect_uri_given: whether the request named it (then the token request must too).
        state: the client's `state`, returned unchanged.
        code_challenge: the client's PKCE S256 challenge.
        scopes: the scopes that will be asked of the upstream and granted at most.
        resource: the RFC 8707 `resource` the client named, if any.
        csrf_token: the consent form's CSRF token (also the double-submit cookie's value).
    """

    transaction_id: str = attrs.field(repr=False)
    client_id: str
    client_name: str | None
    redirect_uri: str
    redirect_uri_given: bool
    state: str | None = attrs.field(repr=False)
    code_challenge: str = attrs.field(repr=False)
    scopes: tuple[str, ...]
    resource: str | None
    csrf_token: str = attrs.field(repr=False)


@attrs.frozen
class UpstreamAuthorization:
    """Our side of the round trip to the upstream provider, keyed by our own `state`.

    Attributes:
        browser_digest: SHA-256 of the browser-binding cookie set when the user approved consent;
            the callback is honoured only in the browser that holds that cookie.
    """

    state: str = attrs.field(repr=False)
    nonce: str = attrs.field(repr=False)
    code_verifier: str = attrs.field(repr=False)
    request: PendingAuthorization
    browser_digest: str = attrs.field(default="", repr=False)


@attrs.frozen
class AuthorizationCode:
    """What an authorization code of ours stands for (stored under the code's digest).

    Attributes:
        family_id: shared with every refresh token descended from this code, so replaying the
            code can revoke them all.
        signed_in_at: when the user signed in at the upstream; the grant's absolute lifetime
            counts from here.
        upstream: the upstream credentials, sealed (`CredentialSeal`), or None.
    """

    client_id: str
    redirect_uri: str
    redirect_uri_given: bool
    code_challenge: str = attrs.field(repr=False)
    scopes: frozenset[str]
    identity: UpstreamIdentity
    resource: str | None
    expires_at: float
    family_id: str
    signed_in_at: float = 0.0
    upstream: str | None = attrs.field(default=None, repr=False)


@attrs.frozen
class RefreshGrant:
    """What a refresh token stands for (stored under the token's digest).

    Attributes:
        family_id: the grant family (one sign-in and every token rotated from it).
        client_id: the client it was issued to.
        scopes: the most a refresh may ask for.
        identity: who signed in.
        resource: the RFC 8707 resource named at sign-in, if any.
        expires_at: when this refresh token stops working (never after the family's end).
        signed_in_at: when the user signed in; the family ends a fixed time after (not sliding).
        checked_at: when the upstream last confirmed the user (sign-in or revalidation).
        upstream: the upstream credentials, sealed, or None when there are none.
    """

    family_id: str
    client_id: str
    scopes: frozenset[str]
    identity: UpstreamIdentity
    resource: str | None
    expires_at: float
    signed_in_at: float = 0.0
    checked_at: float = 0.0
    upstream: str | None = attrs.field(default=None, repr=False)
