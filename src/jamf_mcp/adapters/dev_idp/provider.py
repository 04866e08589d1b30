"""`DevIdentityProvider`: the embedded OpenID provider behind `jamf-mcp serve` in `dev` mode.

It stands in for Auth0 or Okta on a developer's machine: one confidential client (the OAuth front
door), demo users, authorization code + PKCE, RS256 ID and access tokens. Its key and its client
registration live in the data directory, so tokens and the front door's configuration survive
restarts. Everything else (login forms in progress, codes) lives in this object only.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jamf_mcp.adapters.dev_idp.authorization import (
    AuthorizationRequest,
    RedirectableError,
    check_authorization_request,
    granted_scopes,
)
from jamf_mcp.adapters.dev_idp.grants import CodeGrant, ExpiringStore, PendingLogin
from jamf_mcp.adapters.dev_idp.registration import ClientRegistration
from jamf_mcp.adapters.dev_idp.token_request import (
    TokenError,
    authenticate_client,
    pkce_matches,
    read_token_request,
)
from jamf_mcp.adapters.dev_idp.users import DemoDirectory, DemoUser
from jamf_mcp.adapters.oidc.signing import ALGORITHM, SigningKey, access_token_claims
from jamf_mcp.adapters.system import SystemClock
from jamf_mcp.application.ports import Clock

_log = logging.getLogger(__name__)

ISSUER_SUFFIX = "/dev-idp"
KEY_FILE = "dev-idp-key.json"
CLIENT_FILE = "dev-idp-client.json"
CALLBACK_PATH = "/auth/upstream/callback"
_CAPACITY = 1000
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
        passwords: passwords by username, for users who should not use their username.

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
        passwords: Mapping[str, str] | None = None,
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
        self._code_ttl, self._token_ttl, self._login_ttl = code_ttl, token_ttl, login_ttl
        self._logins: ExpiringStore[PendingLogin] = ExpiringStore(_CAPACITY)
        self._codes: ExpiringStore[CodeGrant] = ExpiringStore(_CAPACITY, hash_keys=True)

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
            "grant_types_supported": ["authorization_code"],
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

    def begin_login(self, request: AuthorizationRequest) -> PendingLogin:
        """Remember a login form about to be shown, with a fresh CSRF token."""
        now = self._now()
        login = PendingLogin(
            login_id=secrets.token_urlsafe(24),
            request=request,
            csrf_token=secrets.token_urlsafe(32),
            expires_at=now + self._login_ttl,
        )
        self._logins.put(login.login_id, login, now=now)
        return login

    def pending_login(self, login_id: str) -> PendingLogin | None:
        """The login form with this id, if it is still usable."""
        return self._logins.get(login_id, now=self._now())

    @staticmethod
    def form_is_genuine(login: PendingLogin, form_token: str, cookie_token: str) -> bool:
        """The posted CSRF token and the cookie both match this login form (constant time)."""
        expected = login.csrf_token.encode()
        form_ok = hmac.compare_digest(form_token.encode(), expected)
        cookie_ok = hmac.compare_digest(cookie_token.encode(), expected)
        return form_ok and cookie_ok

    def sign_in(self, login: PendingLogin, username: str, password: str) -> str | None:
        """Check the credentials; on success spend the form and return the redirect with a code.

        On failure the attempt is counted, and the form is dropped once too many have failed.
        """
        now = self._now()
        user = self._users.authenticate(username, password)
        if user is None:
            login.failed_attempts += 1
            if login.exhausted:
                self._logins.pop(login.login_id, now=now)
            _log.info("dev-idp sign-in refused (attempt %d on this form)", login.failed_attempts)
            return None
        self._logins.pop(login.login_id, now=now)
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
        self._codes.put(code, grant, now=now)
        _log.info("dev-idp signed in %s", user.username)
        return _with_query(
            request.redirect_uri, {"code": code, "state": request.state, "iss": self._issuer}
        )

    def cancel(self, login: PendingLogin) -> str:
        """Drop the login form; the redirect that tells the client the user declined."""
        self._logins.pop(login.login_id, now=self._now())
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

    def exchange(
        self, form: Mapping[str, Sequence[str]], authorization: str | None
    ) -> dict[str, Any]:
        """Redeem an authorization code at the token endpoint (single use, PKCE, redirect URI).

        Raises:
            TokenError: any RFC 6749 §5.2 error.
        """
        client_id = authenticate_client(
            form, authorization, client_id=self.client_id, client_secret=self.client_secret
        )
        request = read_token_request(form, client_id)
        now = self._now()
        grant = self._codes.pop(request.code, now=now)
        if grant is None:
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
        return self._tokens(grant, user, now)

    def _tokens(self, grant: CodeGrant, user: DemoUser, now: float) -> dict[str, Any]:
        scope = " ".join(sorted(grant.scopes))
        access_token = self._key.sign(
            access_token_claims(
                issuer=self._issuer,
                audience=grant.audience or self._default_audience,
                subject=user.username,
                scopes=set(grant.scopes),
                ttl_seconds=self._token_ttl,
                client_id=grant.client_id,
                now=now,
            )
        )
        id_claims: dict[str, Any] = {
            "iss": self._issuer,
            "sub": user.username,
            "aud": grant.client_id,
            "azp": grant.client_id,
            "iat": int(now),
            "exp": int(now) + self._token_ttl,
            "auth_time": grant.auth_time,
            "name": user.display_name,
            "preferred_username": user.username,
            "email": user.email,
            "email_verified": True,
        }
        if grant.nonce is not None:
            id_claims["nonce"] = grant.nonce
        _log.info("dev-idp issued tokens for %s (scope %s)", user.username, scope)
        return {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": self._token_ttl,
            "scope": scope,
            "id_token": self._key.sign(id_claims, typ="JWT"),
        }
