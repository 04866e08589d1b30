"""Bearer tokens: both grant kinds, the /api/v1 fallback, early and 401-driven refresh, one shared refresh."""

from __future__ import annotations

import asyncio
import base64
import logging

import httpx
import pytest

from jamf_mcp.adapters.jamf_rest import JamfConnection, JamfTokenAuth, RetryPolicy, open_jamf_http
from jamf_mcp.domain.errors import JamfCredentialsRejected
from tests.integration.jamf_rest.jamf_fakes import (
    BASE,
    SECRET,
    FakeJamf,
    client_connection,
    ok_json,
)

PING = "/api/v1/ping"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def jamf() -> FakeJamf:
    fake = FakeJamf()
    fake.route("GET", PING, ok_json({"ok": True}))
    return fake


async def test_gets_a_client_credentials_token_and_sends_it_as_bearer(jamf: FakeJamf) -> None:
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        assert await http.get_json(PING) == {"ok": True}
    (token_call,) = jamf.calls("POST", "/api/oauth/token")
    form = dict(httpx.QueryParams(token_call.content.decode()))
    assert form == {"grant_type": "client_credentials", "client_id": "mcp", "client_secret": SECRET}
    assert jamf.bearers_for(PING) == ["Bearer token-1"]


async def test_falls_back_to_the_v1_oauth_path_when_the_first_answers_404(jamf: FakeJamf) -> None:
    del jamf.routes[("POST", "/api/oauth/token")]
    clock = FakeClock()
    connection = client_connection()
    auth = JamfTokenAuth(connection, clock=clock)
    async with open_jamf_http(connection, transport=jamf.transport(), auth=auth) as http:
        await http.get_json(PING)
        clock.now += 400  # the token has expired: a second sign-in goes straight to /api/v1
        await http.get_json(PING)
    assert len(jamf.calls("POST", "/api/oauth/token")) == 1
    assert len(jamf.calls("POST", "/api/v1/oauth/token")) == 2


async def test_exchanges_user_credentials_with_basic_auth_for_a_bearer_token(
    jamf: FakeJamf,
) -> None:
    def user_token(request: httpx.Request) -> httpx.Response:
        expected = "Basic " + base64.b64encode(b"admin:pw").decode()
        if request.headers.get("Authorization") != expected:
            return httpx.Response(401, json={"httpStatus": 401, "errors": []})
        jamf.valid_tokens.add("user-token")
        return httpx.Response(
            200, json={"token": "user-token", "expires": "2999-01-01T00:00:00.000Z"}
        )

    jamf.route("POST", "/api/v1/auth/token", user_token)
    connection = JamfConnection(base_url=BASE, username="admin", password="pw")
    async with open_jamf_http(connection, transport=jamf.transport()) as http:
        await http.get_json(PING)
        await http.get_json(PING)
    assert len(jamf.calls("POST", "/api/v1/auth/token")) == 1
    assert jamf.bearers_for(PING)[-1] == "Bearer user-token"


@pytest.mark.parametrize("status", [400, 401])
async def test_rejected_credentials_raise_without_revealing_the_secret(
    jamf: FakeJamf, status: int
) -> None:
    jamf.route(
        "POST",
        "/api/oauth/token",
        lambda _r: httpx.Response(status, json={"error": "invalid_client"}),
    )
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        with pytest.raises(JamfCredentialsRejected) as caught:
            await http.get_json(PING)
    assert "invalid_client" in caught.value.message
    assert SECRET not in caught.value.message
    assert not jamf.calls("GET", PING), "no API call without a token"


async def test_refreshes_the_token_before_it_expires(jamf: FakeJamf) -> None:
    jamf.token_ttl = 120
    clock = FakeClock()
    connection = client_connection(refresh_margin_seconds=30)
    auth = JamfTokenAuth(connection, clock=clock)
    async with open_jamf_http(connection, transport=jamf.transport(), auth=auth) as http:
        await http.get_json(PING)
        clock.now += 80  # 40 s left: still fine
        await http.get_json(PING)
        assert jamf.issued == 1
        clock.now += 15  # 25 s left: inside the margin
        await http.get_json(PING)
    assert jamf.issued == 2
    assert jamf.bearers_for(PING)[-1] == "Bearer token-2"


async def test_signs_in_again_once_and_resends_after_a_401(jamf: FakeJamf) -> None:
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        await http.get_json(PING)
        jamf.expire_all_tokens()
        assert await http.get_json(PING) == {"ok": True}
    assert jamf.issued == 2
    assert jamf.bearers_for(PING) == [
        "Bearer token-1",
        "Bearer token-1",
        "Bearer token-2",
    ]


async def test_a_401_that_survives_a_fresh_token_is_a_credentials_error(jamf: FakeJamf) -> None:
    jamf.route(
        "GET",
        "/api/v1/always-401",
        lambda _r: httpx.Response(401, json={"httpStatus": 401, "errors": []}),
    )
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        with pytest.raises(JamfCredentialsRejected):
            await http.get_json("/api/v1/always-401")
    assert jamf.issued == 2, "exactly one re-authentication"
    assert len(jamf.calls("GET", "/api/v1/always-401")) == 2


async def test_concurrent_requests_share_one_token_request(jamf: FakeJamf) -> None:
    jamf.token_delay = 0.05
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        await asyncio.gather(*(http.get_json(PING) for _ in range(12)))
        jamf.expire_all_tokens()
        await asyncio.gather(*(http.get_json(PING) for _ in range(12)))
    assert jamf.issued == 2, "one sign-in, then one shared refresh after the mid-run 401s"


async def test_keeps_the_load_balancer_cookie_from_the_token_response(jamf: FakeJamf) -> None:
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        await http.get_json(PING)
    assert "jpro-ingress=node-7" in jamf.calls("GET", PING)[0].headers.get("Cookie", "")


async def test_never_logs_tokens_or_secrets(
    jamf: FakeJamf, caplog: pytest.LogCaptureFixture
) -> None:
    failures = iter([503, 503])
    jamf.route("GET", "/api/v1/flaky", lambda _r: httpx.Response(next(failures, 200), json={}))
    caplog.set_level(logging.DEBUG)
    connection = client_connection()
    async with open_jamf_http(
        connection, transport=jamf.transport(), retry=RetryPolicy.immediate()
    ) as http:
        await http.get_json("/api/v1/flaky")
    assert "retrying" in caplog.text
    assert SECRET not in caplog.text and "token-1" not in caplog.text
    assert SECRET not in repr(connection)
