"""The development IdP's files in the data directory: keys and client survive restarts, 0600."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.dev_idp import ClientFileError, DevIdentityProvider
from tests.integration.dev_idp.dev_idp_support import (
    USERS,
    make_app,
    make_provider,
    redeem,
    sign_in,
)


async def test_keys_survive_a_restart_and_old_tokens_verify_with_the_new_jwks(
    tmp_path: Path,
) -> None:
    first = make_provider(tmp_path)
    async with AsyncTestClient(app=make_app(first)) as client:
        client.follow_redirects = False
        token = (await redeem(client, first, await sign_in(client, first, "alice"))).json()[
            "access_token"
        ]
    second = make_provider(tmp_path)
    assert second.signing_key.kid == first.signing_key.kid
    async with AsyncTestClient(app=make_app(second)) as client:
        jwks = (await client.get("/dev-idp/jwks.json")).json()
    claims = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["RS256"]).claims
    assert claims["sub"] == "alice"


def test_client_registration_is_created_once_with_mode_0600(tmp_path: Path) -> None:
    first = make_provider(tmp_path)
    path = tmp_path / "dev-idp-client.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "dev-idp-key.json").stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == {
        "client_id": "jamf-mcp",
        "client_secret": first.client_secret,
    }
    assert len(first.client_secret) >= 43
    second = make_provider(tmp_path)
    assert (second.client_id, second.client_secret) == (first.client_id, first.client_secret)
    assert make_provider(tmp_path / "elsewhere").client_secret != first.client_secret


def test_a_corrupt_client_file_is_reported_by_name(tmp_path: Path) -> None:
    (tmp_path / "dev-idp-client.json").write_text("{not json")
    with pytest.raises(ClientFileError, match=r"dev-idp-client\.json"):
        make_provider(tmp_path)


def test_only_the_front_doors_callback_is_a_registered_redirect(tmp_path: Path) -> None:
    provider = make_provider(tmp_path, public_url="https://jamf-mcp.example.com")
    assert provider.issuer == "https://jamf-mcp.example.com/dev-idp"
    assert provider.public_url == "https://jamf-mcp.example.com"
    assert provider.redirect_uris == {"https://jamf-mcp.example.com/auth/upstream/callback"}


def test_an_issuer_outside_dev_idp_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="/dev-idp"):
        DevIdentityProvider(
            "http://127.0.0.1:8000/idp", tmp_path, USERS, default_audience="http://x/mcp"
        )
