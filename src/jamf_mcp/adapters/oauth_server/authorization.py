"""The browser side of the front door: authorize → consent → upstream sign-in → back to the client.

Before the redirect URI is known to be registered for the client, every problem is an HTML error
page — never a redirect (no open redirector). After that, problems go back to the client as
RFC 6749 §4.1.2.1 errors carrying `state` and `iss` (RFC 9207).
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
    AuthorizationCode,
    PendingAuthorization,
    RegisteredClient,
    UpstreamAuthorization,
)
from jamf_mcp.adapters.oauth_server.redirect_uris import host_of, origin_of, with_params
from jamf_mcp.adapters.oauth_server.scopes import api_scopes, granted_scopes, requested_scopes
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentity, UpstreamIdentityProvider
from jamf_mcp.application.ports import Clock
from jamf_mcp.domain.errors import InvalidToken, JamfMcpError

logger = logging.getLogger(__name__)

MAX_STATE_LENGTH = 2048
_HANDLE = re.compile(r"^[A-Za-z0-9_-]{43}$")
_ERROR_CODE = re.compile(r"^[a-z_]{1,64}$")

Answer = ErrorPage | RedirectTo


class AuthorizationFlow:
    """Handles `/auth/authorize`, `/auth/consent` and `/auth/upstream/callback`.

    Args:
        config: the front door's settings.
        clients: finds the requesting client.
        store: pending authorizations, upstream round trips and codes.
        upstream: the identity provider that actually signs the user in.
        clock: time source.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        clients: ClientDirectory,
        store: OAuthStateStore,
        upstream: UpstreamIdentityProvider,
        clock: Clock,
    ) -> None:
        self._config = config
        self._clients = clients
        self._store = store
        self._upstream = upstream
        self._clock = clock

    def _back_to_client(
        self, redirect_uri: str, state: str | None, error: str, description: str
    ) -> RedirectTo:
        params = {
            "error": error,
            "error_description": description,
            "state": state,
            "iss": self._config.issuer,
        }
        return RedirectTo(with_params(redirect_uri, params), 303)

    async def authorize(
        self, params: Mapping[str, str], csrf_cookie: str | None
    ) -> ConsentPrompt | Answer:
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
        state = params.get("state")
        if state is not None and len(state) > MAX_STATE_LENGTH:
            return self._back_to_client(redirect_uri, None, "invalid_request", "state is too long")
        try:
            scopes = self._check_request(params, client)
        except OAuthError as error:
            return self._back_to_client(redirect_uri, state, error.error, error.description)
        csrf = csrf_cookie if csrf_cookie and _HANDLE.match(csrf_cookie) else new_handle()
        pending = PendingAuthorization(
            transaction_id=new_handle(),
            client_id=client.client_id,
            client_name=client.client_name,
            redirect_uri=redirect_uri,
            redirect_uri_given=redirect_uri_given,
            state=state,
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

    async def consent(self, form: Mapping[str, str], csrf_cookie: str | None) -> Answer:
        """Act on the consent form: deny → back to the client; approve → off to the upstream."""
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
            return self._back_to_client(
                pending.redirect_uri, pending.state, "access_denied", "The user denied access."
            )
        if decision != "approve":
            return ErrorPage(400, "Unknown answer", "Approve or deny the request.")
        round_trip = UpstreamAuthorization(
            state=new_handle(), nonce=new_handle(), code_verifier=new_handle(), request=pending
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
        return RedirectTo(url, 303)

    async def upstream_callback(self, params: Mapping[str, str]) -> Answer:
        """Finish the upstream sign-in and send the user back to the client with our code."""
        state = params.get("state", "")
        round_trip = await self._store.take_upstream(state) if state else None
        if round_trip is None:
            return ErrorPage(
                400,
                "This sign-in has expired",
                "It was already completed or is too old. Start again from the application.",
            )
        pending = round_trip.request
        code = params.get("code")
        if params.get("error") or not code:
            upstream_error = params.get("error", "")
            shown = upstream_error if _ERROR_CODE.match(upstream_error) else "no_code"
            logger.info(
                "The identity provider refused sign-in for %s: %s", pending.client_id, shown
            )
            return self._back_to_client(
                pending.redirect_uri,
                pending.state,
                "access_denied",
                f"The identity provider did not sign the user in ({shown}).",
            )
        try:
            identity = await self._upstream.exchange_code(
                code=code,
                code_verifier=round_trip.code_verifier,
                redirect_uri=self._config.upstream_redirect_uri,
                nonce=round_trip.nonce,
            )
        except InvalidToken as error:
            logger.warning("The identity provider's answer was refused: %s", error.reason)
            return self._back_to_client(
                pending.redirect_uri,
                pending.state,
                "access_denied",
                "The identity provider's answer could not be verified.",
            )
        except JamfMcpError:
            logger.warning("The identity provider failed while redeeming a code")
            return self._back_to_client(
                pending.redirect_uri,
                pending.state,
                "temporarily_unavailable",
                "The identity provider could not be reached.",
            )
        return await self._issue_code(pending, identity)

    async def _issue_code(
        self, pending: PendingAuthorization, identity: UpstreamIdentity
    ) -> RedirectTo:
        granted = granted_scopes(pending.scopes, identity.scopes)
        if api_scopes(pending.scopes) and not api_scopes(granted):
            logger.info(
                "Signed-in user %s holds none of the scopes client %s asked for",
                identity.subject,
                pending.client_id,
            )
            return self._back_to_client(
                pending.redirect_uri,
                pending.state,
                "access_denied",
                "Your account is not allowed any of the requested scopes: "
                + " ".join(api_scopes(pending.scopes)),
            )
        code = new_handle()
        record = AuthorizationCode(
            client_id=pending.client_id,
            redirect_uri=pending.redirect_uri,
            redirect_uri_given=pending.redirect_uri_given,
            code_challenge=pending.code_challenge,
            scopes=granted,
            identity=identity,
            resource=pending.resource,
            expires_at=self._clock.now().timestamp() + self._config.code_ttl,
            family_id=new_handle(),
        )
        await self._store.save_code(digest(code), record, self._config.code_ttl)
        logger.info(
            "Signed in %s for client %s with scopes %s",
            identity.subject,
            pending.client_id,
            " ".join(sorted(granted)),
        )
        params = {"code": code, "state": pending.state, "iss": self._config.issuer}
        return RedirectTo(with_params(pending.redirect_uri, params), 303)
