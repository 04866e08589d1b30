"""Simulated check-ins: clock advance, policy runs by frequency, recon, offline Macs, log flush."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from jamf_mcp.simulator import JamfSimulator
from tests.integration.simulator.sim_support import fetch_token

JSON = {"Accept": "application/json"}


async def _logs(client: httpx.AsyncClient, computer_id: int) -> list[dict[str, Any]]:
    # ticking moves the tenant clock, so earlier tokens may have expired: always use a fresh one
    client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
    response = await client.get(
        f"/JSSResource/computerhistory/id/{computer_id}/subset/PolicyLogs", headers=JSON
    )
    return list(response.json()["computer_history"]["policy_logs"])


def _online(sim: JamfSimulator) -> int:
    return next(r.id for r in sim.tenant.computers if r.online and r.managed)


async def test_a_day_later_software_update_runs_again_and_contact_is_fresh(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    cid = _online(sim)
    before = [log for log in await _logs(writer, cid) if log["policy_id"] == 45]
    report = sim.tick(timedelta(days=1, hours=1).total_seconds())
    after = [log for log in await _logs(writer, cid) if log["policy_id"] == 45]
    assert report.check_ins > 0 and report.policy_runs > 0
    assert len(after) == len(before) + 1
    assert sim.tenant.computers_by_id[cid].last_contact == report.now_ms


async def test_recon_policies_bump_the_report_date(sim: JamfSimulator) -> None:
    rec = sim.tenant.computers_by_id[_online(sim)]
    sim.tick(timedelta(days=8).total_seconds())
    assert rec.report == rec.last_contact


async def test_once_per_computer_policies_do_not_run_twice(sim: JamfSimulator) -> None:
    sim.tick(3600)
    sim.tick(3600)
    for logs in sim.tenant.policy_logs.values():
        chrome = [log for log in logs if log.policy_id == 2]
        assert len(chrome) <= 1


async def test_stale_macs_stay_offline_and_keep_ageing(sim: JamfSimulator) -> None:
    before = sim.tenant.computers_by_id[1].last_contact
    sim.tick(3600)
    assert sim.tenant.computers_by_id[1].last_contact == before


async def test_disabled_policies_never_run(sim: JamfSimulator) -> None:
    sim.tick(timedelta(days=2).total_seconds())
    assert all(log.policy_id != 6 for logs in sim.tenant.policy_logs.values() for log in logs)


async def test_flushing_logs_lets_once_per_computer_policies_rerun(
    sim: JamfSimulator, writer: httpx.AsyncClient
) -> None:
    cid = _online(sim)
    sim.tick(3600)
    writer.headers["Authorization"] = f"Bearer {await fetch_token(writer)}"
    flushed = await writer.delete("/JSSResource/logflush/policy/id/4/interval/Zero+Days")
    assert flushed.status_code == 200
    assert all(log["policy_id"] != 4 for log in await _logs(writer, cid))
    sim.tick(3600)
    assert any(log["policy_id"] == 4 for log in await _logs(writer, cid))
