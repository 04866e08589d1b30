"""Policy log flush (path and XML forms) and the configurable check-in interval."""

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
    """A small tenant whose Macs check in every minute."""
    return JamfSimulator(SimulatorOptions(computers=60, now=NOW, check_in_interval_seconds=60))


def _flush_xml(policy_id: int, computer_ids: list[int], interval: str = "Zero Days") -> bytes:
    computers = "".join(f"<computer><id>{cid}</id></computer>" for cid in computer_ids)
    return (
        f"<logflush><log>policy</log><log_id>{policy_id}</log_id><interval>{interval}</interval>"
        f"<computers>{computers}</computers></logflush>"
    ).encode()


async def _runs(client: httpx.AsyncClient, computer_id: int, policy_id: int) -> list[Any]:
    client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
    response = await client.get(
        f"/JSSResource/computerhistory/id/{computer_id}/subset/PolicyLogs", headers=JSON
    )
    logs = response.json()["computer_history"]["policy_logs"]
    return [log for log in logs if log["policy_id"] == policy_id]


async def test_the_check_in_interval_is_configurable(fast_sim: JamfSimulator) -> None:
    assert SimulatorOptions().check_in_interval_seconds == 900
    first = fast_sim.tick(60)
    assert first.check_ins > 0
    assert fast_sim.tick(30).check_ins == 0
    assert fast_sim.tick(30).check_ins == first.check_ins


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
        fast_sim.tick(60)
        [first] = await _runs(client, cid, DEV_TOOLS)
        fast_sim.tick(60)
        assert await _runs(client, cid, DEV_TOOLS) == [first]  # once per computer: no rerun
        flushed = await client.request(
            "DELETE", "/JSSResource/logflush", content=_flush_xml(DEV_TOOLS, [cid])
        )
        assert flushed.status_code == 200
        assert await _runs(client, cid, DEV_TOOLS) == []
        fast_sim.tick(60)
        [second] = await _runs(client, cid, DEV_TOOLS)  # it ran a second time
        assert second["date_completed_epoch"] > first["date_completed_epoch"]


async def test_an_xml_flush_touches_only_the_listed_computers(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    office = 4  # seeded on every one of the first 500 computers
    response = await writer.request(
        "DELETE", "/JSSResource/logflush", content=_flush_xml(office, [2])
    )
    assert response.status_code == 200
    assert await _runs(writer, 2, office) == []
    assert len(await _runs(writer, 3, office)) == 1


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
    body = b'<!DOCTYPE x [<!ENTITY e "4">]>' + _flush_xml(4, [2])
    response = await writer.request("DELETE", "/JSSResource/logflush", content=body)
    assert response.status_code == 400
    assert len(await _runs(writer, 2, 4)) == 1


async def test_an_xml_flush_of_other_log_kinds_is_refused(writer: httpx.AsyncClient) -> None:
    body = _flush_xml(4, [2]).replace(b"<log>policy</log>", b"<log>computer</log>")
    response = await writer.request("DELETE", "/JSSResource/logflush", content=body)
    assert response.status_code == 400
