"""`SignIn`: each MCP request's caller, from its bearer token, named in the request's log lines."""

from __future__ import annotations

import pytest

from jamf_mcp.adapters.asgi_mcp.bearer_auth import (
    AuthenticationFailed,
    BearerAuthenticator,
    SignIn,
)
from jamf_mcp.adapters.structured_logs.request_context import (
    RequestLogContext,
    request_log_context,
)
from jamf_mcp.domain.errors import InvalidToken
from jamf_mcp.domain.principal import Principal

METADATA = "https://mcp.example.com/.well-known/oauth-protected-resource/mcp"
ALICE = Principal("https://idp.example.com", "alice", frozenset({"read:jamf"}))


class OneTokenVerifier:
    """Accepts `good` as Alice's token; refuses anything else."""

    async def verify(self, token: str) -> Principal:
        if token != "good":
            raise InvalidToken("invalid")
        return ALICE


class Request:
    def __init__(self, authorization: str | None) -> None:
        self.headers = {} if authorization is None else {"authorization": authorization}
        self.query_params: dict[str, str] = {}


def sign_in() -> SignIn:
    return SignIn(BearerAuthenticator(OneTokenVerifier(), METADATA))


async def test_the_caller_is_the_tokens_principal_and_the_requests_log_lines_name_them() -> None:
    context = RequestLogContext(request_id="r1", method="POST", path="/mcp")
    with request_log_context(context):
        principal = await sign_in().principal(Request("Bearer good"))
    assert principal == ALICE
    assert context.fields()["subject"] == "alice"


async def test_a_refused_token_names_no_one_in_the_log() -> None:
    context = RequestLogContext(request_id="r2", method="POST", path="/mcp")
    with request_log_context(context), pytest.raises(AuthenticationFailed):
        await sign_in().principal(Request("Bearer forged"))
    assert "subject" not in context.fields()


async def test_outside_a_request_the_caller_is_still_found() -> None:
    assert await sign_in().principal(Request("Bearer good")) == ALICE
