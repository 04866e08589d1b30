"""`JamfRestAccess`: the doctor's look at this server's Jamf access, against the simulator over
ASGI and, for TLS, against a real HTTPS server on loopback.

`GET /api/v1/auth` is read as Jamf's OpenAPI schema (11.30.1) describes `AuthorizationV1`:
`account.privilegesBySite` maps site ids to privilege names, `accountGroups[].privileges` adds
group privileges, `privilegeSet` `ADMINISTRATOR` means every privilege, `authenticationType`
`CLIENT_CREDENTIALS` marks an API client.
"""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from litestar import Litestar, get

from jamf_mcp.adapters.jamf_rest.doctor_access import JamfRestAccess
from jamf_mcp.adapters.jamf_rest.privileges import PRIVILEGE_NEEDS, granted_from_authorization
from jamf_mcp.domain.diagnostics import GrantedPrivileges, Reachability
from jamf_mcp.domain.errors import JamfPermissionDenied
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from jamf_mcp.simulator.privileges import (
    CATALOGUE,
    READ_ONLY_CLIENT_ID,
    READ_ONLY_CLIENT_SECRET,
    READ_ONLY_PRIVILEGES,
)
from tests.integration.jamf_rest.jamf_sim import SIM_URL, jamf_on, sim_connection
from tests.support.tls import self_signed, serving_tls

SCHEMA_EXAMPLE = {  # AuthorizationV1 as the OpenAPI document's examples fill it (11.30.1)
    "account": {
        "id": "1",
        "username": "admin",
        "realName": "IT Bob",
        "email": "ITBob@Jamf.com",
        "preferences": {"language": "en", "dateFormat": "MM/dd/yyyy"},
        "multiSiteAdmin": True,
        "accessLevel": "FullAccess",
        "privilegeSet": "CUSTOM",
        "privilegesBySite": {"1": ["Read SSO Settings", "Delete eBooks"]},
        "groupIds": ["1", "3"],
        "currentSiteId": "1",
    },
    "accountGroups": [
        {
            "accessLevel": "FullAccess",
            "privilegeSet": "CUSTOM",
            "siteId": 1,
            "privileges": "Read SSO Settings",
            "memberUserIds": [1, 3],
        },
        {"privilegeSet": "CUSTOM", "siteId": 1, "privileges": ["Read Computers"]},
    ],
    "sites": [{"id": "1", "name": "Eau Claire"}],
    "authenticationType": "JSS",
}


def test_reads_privileges_from_the_schema_shape_of_the_authorization_answer() -> None:
    granted = granted_from_authorization(SCHEMA_EXAMPLE)
    assert granted == GrantedPrivileges(
        frozenset({"Read SSO Settings", "Delete eBooks", "Read Computers"}),
        everything=False,
        account_kind="user account",
    )
    administrator = {**SCHEMA_EXAMPLE, "account": {"privilegeSet": "ADMINISTRATOR"}}
    assert granted_from_authorization(administrator).everything
    assert granted_from_authorization("not an object") == GrantedPrivileges()


async def test_the_simulators_demo_clients_report_their_privileges_like_jamf() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=20))
    async with jamf_on(sim) as (_, full_http, _transport), httpx.AsyncClient() as unused:
        full = await JamfRestAccess(full_http, unused, embedded=True).granted_privileges()
    readonly = sim_connection(client_id=READ_ONLY_CLIENT_ID, client_secret=READ_ONLY_CLIENT_SECRET)
    async with (
        jamf_on(sim, connection=readonly) as (_, http, _transport),
        httpx.AsyncClient() as unused,
    ):
        access = JamfRestAccess(http, unused, embedded=True)
        partial = await access.granted_privileges()
        minutes = await access.check_in_frequency_minutes()
        version = await access.server_version()
    assert full == GrantedPrivileges(frozenset(CATALOGUE), account_kind="API client")
    assert partial.names == READ_ONLY_PRIVILEGES
    assert (minutes, version) == (15, "11.30.1-t1784555528405")
    assert access.account == f'API client "{READ_ONLY_CLIENT_ID}"'


async def test_every_privilege_the_table_names_is_in_the_simulators_catalogue() -> None:
    assert {need.privilege for need in PRIVILEGE_NEEDS} <= set(CATALOGUE)


async def test_check_in_settings_need_read_computer_check_in() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=20))
    sim.add_api_client("blind", "blind-secret", frozenset({"Read Computers"}))
    connection = sim_connection(client_id="blind", client_secret="blind-secret")
    async with (
        jamf_on(sim, connection=connection) as (_, http, _transport),
        httpx.AsyncClient() as unused,
    ):
        access = JamfRestAccess(http, unused, embedded=True)
        with pytest.raises(JamfPermissionDenied) as denied:
            await access.check_in_frequency_minutes()
    assert denied.value.privilege == "Read Computer Check-In"


def _health_app() -> Litestar:
    @get("/healthCheck.html", sync_to_thread=False)
    def health() -> list[str]:
        return []

    return Litestar(route_handlers=[health])


async def _reach(url: str, verify: object = True) -> tuple[Reachability, str]:
    sim = JamfSimulator(SimulatorOptions(computers=20))
    async with (
        jamf_on(sim) as (_, http, _transport),
        httpx.AsyncClient(base_url=url, verify=verify, timeout=5) as probe,  # type: ignore[arg-type]
    ):
        attempt = await JamfRestAccess(http, probe, embedded=False).reach()
    return attempt.outcome, attempt.detail


async def test_a_certificate_nobody_trusts_is_reported_as_such(tmp_path: Path) -> None:
    tls = self_signed(tmp_path)
    with serving_tls(_health_app(), tls) as url:
        untrusted = await _reach(url)
        trusted = await _reach(url, tls.trusting_context())
    assert untrusted[0] is Reachability.CERTIFICATE_REJECTED
    assert "certificate" in untrusted[1]
    assert trusted == (Reachability.REACHED, "/healthCheck.html answered HTTP 200")


async def test_plain_http_and_a_closed_port_are_told_apart() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"https://127.0.0.1:{sock.getsockname()[1]}"
    assert (await _reach(closed))[0] is Reachability.UNREACHABLE
    transport = httpx.ASGITransport(app=_health_app())
    sim = JamfSimulator(SimulatorOptions(computers=20))
    async with (
        jamf_on(sim) as (_, http, _transport),
        httpx.AsyncClient(base_url=SIM_URL, transport=transport) as probe,
    ):
        plain = await JamfRestAccess(http, probe, embedded=False).reach()
    assert plain.outcome is Reachability.NOT_TLS
