"""The `insufficient_scope` challenge names every scope to ask for — the API scopes held plus the
missing ones — so a client re-authorizing with exactly that scope keeps `read:jamf`."""

from __future__ import annotations

import json

import pytest

from jamf_mcp.adapters.asgi_mcp.bearer_auth import (
    BearerAuthenticator,
    ScopeRequired,
    wanted_scopes,
)

METADATA = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"


def test_a_403_for_write_names_read_which_the_caller_holds_and_write_which_it_lacks() -> None:
    answer = BearerAuthenticator(None, METADATA).forbidden(
        ScopeRequired(("write:jamf",), frozenset({"openid", "read:jamf"}))
    )
    assert answer.status == 403
    assert answer.headers["WWW-Authenticate"] == (
        'Bearer error="insufficient_scope", scope="read:jamf write:jamf", '
        f'resource_metadata="{METADATA}"'
    )
    assert json.loads(answer.body)["message"] == "This request needs the scope(s) write:jamf."


@pytest.mark.parametrize(
    ("held", "missing", "wanted"),
    [
        (set(), ("read:jamf",), ("read:jamf",)),
        ({"openid"}, ("read:jamf",), ("read:jamf",)),
        ({"read:jamf"}, ("write:jamf",), ("read:jamf", "write:jamf")),
        ({"write:jamf"}, ("read:jamf",), ("read:jamf", "write:jamf")),
    ],
)
def test_the_challenged_scopes_are_the_api_scopes_held_plus_those_missing(
    held: set[str], missing: tuple[str, ...], wanted: tuple[str, ...]
) -> None:
    assert wanted_scopes(frozenset(held), missing) == wanted
