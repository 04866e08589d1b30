"""`/auth/upstream/callback`: the browser comes back from the IdP; we answer the client.

The round trip is found by our `state` and is spent at once, whoever brings it back. It finishes
only in the browser that approved consent — the one holding the binding cookie whose digest the
round trip carries (compared in constant time). Any other browser gets an error page: never a
redirect, never a code, and the upstream code is not even redeemed. That stops the attack where
someone approves consent for their own client and hands the IdP's sign-in link to a victim: the
victim signs in, but the victim's browser has no cookie, and the spent round trip cannot be
finished afterwards by the attacker's browser either (even if the victim passed the callback URL,
upstream code and all, back to them).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.handles import digest, new_handle, same
from jamf_mcp.adapters.oauth_server.outcomes import ErrorPage, RedirectTo
from jamf_mcp.adapters.oauth_server.records import AuthorizationCode, PendingAuthorization
from jamf_mcp.adapters.oauth_server.redirect_uris import error_redirect, with_params
from jamf_mcp.adapters.oauth_server.scopes import api_scopes, granted_scopes
from jamf_mcp.adapters.oauth_server.sealing import CredentialSeal
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentityProvider, UpstreamSignIn
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.domain.errors import InvalidToken, JamfMcpError

logger = logging.getLogger(__name__)

_ERROR_CODE = re.compile(r"^[a-z_]{1,64}$")

OTHER_BROWSER = ErrorPage(
    403,
    "This sign-in was started in another browser",
    "For your safety sign-in stops here, and nothing was shared with any application. If you "
    "did not start signing in yourself, someone may have sent you this link to get access to "
    "your account: close this page. Otherwise start again from the application, in this browser "
    "(and allow its cookies).",
)
EXPIRED = ErrorPage(
    400,
    "This sign-in has expired",
    "It was already completed or is too old. Start again from the application.",
)


class UpstreamReturn:
    """Handles `/auth/upstream/callback`.

    Args:
        config: the front door's settings.
        store: upstream round trips and codes.
        upstream: redeems the upstream code.
        seal: seals the upstream credentials kept with the grant.
        clock: time source.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        store: OAuthStateStore,
        upstream: UpstreamIdentityProvider,
        seal: CredentialSeal,
        clock: Clock,
    ) -> None:
        self._config = config
        self._store = store
        self._upstream = upstream
        self._seal = seal
        self._clock = clock

    async def upstream_callback(
        self, params: Mapping[str, str], browser_cookie: str | None
    ) -> ErrorPage | RedirectTo:
        """Finish the upstream sign-in and send the user back to the client with our code."""
        state = params.get("state", "")
        round_trip = await self._store.take_upstream(state) if state else None
        if round_trip is None:
            return EXPIRED
        pending = round_trip.request
        if not (
            browser_cookie
            and round_trip.browser_digest
            and same(digest(browser_cookie), round_trip.browser_digest)
        ):
            logger.warning(
                "Refused the return from the identity provider for client %s: the browser is "
                "not the one that approved consent (sign-in cancelled)",
                pending.client_id,
            )
            return OTHER_BROWSER
        code = params.get("code")
        if params.get("error") or not code:
            upstream_error = params.get("error", "")
            shown = upstream_error if _ERROR_CODE.match(upstream_error) else "no_code"
            logger.info(
                "The identity provider refused sign-in for %s: %s", pending.client_id, shown
            )
            return self._back(
                pending,
                "access_denied",
                f"The identity provider did not sign the user in ({shown}).",
            )
        try:
            signed_in = await self._upstream.exchange_code(
                code=code,
                code_verifier=round_trip.code_verifier,
                redirect_uri=self._config.upstream_redirect_uri,
                nonce=round_trip.nonce,
            )
        except InvalidToken as error:
            logger.warning("The identity provider's answer was refused: %s", error.reason)
            return self._back(
                pending, "access_denied", "The identity provider's answer could not be verified."
            )
        except JamfMcpError:
            logger.warning("The identity provider failed while redeeming a code")
            return self._back(
                pending, "temporarily_unavailable", "The identity provider could not be reached."
            )
        return await self._issue_code(pending, signed_in)

    def _back(self, pending: PendingAuthorization, error: str, description: str) -> RedirectTo:
        return error_redirect(
            self._config.issuer, pending.redirect_uri, pending.state, error, description
        )

    async def _issue_code(
        self, pending: PendingAuthorization, signed_in: UpstreamSignIn
    ) -> RedirectTo:
        identity = signed_in.identity
        granted = granted_scopes(pending.scopes, identity.scopes)
        if api_scopes(pending.scopes) and not api_scopes(granted):
            logger.info(
                "Signed-in user %s holds none of the scopes client %s asked for",
                identity.subject,
                pending.client_id,
            )
            return self._back(
                pending,
                "access_denied",
                "Your account is not allowed any of the requested scopes: "
                + " ".join(api_scopes(pending.scopes)),
            )
        code = new_handle()
        now = self._clock.now().timestamp()
        record = AuthorizationCode(
            client_id=pending.client_id,
            redirect_uri=pending.redirect_uri,
            redirect_uri_given=pending.redirect_uri_given,
            code_challenge=pending.code_challenge,
            scopes=granted,
            identity=identity,
            resource=pending.resource,
            expires_at=now + self._config.code_ttl,
            family_id=new_handle(),
            signed_in_at=now,
            upstream=self._seal.seal(signed_in.credentials),
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
