"""The simulator against Jamf's own API documents: it accepts what they allow and refuses the rest.

(Every request the Jamf adapter sends, and every answer it gets, is checked against the same
documents by `jamf_on` in the adapter tests: see `tests/integration/jamf_rest/jamf_sim.py`.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.contract.jamf_schema import (
    allow_lists,
    operation,
    pro_api_document,
    request_problems,
    response_problems,
)
from tests.integration.simulator.sim_support import NOW, fetch_token, make_client

VERSION = "11.30.1-t1784555528405"


@pytest.fixture(scope="module")
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=50, now=NOW))


@pytest.fixture
async def api(sim: JamfSimulator) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(sim) as client:
        client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
        yield client


def _field_known(response: httpx.Response, field: str) -> bool:
    """True unless the answer refuses the field itself (a value of the wrong type may be)."""
    return response.status_code == 200 or (
        f"Invalid field {field}" not in response.text and response.status_code == 400
    )


def _allowed(path: str, kind: str) -> frozenset[str]:
    op = operation(pro_api_document(VERSION), "get", path)
    assert op is not None
    return allow_lists(op)[kind]


async def _checked(api: httpx.AsyncClient, path: str, **params: object) -> httpx.Response:
    response = await api.get(path, params=params)  # type: ignore[arg-type]
    accepted = response.is_success
    problems = request_problems(response.request, VERSION, accepted=accepted)
    problems += response_problems(response.request, response.status_code, response.content, VERSION)
    assert not problems, problems
    return response


@pytest.mark.parametrize("version", ["v1", "v3", "v4"])
async def test_every_filter_field_jamf_allows_on_computers_is_accepted(
    api: httpx.AsyncClient, version: str
) -> None:
    path = f"/api/{version}/computers-inventory"
    for field in sorted(_allowed(path, "query")):
        response = await api.get(path, params={"filter": f'{field}=="x"', "page-size": 1})
        assert _field_known(response, field), (field, response.text)


async def test_the_v4_filter_still_allows_last_reported_ip() -> None:
    # 11.30.1 /api/schema, GET /v4/computers-inventory, filter: "Fields allowed in the query: …
    # `general.reportDate`, `general.lastReportedIp`, `general.lastReportedIpV4`, …"
    assert "general.lastReportedIp" in _allowed("/api/v4/computers-inventory", "query")


async def test_every_filter_and_sort_field_jamf_allows_on_mobile_devices_is_accepted(
    api: httpx.AsyncClient,
) -> None:
    path = "/api/v2/mobile-devices/detail"
    for field in sorted(_allowed(path, "query")):
        response = await api.get(path, params={"filter": f'{field}=="x"', "page-size": 1})
        assert _field_known(response, field), (field, response.text)
    for field in sorted(_allowed(path, "sort")):
        response = await _checked(api, path, sort=f"{field}:asc", **{"page-size": 1})
        assert response.status_code == 200, (field, response.text)


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v4/computers-inventory", {"filter": 'general.lastContactTime=="x"'}),  # v1 name
        ("/api/v4/computers-inventory", {"sort": "general.lastContactTime:asc"}),
        ("/api/v1/computers-inventory", {"filter": 'security.sipStatus=="ENABLED"'}),
        ("/api/v4/computers-inventory", {"section": "PLUGINS"}),  # v1 only
        ("/api/v2/mobile-devices/detail", {"section": "NOT_A_SECTION"}),
        ("/api/v2/mobile-devices/detail", {"exception-handling": "SOMETIMES"}),
        ("/api/v2/mobile-devices/detail", {"filter": 'lostModeMessage=="x"'}),
        ("/api/v2/mdm/commands", {"filter": 'deviceName=="x"'}),
    ],
)
async def test_what_the_schema_does_not_allow_is_refused_with_jamfs_error_shape(
    api: httpx.AsyncClient, path: str, params: dict[str, str]
) -> None:
    response = await api.get(path, params=params)
    assert response.status_code == 400
    body = response.json()
    assert body["httpStatus"] == 400
    assert body["errors"] and {"code", "description", "id", "field"} <= body["errors"][0].keys()
    assert request_problems(response.request, VERSION, accepted=True)  # the contract agrees


async def test_an_unknown_mdm_command_type_is_refused_with_jamfs_error_shape(
    api: httpx.AsyncClient, sim: JamfSimulator
) -> None:
    mac = sim.tenant.facts.management_id(sim.tenant.computers[0])
    response = await api.post(
        "/api/v2/mdm/commands",
        json={
            "clientData": [{"managementId": mac}],
            "commandData": {"commandType": "UPDATE_INVENTORY"},
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "commandData.commandType"
    assert request_problems(response.request, VERSION, accepted=True)


async def test_the_check_in_settings_answer_validates_against_client_check_in_v3(
    api: httpx.AsyncClient,
) -> None:
    response = await _checked(api, "/api/v3/check-in")
    assert response.json()["checkInFrequency"] == 15


def test_the_contract_check_catches_an_endpoint_jamf_does_not_have() -> None:
    invented = httpx.Request("POST", "http://jamf.test/api/v1/policies/45/retry/7")
    classic = httpx.Request("POST", "http://jamf.test/JSSResource/computerinventoryrun/id/7")
    assert request_problems(invented, VERSION, accepted=True)
    assert classic_ok(httpx.Request("DELETE", "http://jamf.test/JSSResource/logflush"))
    assert request_problems(classic, VERSION, accepted=True)


def classic_ok(request: httpx.Request) -> bool:
    return request_problems(request, VERSION, accepted=True) == []


def test_an_older_server_is_checked_against_its_own_schema() -> None:
    # v4 computers-inventory arrived in 11.30.0: an 11.23 server has no such operation.
    v4 = httpx.Request("GET", "http://jamf.test/api/v4/computers-inventory")
    assert request_problems(v4, "11.23.2-t1", accepted=True)
    assert not request_problems(
        httpx.Request("GET", "http://jamf.test/api/v3/computers-inventory"),
        "11.23.2",
        accepted=True,
    )


def test_the_contract_refuses_a_log_flush_of_one_policy_on_some_computers() -> None:
    # The Classic swagger's own sample; Jamf's reference page says it is not supported.
    combined = (
        b"<logflush><log>policy</log><log_id>2</log_id><interval>THREE MONTHS</interval>"
        b"<computers><computer><id>1</id></computer></computers></logflush>"
    )
    computers = combined.replace(b"<log_id>2</log_id>", b"")
    url = "http://jamf.test/JSSResource/logflush"
    assert request_problems(httpx.Request("DELETE", url, content=combined), VERSION, accepted=True)
    assert not request_problems(
        httpx.Request("DELETE", url, content=computers), VERSION, accepted=True
    )
