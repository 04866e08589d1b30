"""Helpers for the development IdP's HTTP tests: an app with only its routes, PKCE, a sign-in."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
from litestar import Litestar

from jamf_mcp.adapters.dev_idp import DevIdentityProvider, dev_idp_route_handlers
from jamf_mcp.adapters.memory import FixedClock
from tests.support.web_forms import forms_in

PUBLIC_URL = "http://testserver.local"
ISSUER = f"{PUBLIC_URL}/dev-idp"
CALLBACK = f"{PUBLIC_URL}/auth/upstream/callback"
AUDIENCE = f"{PUBLIC_URL}/mcp"
USERS = (("alice", frozenset({"read:jamf", "write:jamf"})), ("bob", frozenset({"read:jamf"})))
ALL_SCOPES = "openid profile email read:jamf write:jamf"


def make_provider(
    data_dir: Path, *, public_url: str = PUBLIC_URL, clock: FixedClock | None = None
) -> DevIdentityProvider:
    """A provider for `public_url` keeping its files in `data_dir`."""
    return DevIdentityProvider(
        f"{public_url}/dev-idp",
        data_dir,
        USERS,
        default_audience=f"{public_url}/mcp",
        clock=clock or FixedClock(datetime.now(UTC)),
    )


def make_app(provider: DevIdentityProvider) -> Litestar:
    """An app serving the development IdP's routes and nothing else."""
    return Litestar(route_handlers=dev_idp_route_handlers(provider), debug=False)


def pkce_pair() -> tuple[str, str]:
    """A fresh (verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize_query(
    provider: DevIdentityProvider, challenge: str, **overrides: str | None
) -> dict[str, str]:
    """A valid authorization request's query, with some parameters replaced or dropped (None)."""
    params: dict[str, str | None] = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": CALLBACK,
        "scope": ALL_SCOPES,
        "state": "state-" + secrets.token_hex(4),
        "nonce": "nonce-" + secrets.token_hex(4),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


@attrs.frozen
class SignedIn:
    """The outcome of a browserless sign-in: the code and what was asked."""

    code: str
    verifier: str
    query: Mapping[str, str]
    callback: Mapping[str, list[str]]


async def login_page(
    client: httpx.AsyncClient, provider: DevIdentityProvider, **overrides: str | None
) -> tuple[httpx.Response, str, dict[str, str]]:
    """GET the login page; returns (response, PKCE verifier, query sent)."""
    verifier, challenge = pkce_pair()
    query = authorize_query(provider, challenge, **overrides)
    return await client.get("/dev-idp/authorize", params=query), verifier, query


async def post_login(
    client: httpx.AsyncClient, page: httpx.Response, username: str, password: str
) -> httpx.Response:
    """Submit the login form of `page` with these credentials (hidden fields included)."""
    form = forms_in(page.text)[0]
    data = {**form.fields, "username": username, "password": password, "action": "sign_in"}
    return await client.post("/dev-idp/authorize", data=data)


async def sign_in(
    client: httpx.AsyncClient,
    provider: DevIdentityProvider,
    username: str,
    password: str | None = None,
    **overrides: str | None,
) -> SignedIn:
    """Open the login page, sign in, and read the code from the redirect."""
    page, verifier, query = await login_page(client, provider, **overrides)
    assert page.status_code == 200, page.text
    answer = await post_login(client, page, username, password or username)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    assert location.startswith(CALLBACK + "?"), location
    callback = parse_qs(urlsplit(location).query)
    return SignedIn(callback["code"][0], verifier, query, callback)


async def redeem(
    client: httpx.AsyncClient,
    provider: DevIdentityProvider,
    signed_in: SignedIn,
    **overrides: str | None,
) -> httpx.Response:
    """POST the token request for `signed_in` with client_secret_basic (fields overridable)."""
    form: dict[str, str | None] = {
        "grant_type": "authorization_code",
        "code": signed_in.code,
        "redirect_uri": CALLBACK,
        "code_verifier": signed_in.verifier,
    }
    form.update(overrides)
    return await client.post(
        "/dev-idp/token",
        data={k: v for k, v in form.items() if v is not None},
        auth=(provider.client_id, provider.client_secret),
    )
