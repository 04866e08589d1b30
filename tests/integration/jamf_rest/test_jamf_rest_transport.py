"""The shared client: retries only idempotent requests, maps failures to domain errors, caps concurrency."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from jamf_mcp.adapters.jamf_rest import RetryPolicy, open_jamf_http
from jamf_mcp.adapters.jamf_rest.http_errors import JamfResourceMissing
from jamf_mcp.domain.errors import (
    JamfOutcomeUnknown,
    JamfPermissionDenied,
    JamfRequestRejected,
    JamfUnavailable,
)
from tests.integration.jamf_rest.jamf_fakes import (
    FakeJamf,
    Handler,
    api_error,
    client_connection,
    ok_json,
)

PATH = "/api/v1/thing"
NO_WAIT = RetryPolicy.immediate(attempts=4)


def scripted(*statuses: int) -> Handler:
    """A handler answering `statuses` in turn, then 200."""
    remaining = list(statuses)

    def handler(_request: httpx.Request) -> httpx.Response:
        status = remaining.pop(0) if remaining else 200
        return httpx.Response(status, json={"ok": status == 200})

    return handler


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
async def test_retries_a_get_on_transient_server_errors(status: int) -> None:
    jamf = FakeJamf()
    jamf.route("GET", PATH, scripted(status, status))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        assert await http.get_json(PATH) == {"ok": True}
    assert len(jamf.calls("GET", PATH)) == 3


async def test_gives_up_after_the_configured_attempts_with_an_unavailable_error() -> None:
    jamf = FakeJamf()
    jamf.route("GET", PATH, lambda _r: httpx.Response(503, text="busy"))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfUnavailable) as caught:
            await http.get_json(PATH)
    assert len(jamf.calls("GET", PATH)) == 4
    assert "acme.jamfcloud.com is not responding" in caught.value.message
    assert "HTTP 503 after 4 attempts" in caught.value.message


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
async def test_never_resends_a_write_that_failed_with_a_server_error(method: str) -> None:
    jamf = FakeJamf()
    jamf.route(method, PATH, scripted(503))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfUnavailable):
            await http.request(method, PATH, json={"a": 1})
    assert len(jamf.calls(method, PATH)) == 1


async def test_a_timing_out_get_is_retried_then_reported_unavailable() -> None:
    jamf = FakeJamf()

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    jamf.route("GET", PATH, slow)
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfUnavailable) as caught:
            await http.get_json(PATH)
    assert len(jamf.calls("GET", PATH)) == 4
    assert "no answer within 30 s" in caught.value.message


async def test_a_timing_out_post_is_not_resent() -> None:
    jamf = FakeJamf()

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    jamf.route("POST", PATH, slow)
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfOutcomeUnknown):
            await http.request("POST", PATH, json={})
    assert len(jamf.calls("POST", PATH)) == 1


async def test_an_unreachable_host_is_unavailable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    transport = httpx.MockTransport(refuse)
    async with open_jamf_http(client_connection(), transport=transport, retry=NO_WAIT) as http:
        with pytest.raises(JamfUnavailable, match=r"acme\.jamfcloud\.com is not responding"):
            await http.get_json(PATH)


async def test_a_403_names_the_privilege_jamf_mentions() -> None:
    jamf = FakeJamf()
    jamf.route(
        "GET",
        PATH,
        lambda _r: api_error(403, "Forbidden: requires privilege Read Computers", "FORBIDDEN"),
    )
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        with pytest.raises(JamfPermissionDenied) as caught:
            await http.get_json(PATH, privilege="Read Something Else")
    assert caught.value.privilege == "Read Computers"
    assert "Grant the privilege 'Read Computers'" in caught.value.message


async def test_a_bare_403_names_the_privilege_the_endpoint_needs() -> None:
    jamf = FakeJamf()
    jamf.route("GET", PATH, lambda _r: api_error(403))
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        with pytest.raises(JamfPermissionDenied) as caught:
            await http.get_json(PATH, privilege="Read Policies")
    assert caught.value.privilege == "Read Policies"


async def test_a_400_is_rejected_with_jamfs_description() -> None:
    jamf = FakeJamf()
    jamf.route(
        "GET",
        PATH,
        lambda _r: api_error(400, "Invalid field foo in filter expression", "INVALID_FIELD"),
    )
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        with pytest.raises(JamfRequestRejected, match="Invalid field foo in filter expression"):
            await http.get_json(PATH)
    assert len(jamf.calls("GET", PATH)) == 1, "client errors are not retried"


async def test_a_classic_html_error_page_is_reduced_to_its_text() -> None:
    page = (
        "<html><head><title>Status page</title><style>p{}</style></head><body>"
        "<h1>Conflict</h1><p>Error: Problem with category</p><p>You can get technical details "
        "<a href='x'>here</a>.</p></body></html>"
    )
    jamf = FakeJamf()
    jamf.route(
        "PUT",
        PATH,
        lambda _r: httpx.Response(409, text=page, headers={"Content-Type": "text/html"}),
    )
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        with pytest.raises(JamfRequestRejected) as caught:
            await http.request("PUT", PATH, content="<policy/>")
    assert "Conflict: Error: Problem with category" in caught.value.message
    assert "<" not in caught.value.message


async def test_a_404_is_left_to_the_caller() -> None:
    jamf = FakeJamf()
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        with pytest.raises(JamfResourceMissing):
            await http.get_json("/api/v1/nowhere")


async def test_never_has_more_requests_in_flight_than_configured() -> None:
    jamf = FakeJamf()

    async def slow(_request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.01)
        return httpx.Response(200, json={})

    jamf.route("GET", PATH, slow)
    connection = client_connection(max_in_flight=3)
    async with open_jamf_http(connection, transport=jamf.transport()) as http:
        await asyncio.gather(*(http.get_json(PATH) for _ in range(20)))
    assert jamf.max_in_flight == 3
    assert len(jamf.calls("GET", PATH)) == 20


async def test_sends_a_json_accept_header_by_default() -> None:
    jamf = FakeJamf()
    jamf.route("GET", PATH, ok_json([]))
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        await http.get_json(PATH)
    assert jamf.calls("GET", PATH)[0].headers["Accept"] == "application/json"
