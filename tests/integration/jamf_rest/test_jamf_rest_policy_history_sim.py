"""Policy history against the simulator: a run caused through the policy runner, filters, errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jamf_mcp.domain.errors import DeviceNotFound, InvalidRequest
from jamf_mcp.domain.jamf_operations import PolicyRun
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on

SOFTWARE_UPDATE = 45
INVENTORY = 1
MAC = "123"
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@pytest.fixture
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=200, now=NOW))


def _logged(sim: JamfSimulator, computer_id: str, policy_id: int) -> list[int]:
    logs = sim.tenant.policy_logs.get(int(computer_id), [])
    return sorted(log.completed_ms for log in logs if log.policy_id == policy_id)


async def test_a_run_caused_by_scope_and_a_computer_flush_shows_at_the_next_check_in(
    sim: JamfSimulator,
) -> None:
    sim.tenant.policies[SOFTWARE_UPDATE]["scope"]["all_computers"] = False
    async with jamf_on(sim) as (ports, _, _):
        runner, history = ports.policy_runner, ports.policy_history
        group = await runner.scope_group(SOFTWARE_UPDATE)
        await runner.add_to_group(group, [MAC])
        await runner.flush_computer_logs([MAC])
        started = datetime.fromtimestamp(sim.tenant.now_ms() / 1000, tz=UTC)
        assert await history.runs(MAC, SOFTWARE_UPDATE, started) == ()
        assert await history.history(MAC) == ()  # ALL its policy logs are gone
        report = sim.tick(15 * 60)  # the tenant's check-in frequency
        runs = await history.runs(MAC, SOFTWARE_UPDATE, started)
    assert report.policy_runs >= 1
    completed = datetime.fromtimestamp(report.now_ms / 1000, tz=UTC)
    assert runs == (PolicyRun(SOFTWARE_UPDATE, completed, "Completed", "Software Update"),)
    assert runs[0].succeeded


async def test_runs_are_those_of_the_policy_since_the_cutoff_oldest_first(
    sim: JamfSimulator,
) -> None:
    every_run = _logged(sim, MAC, INVENTORY)
    sim.tenant.record_run(sim.tenant.policies[INVENTORY], sim.tenant.computers_by_id[123], 10**12)
    async with jamf_on(sim) as (ports, _, _):
        history = ports.policy_history
        since_ever = await history.runs(MAC, INVENTORY, LONG_AGO)
        cutoff = datetime.fromtimestamp(every_run[-1] / 1000, tz=UTC)
        since_last = await history.runs(MAC, INVENTORY, cutoff)
        after_all = await history.runs(MAC, INVENTORY, cutoff + timedelta(milliseconds=1))
    assert [int(run.completed_at.timestamp() * 1000) for run in since_ever] == [
        10**12,
        *every_run,
    ]
    assert {run.policy_id for run in since_ever} == {INVENTORY}
    assert [run.completed_at for run in since_last] == [cutoff]
    assert after_all == ()


async def test_a_naive_cutoff_is_taken_as_utc(sim: JamfSimulator) -> None:
    last = _logged(sim, MAC, INVENTORY)[-1]
    cutoff = datetime.fromtimestamp(last / 1000, tz=UTC)
    async with jamf_on(sim) as (ports, _, _):
        runs = await ports.policy_history.runs(MAC, INVENTORY, cutoff.replace(tzinfo=None))
    assert [run.completed_at for run in runs] == [cutoff]


async def test_the_history_is_read_as_json_from_the_policy_logs_subset(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        await ports.policy_history.runs(MAC, INVENTORY, LONG_AGO)
    [read] = recorder.paths(f"/JSSResource/computerhistory/id/{MAC}/subset/PolicyLogs")
    request = next(r for r in recorder.requests if r.url == read)
    assert request.method == "GET"
    assert request.headers["Accept"] == "application/json"


async def test_an_unknown_computer_is_device_not_found(sim: JamfSimulator) -> None:
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(DeviceNotFound):
            await ports.policy_history.runs("987654", INVENTORY, LONG_AGO)


async def test_a_computer_id_that_is_not_a_number_is_refused_before_anything_is_sent(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        with pytest.raises(InvalidRequest):
            await ports.policy_history.runs("123/subset/General", INVENTORY, LONG_AGO)
    assert recorder.requests == []
