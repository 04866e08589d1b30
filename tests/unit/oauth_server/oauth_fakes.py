"""Fakes and drivers for the OAuth front door: an in-memory upstream IdP and a scripted client."""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import attrs

from jamf_mcp.adapters.memory.clock import FixedClock
from jamf_mcp.adapters.oauth_server import (
    ConsentPrompt,
    FrontDoor,
    FrontDoorConfig,
    InMemoryOAuthStateStore,
    RedirectTo,
    Revalidation,
    UpstreamCredentials,
    UpstreamIdentity,
    UpstreamIdentityProvider,
    UpstreamSignIn,
)
from jamf_mcp.adapters.oauth_server.client_metadata import ClientMetadataFetcher
from jamf_mcp.adapters.oauth_server.handles import s256
from jamf_mcp.adapters.oidc.reasons import IdentityProviderUnavailable
from jamf_mcp.adapters.oidc.signing import SigningKey
from jamf_mcp.domain.errors import InvalidToken

ISSUER = "https://mcp.example.test"
RESOURCE = ISSUER + "/mcp"
CHATGPT_REDIRECT = "https://chatgpt.com/connector_platform_oauth_redirect"
UPSTREAM_ISSUER = "https://idp.example.test"
BOTH = frozenset({"read:jamf", "write:jamf"})


@attrs.define
class _Login:
    nonce: str
    code_challenge: str
    redirect_uri: str
    scopes: tuple[str, ...]


class FakeUpstream:
    """An upstream IdP in memory (implements `UpstreamIdentityProvider`).

    `sign_in(state)` plays the user logging in at the upstream and returns the upstream code;
    `exchange_code` checks PKCE, nonce and redirect URI like a real provider would, and hands out
    an upstream refresh token. `revalidate` answers from what the test sets: `disabled` (the user
    is gone), `scopes` (what the user holds now) or `unreachable` (the provider is down); every
    call is recorded in `revalidations`.
    """

    def __init__(self, subject: str = "alice", scopes: frozenset[str] = BOTH) -> None:
        self.subject = subject
        self.scopes = scopes
        self.disabled = False
        self.unreachable = False
        self.logins: dict[str, _Login] = {}
        self.codes: dict[str, _Login] = {}
        self.requested_scopes: list[tuple[str, ...]] = []
        self.refresh_tokens: set[str] = set()
        self.revalidations: list[UpstreamCredentials] = []

    @property
    def issuer(self) -> str:
        return UPSTREAM_ISSUER

    async def authorization_url(
        self,
        *,
        state: str,
        nonce: str,
        code_challenge: str,
        redirect_uri: str,
        scopes: Sequence[str],
    ) -> str:
        self.logins[state] = _Login(nonce, code_challenge, redirect_uri, tuple(scopes))
        self.requested_scopes.append(tuple(scopes))
        query = urlencode({"state": state, "client_id": "jamf-mcp", "redirect_uri": redirect_uri})
        return f"{UPSTREAM_ISSUER}/authorize?{query}"

    def sign_in(self, state: str) -> str:
        code = "upstream-" + secrets.token_urlsafe(8)
        self.codes[code] = self.logins.pop(state)
        return code

    def _identity(self) -> UpstreamIdentity:
        return UpstreamIdentity(
            issuer=UPSTREAM_ISSUER,
            subject=self.subject,
            name=self.subject.title(),
            email=f"{self.subject}@example.test",
            scopes=self.scopes,
        )

    def _new_refresh_token(self) -> UpstreamCredentials:
        token = "upstream-refresh-" + secrets.token_urlsafe(8)
        self.refresh_tokens.add(token)
        return UpstreamCredentials(refresh_token=token)

    async def exchange_code(
        self, *, code: str, code_verifier: str, redirect_uri: str, nonce: str
    ) -> UpstreamSignIn:
        login = self.codes.pop(code, None)
        if login is None or s256(code_verifier) != login.code_challenge:
            raise InvalidToken("bad_code")
        if nonce != login.nonce or redirect_uri != login.redirect_uri:
            raise InvalidToken("bad_nonce")
        return UpstreamSignIn(self._identity(), self._new_refresh_token())

    async def revalidate(
        self, identity: UpstreamIdentity, credentials: UpstreamCredentials
    ) -> Revalidation:
        self.revalidations.append(credentials)
        if self.unreachable:
            raise IdentityProviderUnavailable("the fake provider is down")
        token = credentials.refresh_token
        if token is None or token not in self.refresh_tokens:
            return Revalidation(active=False, reason="unknown upstream refresh token")
        self.refresh_tokens.discard(token)  # rotated, as Auth0 and Okta do
        if self.disabled or identity.subject != self.subject:
            return Revalidation(active=False, reason="user disabled")
        return Revalidation(active=True, scopes=self.scopes, credentials=self._new_refresh_token())


