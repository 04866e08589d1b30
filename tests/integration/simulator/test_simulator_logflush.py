"""Policy log flush in Jamf's documented forms only, and check-ins at the tenant's frequency.

developer.jamf.com, "Flushes a log specified in an XML file" (DELETE /JSSResource/logflush):
"The ability to flush logs is currently only supported for flushing all logs for a given policy
or all logs for a given computer. There is no support for flushing logs for a given policy and
computer combination."
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.simulator.sim_support import NOW, fetch_token, make_client

JSON = {"Accept": "application/json"}
DEV_TOOLS = 10  # "Engineering Developer Tools": Once per computer, scoped to static group 5
PILOT_GROUP = 5


@pytest.fixture
def fast_sim() -> JamfSimulator:
    """A small tenant whose Macs check in every 5 minutes (Jamf's shortest frequency)."""
    return JamfSimulator(SimulatorOptions(computers=60, now=NOW, check_in_frequency_minutes=5))


def _computers_flush(computer_ids: list[int], interval: str = "Zero Days") -> bytes:
    """Jamf's documented "Flush all logs for computer(s)" body."""
    computers = "".join(f"<computer><id>{cid}</id></computer>" for cid in computer_ids)
    return (
        f"<logflush><log>policy</log><interval>{interval}</interval>"
        f"<computers>{computers}</computers></logflush>"
    ).encode()


def _policy_flush(policy_id: int, interval: str = "THREE MONTHS") -> bytes:
    """Jamf's documented "Flush all logs for a policy" body."""
    return (
        f"<logflush><log>policy</log><log_id>{policy_id}</log_id>"
        f"<interval>{interval}</interval></logflush>"
    ).encode()


def _combined(policy_id: int, computer_ids: list[int]) -> bytes:
    """The Classic swagger's sample: log_id AND computers — the unsupported combination."""
    computers = "".join(f"<computer><id>{cid}</id></computer>" for cid in computer_ids)
    return (
        f"<logflush><log>policy</log><log_id>{policy_id}</log_id><interval>Zero Days</interval>"
        f"<computers>{computers}</computers></logflush>"
    ).encode()


async def _runs(client: httpx.AsyncClient, computer_id: int, policy_id: int) -> list[Any]:
    client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
    response = await client.get(
        f"/JSSResource/computerhistory/id/{computer_id}/subset/PolicyLogs", headers=JSON
    )
    logs = response.json()["computer_history"]["policy_logs"]
    return [log for log in logs if log["policy_id"] == policy_id]


async def test_macs_check_in_at_the_tenants_frequency_which_the_api_reports(
    fast_sim: JamfSimulator,
) -> None:
    assert SimulatorOptions().check_in_frequency_minutes == 15
    first = fast_sim.tick(300)
    assert first.check_ins > 0
    assert fast_sim.tick(150).check_ins == 0
    assert fast_sim.tick(150).check_ins == first.check_ins
    async with make_client(fast_sim) as client:
        client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
        settings = (await client.get("/api/v3/check-in")).json()
    assert settings["checkInFrequency"] == 5


async def test_flushing_lets_a_once_per_computer_policy_run_again(
    fast_sim: JamfSimulator,
) -> None:
    pilots = fast_sim.tenant.groups[PILOT_GROUP].members
    cid = next(r.id for r in fast_sim.tenant.computers if r.online and r.id not in pilots)
    async with make_client(fast_sim) as client:
        client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
        added = await client.put(
            f"/JSSResource/computergroups/id/{PILOT_GROUP}",
            content=f"<computer_group><computer_additions><computer><id>{cid}</id></computer>"
            "</computer_additions></computer_group>",
        )
        assert added.status_code == 201
        fast_sim.tick(300)
        [first] = await _runs(client, cid, DEV_TOOLS)
        fast_sim.tick(300)
        assert await _runs(client, cid, DEV_TOOLS) == [first]  # once per computer: no rerun
        flushed = await client.request(
            "DELETE", "/JSSResource/logflush", content=_computers_flush([cid])
        )
        assert flushed.status_code == 200
        assert await _runs(client, cid, DEV_TOOLS) == []
        fast_sim.tick(300)
        [second] = await _runs(client, cid, DEV_TOOLS)  # it ran a second time
        assert second["date_completed_epoch"] > first["date_completed_epoch"]


async def test_a_computers_flush_forgets_every_policy_log_of_those_computers_only(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    office = 4  # seeded on every one of the first 500 computers
    response = await writer.request(
        "DELETE", "/JSSResource/logflush", content=_computers_flush([2])
    )
    assert response.status_code == 200
    assert sim.tenant.policy_logs[2] == []
    assert len(await _runs(writer, 3, office)) == 1


async def test_a_policy_flush_forgets_that_policys_logs_on_every_computer(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    sim.tick(0)
    response = await writer.request(
        "DELETE", "/JSSResource/logflush", content=_policy_flush(4, "Zero Days")
    )
    assert response.status_code == 200
    assert await _runs(writer, 2, 4) == []
    assert await _runs(writer, 3, 4) == []
    assert len(await _runs(writer, 3, 1)) == 1  # other policies keep their logs


async def test_a_flush_of_one_policy_on_some_computers_is_refused_and_changes_nothing(
    writer: httpx.AsyncClient,
) -> None:
    response = await writer.request("DELETE", "/JSSResource/logflush", content=_combined(4, [2]))
    assert response.status_code == 400
    assert "policy and computer combination" in response.text
    assert len(await _runs(writer, 2, 4)) == 1


async def test_the_path_flush_accepts_an_interval_with_a_space(writer: httpx.AsyncClient) -> None:
    response = await writer.delete("/JSSResource/logflush/policy/id/4/interval/Zero%20Days")
    assert response.status_code == 200
    assert await _runs(writer, 2, 4) == []


async def test_an_old_interval_keeps_recent_logs(writer: httpx.AsyncClient) -> None:
    response = await writer.delete("/JSSResource/logflush/policy/id/45/interval/One+Year")
    assert response.status_code == 200
    assert len(await _runs(writer, 3, 45)) == 1


@pytest.mark.parametrize(
    "path",
    [
        "/JSSResource/logflush/policy/id/999/interval/Zero+Days",
        "/JSSResource/logflush/policy/id/4/interval/Forever",
    ],
)
async def test_an_unknown_policy_or_interval_is_not_found(
    writer: httpx.AsyncClient, path: str
) -> None:
    response = await writer.delete(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


async def test_an_xml_flush_refuses_a_doctype(writer: httpx.AsyncClient) -> None:
    body = b'<!DOCTYPE x [<!ENTITY e "4">]>' + _computers_flush([2])
    response = await writer.request("DELETE", "/JSSResource/logflush", content=body)
    assert response.status_code == 400
    assert len(await _runs(writer, 2, 4)) == 1


async def test_an_xml_flush_of_other_log_kinds_is_refused(writer: httpx.AsyncClient) -> None:
    body = _computers_flush([2]).replace(b"<log>policy</log>", b"<log>computer</log>")
    response = await writer.request("DELETE", "/JSSResource/logflush", content=body)
    assert response.status_code == 400
