"""Finding clients (pre-registered, metadata-document or registered) and authenticating them at
the token and revocation endpoints."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Mapping
from urllib.parse import unquote_plus, urlsplit

from jamf_mcp.adapters.oauth_server.client_assertions import (
    JWT_BEARER,
    AssertionRefused,
    ClientAssertions,
    assertion_issuer,
)
from jamf_mcp.adapters.oauth_server.client_documents import client_from_metadata_document
from jamf_mcp.adapters.oauth_server.client_metadata import (
    ClientMetadataFetcher,
    ClientMetadataUnavailable,
)
from jamf_mcp.adapters.oauth_server.handles import digest, same
from jamf_mcp.adapters.oauth_server.outcomes import OAuthError
from jamf_mcp.adapters.oauth_server.pre_registered import PreRegisteredDirectory
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore

logger = logging.getLogger(__name__)

MAX_CLIENT_ID_LENGTH = 512
CIMD_UNAVAILABLE = (
    "The application's metadata document (its client_id URL) could not be fetched or used. "
    "The server's log has the details."
)


def _host(url: str) -> str:
    try:
        return urlsplit(url).netloc or "?"
    except ValueError:
        return "?"


class UnknownClient(Exception):
    """No usable client has this id; `reason` is safe to show."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        return None
    # RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    return unquote_plus(client_id), unquote_plus(secret)


class ClientDirectory:
    """Looks clients up and checks their credentials.

    Lookup order: an operator's pre-registered clients, then (for an https `client_id`) the
    client's metadata document, then dynamically registered clients.

    Args:
        store: where dynamically registered clients live.
        metadata_fetcher: fetches Client ID Metadata Documents; None turns that way of
            identifying a client off.
        pre_registered: the operator's clients (None: none).
        assertions: verifies RFC 7523 client assertions; None turns `private_key_jwt` off (a
            metadata document offering `none` too is then taken as a public client).
    """

    def __init__(
        self,
        store: OAuthStateStore,
        metadata_fetcher: ClientMetadataFetcher | None,
        *,
        pre_registered: PreRegisteredDirectory | None = None,
        assertions: ClientAssertions | None = None,
    ) -> None:
        self._store = store
        self._fetcher = metadata_fetcher
        self._pre_registered = pre_registered
        self._assertions = assertions

    async def find(self, client_id: str) -> RegisteredClient:
        """The client with this id.

        Raises:
            UnknownClient: it is not registered, or its metadata document is unusable.
        """
        if not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH:
            raise UnknownClient("The client_id is missing or too long.")
        if self._pre_registered is not None:
            operator_client = await self._pre_registered.client(client_id)
            if operator_client is not None:
                return operator_client
        if client_id.startswith("https://") and self._fetcher is not None:
            return await self._from_document(self._fetcher, client_id)
        client = await self._store.client(client_id)
        if client is None:
            raise UnknownClient("This client is not registered with this server.")
        return client

    async def _from_document(
        self, fetcher: ClientMetadataFetcher, client_id: str
    ) -> RegisteredClient:
        try:
            document = await fetcher.fetch(client_id)
            return client_from_metadata_document(
                document, client_id, private_key_jwt=self._assertions is not None
            )
        except ClientMetadataUnavailable as error:
            if error.public:
                raise UnknownClient(f"The client_id URL cannot be used: {error.reason}.") from None
            # The reason (does not resolve, not a public address, timed out, not 200...) goes
            # to the log only: told to the requester it would map internal names and ports.
            logger.info(
                "Could not use the client metadata document at %s: %s",
                _host(client_id),
                error.reason,
            )
            raise UnknownClient(CIMD_UNAVAILABLE) from None
        except OAuthError as error:
            raise UnknownClient(f"The client's metadata is invalid: {error.description}.") from None

    async def authenticate(
        self, form: Mapping[str, str], authorization: str | None
    ) -> RegisteredClient:
        """The client making a token request, authenticated by its registered method.

        A confidential client may present its secret in the body or with HTTP Basic; a
        `private_key_jwt` client presents a client assertion (RFC 7523) and nothing else; a
        public client presents only its `client_id` and must not send a secret.

        Raises:
            OAuthError: `invalid_client` (401; with `WWW-Authenticate: Basic` when Basic was
                tried) or `invalid_request` for conflicting credentials.
        """
        used_basic = bool(authorization and authorization.lower().startswith("basic"))
        challenge = {"WWW-Authenticate": 'Basic realm="jamf-mcp"'} if used_basic else {}
        failed = OAuthError("invalid_client", "Client authentication failed.", 401, challenge)
        client_id = form.get("client_id")
        secret = form.get("client_secret")
        if "client_assertion" in form or "client_assertion_type" in form:
            if used_basic or secret is not None:
                raise OAuthError("invalid_request", "Use one client authentication method.")
            return await self._asserted(form, failed)
        if used_basic:
            credentials = _basic_credentials(authorization or "")
            if credentials is None:
                raise failed
            if secret is not None:
                raise OAuthError("invalid_request", "Use one client authentication method.")
            if client_id is not None and client_id != credentials[0]:
                raise failed
            client_id, secret = credentials
        if not client_id:
            raise failed
        try:
            client = await self.find(client_id)
        except UnknownClient:
            raise failed from None
        if client.signs_assertions:
            raise failed  # it must prove itself with a signed assertion
        if client.is_public:
            if secret:
                raise failed
            return client
        if not secret or client.secret_digest is None:
            raise failed
        if not same(digest(secret), client.secret_digest):
            logger.info("A token request for client %s had a wrong secret", client.client_id)
            raise failed
        return client

    async def _asserted(self, form: Mapping[str, str], failed: OAuthError) -> RegisteredClient:
        assertion = form.get("client_assertion", "")
        if form.get("client_assertion_type") != JWT_BEARER or not assertion:
            raise failed
        client_id = form.get("client_id") or assertion_issuer(assertion)
        if not client_id or self._assertions is None:
            raise failed
        try:
            client = await self.find(client_id)
        except UnknownClient:
            raise failed from None
        if not client.signs_assertions:
            raise failed
        try:
            await self._assertions.verify(client, assertion)
        except AssertionRefused as refused:
            logger.info(
                "A client assertion for %s was refused: %s", _host(client.client_id), refused.reason
            )
            raise failed from None
        return client
