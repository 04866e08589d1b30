"""The browser side of the front door, up to the upstream: authorize → consent → off to the IdP.

An authorization request that fails before the user has seen anything gets an HTML error page —
never a redirect, even to a registered redirect URI: anyone may register a client, so a redirect
here would make this server an open redirector. Only after the consent page has shown where the
user will be sent does a problem go back to the client as an RFC 6749 §4.1.2.1 error.

Approving consent binds the rest of the sign-in to this browser: a random value goes into an
HttpOnly cookie and its digest into the upstream round trip (`upstream_return` checks it).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from jamf_mcp.adapters.oauth_server.clients import ClientDirectory, UnknownClient
from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.handles import (
    digest,
    is_s256_challenge,
    new_handle,
    s256,
    same,
)
from jamf_mcp.adapters.oauth_server.outcomes import ConsentPrompt, ErrorPage, OAuthError, RedirectTo
from jamf_mcp.adapters.oauth_server.records import (
    PendingAuthorization,
    RegisteredClient,
    UpstreamAuthorization,
)
from jamf_mcp.adapters.oauth_server.redirect_uris import error_redirect, host_of, origin_of
from jamf_mcp.adapters.oauth_server.scopes import api_scopes, requested_scopes
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentityProvider
from jamf_mcp.domain.errors import JamfMcpError

logger = logging.getLogger(__name__)

MAX_STATE_LENGTH = 2048
HANDLE = re.compile(r"^[A-Za-z0-9_-]{43}$")

Answer = ErrorPage | RedirectTo


def _refused(error: OAuthError) -> ErrorPage:
    return ErrorPage(
        400,
        "This sign-in request cannot be used",
        f"The application sent a request this server cannot accept ({error.error}: "
        f"{error.description}), so sign-in stops here. Nothing was shared with the application.",
    )


class AuthorizationFlow:
    """Handles `/auth/authorize` and `/auth/consent`.

    Args:
        config: the front door's settings.
        clients: finds the requesting client.
        store: pending authorizations and upstream round trips.
        upstream: the identity provider that actually signs the user in.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        clients: ClientDirectory,
        store: OAuthStateStore,
        upstream: UpstreamIdentityProvider,
    ) -> None:
        self._config = config
        self._clients = clients
        self._store = store
        self._upstream = upstream

    async def authorize(
        self, params: Mapping[str, str], csrf_cookie: str | None
    ) -> ConsentPrompt | ErrorPage:
        """Validate an authorization request and, if sound, prepare the consent page.

        `csrf_cookie` is the browser's current CSRF cookie; it is reused when well-formed so that
        several consent pages open at once all work.
        """
        try:
            client = await self._clients.find(params.get("client_id", ""))
        except UnknownClient as error:
            return ErrorPage(400, "Unknown application", error.reason)
        redirect_uri = params.get("redirect_uri")
        if redirect_uri is None and len(client.redirect_uris) == 1:
            redirect_uri_given, redirect_uri = False, client.redirect_uris[0]
        elif redirect_uri is None or redirect_uri not in client.redirect_uris:
            return ErrorPage(
                400,
                "Unregistered redirect URI",
                "The application asked to send you back to an address it has not registered "
                "with this server, so sign-in stops here.",
            )
        else:
            redirect_uri_given = True
        try:
            scopes = self._check_request(params, client)
        except OAuthError as error:
            logger.info("Refused an authorization request from %s: %s", client.client_id, error)
            return _refused(error)
        csrf = csrf_cookie if csrf_cookie and HANDLE.match(csrf_cookie) else new_handle()
        pending = PendingAuthorization(
            transaction_id=new_handle(),
            client_id=client.client_id,
            client_name=client.client_name,
            redirect_uri=redirect_uri,
            redirect_uri_given=redirect_uri_given,
            state=params.get("state"),
            code_challenge=params["code_challenge"],
            scopes=scopes,
            resource=params.get("resource"),
            csrf_token=csrf,
        )
        await self._store.save_pending(pending, self._config.transaction_ttl)
        return ConsentPrompt(
            transaction_id=pending.transaction_id,
            csrf_token=csrf,
            client_id=client.client_id,
            client_name=client.client_name,
            redirect_host=host_of(redirect_uri),
            scopes=scopes,
            verified_by_url=host_of(client.client_id) if client.from_metadata_document else None,
            form_origins=self._form_origins(redirect_uri),
        )

    def _check_request(
        self, params: Mapping[str, str], client: RegisteredClient
    ) -> tuple[str, ...]:
        state = params.get("state")
        if state is not None and len(state) > MAX_STATE_LENGTH:
            raise OAuthError("invalid_request", "state is too long.")
        if params.get("response_type") != "code":
            raise OAuthError("unsupported_response_type", "Only response_type=code is supported.")
        if "authorization_code" not in client.grant_types:
            raise OAuthError("unauthorized_client", "This client may not use authorization codes.")
        challenge = params.get("code_challenge")
        if not challenge:
            raise OAuthError("invalid_request", "PKCE is required: send a code_challenge (S256).")
        if params.get("code_challenge_method") != "S256":
            raise OAuthError("invalid_request", "code_challenge_method must be S256.")
        if not is_s256_challenge(challenge):
            raise OAuthError("invalid_request", "code_challenge is not a valid S256 challenge.")
        if "none" in params.get("prompt", "").split():
            # Every sign-in here shows a consent page, so a silent one is never possible.
            raise OAuthError("consent_required", "This server always asks for consent.")
        resource = params.get("resource")
        if resource is not None and not self._config.accepts_resource(resource):
            raise OAuthError("invalid_target", "The resource is not this server.")
        return requested_scopes(params.get("scope"), self._config)

    def _form_origins(self, redirect_uri: str) -> tuple[str, ...]:
        origins = [origin_of(self._upstream.issuer), origin_of(redirect_uri)]
        origins.extend(self._config.extra_form_origins)
        return tuple(dict.fromkeys(origins))

    async def consent(
        self, form: Mapping[str, str], csrf_cookie: str | None, browser_cookie: str | None
    ) -> Answer:
        """Act on the consent form: deny → back to the client; approve → off to the upstream,
        with the sign-in bound to this browser (`browser_cookie` is reused when well-formed, so
        two sign-ins in one browser both work)."""
        transaction = form.get("transaction", "")
        pending = await self._store.take_pending(transaction) if transaction else None
        if pending is None:
            return ErrorPage(
                400,
                "This sign-in has expired",
                "The consent page was already used or is too old. Start again from the application.",
            )
        posted = form.get("csrf_token", "")
        if not (
            posted
            and csrf_cookie
            and same(posted, pending.csrf_token)
            and same(csrf_cookie, pending.csrf_token)
        ):
            logger.info(
                "Refused a consent form for client %s: CSRF check failed", pending.client_id
            )
            return ErrorPage(403, "Request not verified", "Start again from the application.")
        decision = form.get("decision")
        if decision == "deny":
            logger.info("The user denied access to client %s", pending.client_id)
            return error_redirect(
                self._config.issuer,
                pending.redirect_uri,
                pending.state,
                "access_denied",
                "The user denied access.",
            )
        if decision != "approve":
            return ErrorPage(400, "Unknown answer", "Approve or deny the request.")
        binding = browser_cookie if browser_cookie and HANDLE.match(browser_cookie) else None
        binding = binding or new_handle()
        round_trip = UpstreamAuthorization(
            state=new_handle(),
            nonce=new_handle(),
            code_verifier=new_handle(),
            request=pending,
            browser_digest=digest(binding),
        )
        try:
            url = await self._upstream.authorization_url(
                state=round_trip.state,
                nonce=round_trip.nonce,
                code_challenge=s256(round_trip.code_verifier),
                redirect_uri=self._config.upstream_redirect_uri,
                scopes=api_scopes(pending.scopes),
            )
        except JamfMcpError:
            logger.warning("The identity provider is unavailable", exc_info=False)
            return ErrorPage(
                502, "Sign-in unavailable", "The identity provider could not be reached."
            )
        await self._store.save_upstream(round_trip, self._config.transaction_ttl)
        return RedirectTo(url, 303, browser_binding=binding)