def _check_port(upstream: UpstreamIdentityProvider) -> UpstreamIdentityProvider:
    return upstream


_check_port(FakeUpstream())


def start_clock() -> FixedClock:
    """A clock at the real current time (so issued JWTs verify without a fixed `now`)."""
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


_SHARED_KEY: list[SigningKey] = []


def signing_key() -> SigningKey:
    """One RSA key for the whole test session (generating keys is slow)."""
    if not _SHARED_KEY:
        _SHARED_KEY.append(SigningKey.generate())
    return _SHARED_KEY[0]


@attrs.define
class World:
    """A front door with its fake upstream, store and clock."""

    front_door: FrontDoor
    upstream: FakeUpstream
    store: InMemoryOAuthStateStore
    clock: FixedClock
    config: FrontDoorConfig


def build_world(
    upstream: FakeUpstream | None = None,
    fetcher: ClientMetadataFetcher | None = None,
    issuer: str = ISSUER,
    clock: FixedClock | None = None,
    **options: Any,
) -> World:
    """A front door; `options` are `FrontDoorConfig` fields or `FrontDoor` keyword arguments."""
    clock = clock or start_clock()
    store = InMemoryOAuthStateStore(clock)
    upstream = upstream or FakeUpstream()
    door_options = {
        name: options.pop(name)
        for name in ("pre_registered", "assertion_replays", "refresh_answers", "denylist")
        if name in options
    }
    config = FrontDoorConfig(issuer=issuer, resource=issuer + "/mcp", **options)
    front_door = FrontDoor(config, signing_key(), upstream, store, fetcher, clock, **door_options)
    return World(front_door, upstream, store, clock, config)


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, s256(verifier)


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


async def register(world: World, **metadata: object) -> dict[str, object]:
    body: dict[str, object] = {"redirect_uris": [CHATGPT_REDIRECT], "client_name": "ChatGPT"}
    body.update(metadata)
    reply = await world.front_door.register(json.dumps(body).encode())
    assert reply.status == 201, reply.body
    return reply.body


def authorize_params(client_id: str, challenge: str, **overrides: str | None) -> dict[str, str]:
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": CHATGPT_REDIRECT,
        "state": "oauth_s_123",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "scope": "read:jamf write:jamf",
        "resource": RESOURCE,
    }
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


async def consent_prompt(world: World, params: dict[str, str]) -> ConsentPrompt:
    prompt = await world.front_door.authorize(params, None)
    assert isinstance(prompt, ConsentPrompt), prompt
    return prompt


async def code_for(
    world: World, client_id: str, **overrides: str | None
) -> tuple[str, str, dict[str, str]]:
    """Drive authorize → consent → upstream → callback; returns (code, verifier, redirect query)."""
    verifier, challenge = pkce_pair()
    prompt = await consent_prompt(world, authorize_params(client_id, challenge, **overrides))
    form = {"transaction": prompt.transaction_id, "csrf_token": prompt.csrf_token}
    to_upstream = await world.front_door.consent({**form, "decision": "approve"}, prompt.csrf_token)
    assert isinstance(to_upstream, RedirectTo), to_upstream
    state = query_of(to_upstream.location)["state"]
    upstream_code = world.upstream.sign_in(state)
    back = await world.front_door.upstream_callback(
        {"state": state, "code": upstream_code}, to_upstream.browser_binding
    )
    assert isinstance(back, RedirectTo), back
    query = query_of(back.location)
    return query.get("code", ""), verifier, query
