"""`DevIdentityProvider`: the embedded OpenID provider behind `jamf-mcp serve` in `dev` mode.

It stands in for Auth0 or Okta on a developer's machine: one confidential client (the OAuth front
door), demo users, authorization code + PKCE, RS256 ID and access tokens, rotating refresh tokens
for `offline_access` (refreshing checks that the user still exists and still holds each API
scope). Its key and its client registration live in the data directory; login forms, codes and
refresh tokens live behind the `DevIdpState` port (in Redis when the replicas share state). A
login form works only in the browser that opened it (a binding cookie, see `routes`).
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import attrs

from jamf_mcp.adapters.dev_idp.authorization import (
    AuthorizationRequest,
    RedirectableError,
    check_authorization_request,
    granted_scopes,
)
from jamf_mcp.adapters.dev_idp.grants import MAX_FAILED_ATTEMPTS, CodeGrant, PendingLogin
from jamf_mcp.adapters.dev_idp.registration import ClientRegistration
from jamf_mcp.adapters.dev_idp.state import DevIdpState, InMemoryDevIdpState
from jamf_mcp.adapters.dev_idp.token_request import (
    RefreshRequest,
    TokenError,
    authenticate_client,
    pkce_matches,
    read_token_request,
)
from jamf_mcp.adapters.dev_idp.tokens import Issue, TokenMinter, token_digest
from jamf_mcp.adapters.dev_idp.users import DemoDirectory
from jamf_mcp.adapters.oidc.signing import ALGORITHM, SigningKey
from jamf_mcp.adapters.system import SystemClock
from jamf_mcp.application.ports.clock import Clock

_log = logging.getLogger(__name__)

ISSUER_SUFFIX = "/dev-idp"
KEY_FILE = "dev-idp-key.json"
CLIENT_FILE = "dev-idp-client.json"
CALLBACK_PATH = "/auth/upstream/callback"
_BINDING = re.compile(r"^[A-Za-z0-9_-]{43}$")
_CLAIMS = (
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "name",
    "email",
    "email_verified",
    "preferred_username",
)


def _with_query(uri: str, params: Mapping[str, str | None]) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{uri}{'&' if '?' in uri else '?'}{query}"


def _same(left: str, right: str) -> bool:
    return hmac.compare_digest(left.encode(), right.encode())


@attrs.frozen
class LoginAttempt:
    """What came of a posted login form.

    Attributes:
        location: where to send the browser (with a code), when the user signed in.
        form_gone: the form is spent, expired or exhausted by wrong passwords.
    """

    location: str | None = None
    form_gone: bool = False


class DevIdentityProvider:
    """An in-process OpenID provider with demo users, for local development only.

    Args:
        issuer: its issuer identifier, `public_url + "/dev-idp"`.
        data_dir: where `dev-idp-key.json` and `dev-idp-client.json` are kept (created if absent).
        users: `(username, API scopes)` pairs; each user's password is the username unless
            `passwords` says otherwise.
        default_audience: the `aud` of access tokens when the request names no audience/resource.
        clock: the time source.
        code_ttl: seconds an authorization code stays redeemable (at most 60).
        token_ttl: lifetime in seconds of the ID and access tokens.
        login_ttl: seconds a login form stays usable.
        refresh_ttl: lifetime in seconds of a refresh token.
        passwords: passwords by username, for users who should not use their username.
        state: login forms, codes and refresh tokens (in this process unless given).

    Raises:
        ValueError: the issuer does not end in `/dev-idp`, or `code_ttl` is out of range.
        ClientFileError: `dev-idp-client.json` exists but is unreadable.
    """

    def __init__(
        self,
        issuer: str,
        data_dir: Path,
        users: Sequence[tuple[str, frozenset[str]]],
        *,
        default_audience: str,
        clock: Clock | None = None,
        code_ttl: int = 60,
        token_ttl: int = 900,
        login_ttl: int = 600,
        refresh_ttl: int = 30 * 24 * 3600,
        passwords: Mapping[str, str] | None = None,
        state: DevIdpState | None = None,
    ) -> None:
        issuer = issuer.rstrip("/")
        if not issuer.endswith(ISSUER_SUFFIX):
            raise ValueError(f"the development IdP's issuer must end in {ISSUER_SUFFIX!r}")
        if not 0 < code_ttl <= 60:
            raise ValueError("code_ttl must be between 1 and 60 seconds")
        self._issuer = issuer
        self._public_url = issuer.removesuffix(ISSUER_SUFFIX)
        self._key = SigningKey.load_or_create(data_dir / KEY_FILE)
        self._client = ClientRegistration.load_or_create(data_dir / CLIENT_FILE)
        self._users = DemoDirectory(users, passwords)
        self._default_audience = default_audience
        self._clock: Clock = clock or SystemClock()
        self._code_ttl, self._login_ttl = code_ttl, login_ttl
        self._state: DevIdpState = state or InMemoryDevIdpState(self._clock)
        self._tokens = TokenMinter(issuer, self._key, self._state, token_ttl, refresh_ttl)

    @property
    def issuer(self) -> str:
        """The issuer identifier (the `iss` of every token)."""
        return self._issuer

    @property
    def public_url(self) -> str:
        """The server's public base URL (the issuer without `/dev-idp`)."""
        return self._public_url

    @property
    def client_id(self) -> str:
        """The front door's client id at this provider."""
        return self._client.client_id

    @property
    def client_secret(self) -> str:
        """The front door's client secret at this provider."""
        return self._client.client_secret

    @property
    def redirect_uris(self) -> frozenset[str]:
        """The only redirect URI registered for the client: the front door's upstream callback."""
        return frozenset({self._public_url + CALLBACK_PATH})

    @property
    def users(self) -> DemoDirectory:
        """The demo users."""
        return self._users

    @property
    def login_ttl(self) -> int:
        """Seconds a login form stays usable."""
        return self._login_ttl

    @property
    def signing_key(self) -> SigningKey:
        """The provider's RS256 key."""
        return self._key

    def _now(self) -> float:
        return self._clock.now().timestamp()

    def discovery_document(self) -> dict[str, Any]:
        """The OpenID Provider Metadata served at `/.well-known/openid-configuration`."""
        api_scopes = sorted(self._users.scopes_supported() | {"read:jamf", "write:jamf"})
        return {
            "issuer": self._issuer,
            "authorization_endpoint": f"{self._issuer}/authorize",
            "token_endpoint": f"{self._issuer}/token",
            "jwks_uri": f"{self._issuer}/jwks.json",
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "email", "offline_access", *api_scopes],
            "id_token_signing_alg_values_supported": [ALGORITHM],
            "subject_types_supported": ["public"],
            "claims_supported": list(_CLAIMS),
            "authorization_response_iss_parameter_supported": True,
            "request_parameter_supported": False,
        }

    def jwks(self) -> dict[str, Any]:
        """The public JWKS served at `jwks_uri`."""
        return self._key.public_jwks()

    def check_authorization(self, params: Mapping[str, Sequence[str]]) -> AuthorizationRequest:
        """Validate an authorization request (see `check_authorization_request` for errors)."""
        return check_authorization_request(
            params, client_id=self.client_id, redirect_uris=self.redirect_uris
        )

    async def begin_login(
        self, request: AuthorizationRequest, browser_cookie: str | None
    ) -> tuple[PendingLogin, str]:
        """Remember a login form about to be shown, bound to this browser.

        Returns:
            The form, and the browser-binding value to (re)set as a cookie: the browser's current
            one when well-formed (so two sign-in tabs both work), else a fresh one.
        """
        binding = browser_cookie if browser_cookie and _BINDING.match(browser_cookie) else None
        binding = binding or secrets.token_urlsafe(32)
        login = PendingLogin(
            login_id=secrets.token_urlsafe(24),
            request=request,
            csrf_token=secrets.token_urlsafe(32),
            browser_digest=token_digest(binding),
            expires_at=self._now() + self._login_ttl,
        )
        await self._state.save_login(login)
        return login, binding

    async def pending_login(self, login_id: str) -> PendingLogin | None:
        """The login form with this id, if it is still usable."""
        return await self._state.login(login_id) if login_id else None

    @staticmethod
    def form_is_genuine(login: PendingLogin, form_token: str, browser_cookie: str) -> bool:
        """The posted CSRF token matches the form, and the browser is the one that opened it
        (both compared in constant time)."""
        form_ok = _same(form_token, login.csrf_token)
        browser_ok = _same(token_digest(browser_cookie), login.browser_digest)
        return form_ok and browser_ok and bool(browser_cookie)

    async def sign_in(self, login: PendingLogin, username: str, password: str) -> LoginAttempt:
        """Check the credentials; on success spend the form and return the redirect with a code.

        A wrong password is counted (across replicas); the form is spent after too many.
        """
        user = self._users.authenticate(username, password)
        if user is None:
            attempts = await self._state.count_failure(login.login_id)
            _log.info("dev-idp sign-in refused (attempt %d on this form)", attempts)
            if attempts == 0 or attempts >= MAX_FAILED_ATTEMPTS:
                await self._state.take_login(login.login_id)
                return LoginAttempt(form_gone=True)
            return LoginAttempt()
        if await self._state.take_login(login.login_id) is None:
            return LoginAttempt(form_gone=True)  # spent meanwhile (another tab, another replica)
        now = self._now()
        request = login.request
        code = secrets.token_urlsafe(32)
        grant = CodeGrant(
            client_id=request.client_id,
            redirect_uri=request.redirect_uri,
            code_challenge=request.code_challenge,
            nonce=request.nonce,
            username=user.username,
            scopes=granted_scopes(request.scopes, user.scopes),
            audience=request.audience,
            auth_time=int(now),
            expires_at=now + self._code_ttl,
        )
        await self._state.save_code(token_digest(code), grant)
        _log.info("dev-idp signed in %s", user.username)
        location = _with_query(
            request.redirect_uri, {"code": code, "state": request.state, "iss": self._issuer}
        )
        return LoginAttempt(location=location)

    async def cancel(self, login: PendingLogin) -> str:
        """Drop the login form; the redirect that tells the client the user declined."""
        await self._state.take_login(login.login_id)
        request = login.request
        return self.error_redirect(
            RedirectableError(
                "access_denied",
                "the user cancelled the sign-in",
                redirect_uri=request.redirect_uri,
                state=request.state,
            )
        )

    def error_redirect(self, error: RedirectableError) -> str:
        """Where to send the browser to report `error` to the client (with `state` and `iss`)."""
        return _with_query(
            error.redirect_uri,
            {
                "error": error.error,
                "error_description": error.description,
                "state": error.state,
                "iss": self._issuer,
            },
        )

    async def exchange(
        self, form: Mapping[str, Sequence[str]], authorization: str | None
    ) -> dict[str, Any]:
        """The token endpoint: redeem a code (single use, PKCE, redirect URI) or a refresh token
        (single use, rotated; the user must still exist and keeps only the scopes still held).

        Raises:
            TokenError: any RFC 6749 §5.2 error.
        """
        client_id = authenticate_client(
            form, authorization, client_id=self.client_id, client_secret=self.client_secret
        )
        request = read_token_request(form, client_id)
        if isinstance(request, RefreshRequest):
            return await self._refresh(request)
        now = self._now()
        grant = await self._state.take_code(token_digest(request.code))
        if grant is None or grant.expires_at <= now:
            raise TokenError("invalid_grant", "the code is unknown, already used or expired")
        if grant.client_id != request.client_id:
            raise TokenError("invalid_grant", "the code was issued to another client")
        if grant.redirect_uri != request.redirect_uri:
            raise TokenError("invalid_grant", "redirect_uri differs from the authorization request")
        if not pkce_matches(request.code_verifier, grant.code_challenge):
            raise TokenError("invalid_grant", "code_verifier does not match the code_challenge")
        user = self._users.find(grant.username)
        if user is None:
            raise TokenError("invalid_grant", "the user no longer exists")
        issue = Issue(
            client_id=grant.client_id,
            user=user,
            scopes=grant.scopes,
            audience=grant.audience or self._default_audience,
            auth_time=grant.auth_time,
            nonce=grant.nonce,
        )
        return await self._tokens.respond(issue, now)

    async def _refresh(self, request: RefreshRequest) -> dict[str, Any]:
        now = self._now()
        record = await self._state.take_refresh(token_digest(request.refresh_token))
        if record is None or record.expires_at <= now:
            raise TokenError("invalid_grant", "the refresh token is unknown, used or expired")
        if record.client_id != request.client_id:
            raise TokenError("invalid_grant", "the refresh token was issued to another client")
        user = self._users.find(record.username)
        if user is None:
            _log.info("dev-idp refused a refresh: the user no longer exists")
            raise TokenError("invalid_grant", "the user no longer exists")
        issue = Issue(
            client_id=record.client_id,
            user=user,
            scopes=granted_scopes(record.scopes, user.scopes),
            audience=record.audience or self._default_audience,
            auth_time=record.auth_time,
        )
        return await self._tokens.respond(issue, now)
