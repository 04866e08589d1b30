"""Authorization requests: which failures get an error page and which go back to the client."""

from __future__ import annotations

import pytest

from jamf_mcp.adapters.dev_idp import AuthorizationRequest, RedirectableError, UntrustedRequest
from jamf_mcp.adapters.dev_idp.authorization import check_authorization_request, granted_scopes

CALLBACK = "http://127.0.0.1:8000/auth/upstream/callback"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def query(**overrides: list[str] | None) -> dict[str, list[str]]:
    params: dict[str, list[str] | None] = {
        "client_id": ["jamf-mcp"],
        "redirect_uri": [CALLBACK],
        "response_type": ["code"],
        "scope": ["openid read:jamf"],
        "state": ["s1"],
        "code_challenge": [CHALLENGE],
        "code_challenge_method": ["S256"],
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def check(params: dict[str, list[str]]) -> AuthorizationRequest:
    return check_authorization_request(
        params, client_id="jamf-mcp", redirect_uris=frozenset({CALLBACK})
    )


def test_a_valid_request_is_read_with_its_scopes_in_order() -> None:
    request = check(query(audience=["http://127.0.0.1:8000/mcp"], nonce=["n"]))
    assert request.scopes == ("openid", "read:jamf")
    assert request.audience == "http://127.0.0.1:8000/mcp"


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_id": ["jamf-mcp", "jamf-mcp"]},
        {"redirect_uri": [CALLBACK, CALLBACK]},
        {"redirect_uri": ["http://127.0.0.1:8000/auth/upstream/callback/"]},
        {"client_id": None},
    ],
)
def test_untrusted_clients_and_redirects_are_never_redirected_to(
    overrides: dict[str, list[str] | None],
) -> None:
    with pytest.raises(UntrustedRequest):
        check(query(**overrides))


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"response_type": ["token"]}, "unsupported_response_type"),
        ({"code_challenge_method": ["plain"]}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge": ["short"]}, "invalid_request"),
        ({"scope": ["read:jamf"]}, "invalid_scope"),
        ({"scope": None}, "invalid_scope"),
        ({"nonce": ["a", "b"]}, "invalid_request"),
        ({"resource": ["not a uri"]}, "invalid_target"),
    ],
)
def test_other_problems_go_back_to_the_client_with_its_state(
    overrides: dict[str, list[str] | None], error: str
) -> None:
    with pytest.raises(RedirectableError) as raised:
        check(query(**overrides))
    assert raised.value.error == error
    assert raised.value.redirect_uri == CALLBACK
    assert raised.value.state == "s1"


def test_granted_scopes_are_openid_scopes_plus_the_api_scopes_the_user_holds() -> None:
    asked = ("openid", "email", "read:jamf", "write:jamf", "admin:everything")
    assert granted_scopes(asked, frozenset({"read:jamf"})) == ("openid", "email", "read:jamf")
