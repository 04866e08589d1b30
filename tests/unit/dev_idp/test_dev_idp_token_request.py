"""Token requests: client authentication (basic and post), grant parameters and PKCE S256."""

from __future__ import annotations

import base64
from urllib.parse import quote

import pytest

from jamf_mcp.adapters.dev_idp import TokenError
from jamf_mcp.adapters.dev_idp.token_request import (
    authenticate_client,
    pkce_matches,
    read_token_request,
)

SECRET = "s3cr:et+/with odd chars"


def basic(client_id: str, secret: str) -> str:
    raw = f"{quote(client_id, safe='')}:{quote(secret, safe='')}"
    return "Basic " + base64.b64encode(raw.encode()).decode()


def test_basic_credentials_are_form_decoded_before_comparison() -> None:
    assert (
        authenticate_client(
            {}, basic("jamf-mcp", SECRET), client_id="jamf-mcp", client_secret=SECRET
        )
        == "jamf-mcp"
    )


def test_posted_credentials_are_accepted() -> None:
    form = {"client_id": ["jamf-mcp"], "client_secret": [SECRET]}
    assert authenticate_client(form, None, client_id="jamf-mcp", client_secret=SECRET) == "jamf-mcp"


@pytest.mark.parametrize(
    ("form", "authorization", "error", "status"),
    [
        ({}, None, "invalid_client", 401),
        ({"client_id": ["jamf-mcp"]}, None, "invalid_client", 401),
        ({"client_id": ["jamf-mcp"], "client_secret": ["nope"]}, None, "invalid_client", 401),
        ({}, basic("someone", SECRET), "invalid_client", 401),
        ({}, "Basic !!!", "invalid_client", 401),
        ({}, "Bearer abc", "invalid_client", 401),
        ({"client_secret": [SECRET]}, basic("jamf-mcp", SECRET), "invalid_request", 400),
    ],
)
def test_bad_client_authentication_is_refused(
    form: dict[str, list[str]], authorization: str | None, error: str, status: int
) -> None:
    with pytest.raises(TokenError) as raised:
        authenticate_client(form, authorization, client_id="jamf-mcp", client_secret=SECRET)
    assert (raised.value.error, raised.value.status) == (error, status)


def test_grant_parameters_are_required_once_each() -> None:
    complete = {
        "grant_type": ["authorization_code"],
        "code": ["c"],
        "redirect_uri": ["http://x/cb"],
        "code_verifier": ["v" * 43],
    }
    assert read_token_request(complete, "jamf-mcp").code == "c"
    for name in ("code", "redirect_uri", "code_verifier", "grant_type"):
        with pytest.raises(TokenError, match="invalid_request"):
            read_token_request({k: v for k, v in complete.items() if k != name}, "jamf-mcp")
    with pytest.raises(TokenError, match="invalid_request"):
        read_token_request({**complete, "code": ["c", "d"]}, "jamf-mcp")


def test_pkce_s256_matches_the_rfc_7636_example_and_nothing_else() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    assert pkce_matches(verifier, challenge)
    assert not pkce_matches(verifier[:-1] + "l", challenge)
    assert not pkce_matches("short", challenge)
