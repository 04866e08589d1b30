"""Writes through the shared client: sent once, and an unknown outcome told apart from a refusal."""

from __future__ import annotations

import httpx
import pytest

from jamf_mcp.adapters.jamf_rest import RetryPolicy, open_jamf_http
from jamf_mcp.domain.errors import JamfOutcomeUnknown, JamfUnavailable
from tests.integration.jamf_rest.jamf_fakes import (
    FakeJamf,
    Handler,
    api_error,
    client_connection,
    ok_json,
)

PATH = "/api/v1/thing"
NO_WAIT = RetryPolicy.immediate(attempts=4)
WRITES = ["POST", "PUT", "PATCH", "DELETE"]


def raising(error: type[httpx.TransportError]) -> Handler:
    """A handler whose request fails on the wire with `error`."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise error("failed", request=request)

    return handler


@pytest.mark.parametrize("status", [500, 502, 504])
@pytest.mark.parametrize("method", WRITES)
async def test_a_write_answered_500_502_or_504_has_an_unknown_outcome_and_is_sent_once(
    method: str, status: int
) -> None:
    jamf = FakeJamf()
    jamf.route(method, PATH, lambda _r: httpx.Response(status, text="Internal error"))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfOutcomeUnknown) as caught:
            await http.request(method, PATH, content="<x/>")
    assert len(jamf.calls(method, PATH)) == 1
    assert f"did not confirm {method} {PATH} (HTTP {status}" in caught.value.message
    assert "it may or may not have been applied" in caught.value.message


@pytest.mark.parametrize("method", WRITES)
async def test_a_write_turned_away_with_503_is_unavailable_not_unknown(method: str) -> None:
    jamf = FakeJamf()
    jamf.route(method, PATH, lambda _r: api_error(503))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfUnavailable) as caught:
            await http.request(method, PATH, content="<x/>")
    assert not isinstance(caught.value, JamfOutcomeUnknown)
    assert len(jamf.calls(method, PATH)) == 1


async def test_a_write_that_times_out_waiting_for_its_answer_names_method_path_and_reason() -> None:
    jamf = FakeJamf()
    path = "/JSSResource/computergroups/id/7"
    jamf.route("PUT", path, raising(httpx.ReadTimeout))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfOutcomeUnknown) as caught:
            await http.request("PUT", path, content="<computer_group/>")
    assert caught.value.message.startswith(
        "Jamf Pro at acme.jamfcloud.com did not confirm PUT /JSSResource/computergroups/id/7 "
        "(no answer within 30 s); it may or may not have been applied."
    )
    assert len(jamf.calls("PUT", path)) == 1


@pytest.mark.parametrize(
    "error",
    [
        httpx.ReadTimeout,
        httpx.WriteTimeout,
        httpx.RemoteProtocolError,
        httpx.ReadError,
        httpx.WriteError,
    ],
)
@pytest.mark.parametrize("method", WRITES)
async def test_a_write_lost_on_the_wire_has_an_unknown_outcome_and_is_sent_once(
    method: str, error: type[httpx.TransportError]
) -> None:
    jamf = FakeJamf()
    jamf.route(method, PATH, raising(error))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfOutcomeUnknown, match="may or may not have been applied"):
            await http.request(method, PATH, content="<x/>")
    assert len(jamf.calls(method, PATH)) == 1


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
@pytest.mark.parametrize("method", WRITES)
async def test_a_write_that_never_reached_jamf_is_unavailable_not_unknown(
    method: str, error: type[httpx.TransportError]
) -> None:
    jamf = FakeJamf()
    jamf.route(method, PATH, raising(error))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfUnavailable, match="is not responding") as caught:
            await http.request(method, PATH, content="<x/>")
    assert not isinstance(caught.value, JamfOutcomeUnknown)
    assert len(jamf.calls(method, PATH)) == 1


async def test_a_write_whose_sign_in_timed_out_was_never_sent_and_is_unavailable() -> None:
    jamf = FakeJamf()
    jamf.route("POST", "/api/oauth/token", raising(httpx.ReadTimeout))
    jamf.route("POST", PATH, ok_json({}))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfUnavailable) as caught:
            await http.request("POST", PATH, json={})
    assert not isinstance(caught.value, JamfOutcomeUnknown)
    assert jamf.calls("POST", PATH) == []


@pytest.mark.parametrize(
    "failure",
    [
        lambda _r: httpx.Response(500, text="boom"),
        lambda _r: httpx.Response(504, text="gateway"),
        raising(httpx.ReadTimeout),
        raising(httpx.RemoteProtocolError),
    ],
)
async def test_a_get_that_keeps_failing_is_still_plain_unavailable_after_its_retries(
    failure: Handler,
) -> None:
    jamf = FakeJamf()
    jamf.route("GET", PATH, failure)
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfUnavailable, match="is not responding") as caught:
            await http.get_json(PATH)
    assert not isinstance(caught.value, JamfOutcomeUnknown)
    assert len(jamf.calls("GET", PATH)) == 4
