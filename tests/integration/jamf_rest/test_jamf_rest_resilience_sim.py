"""The adapter against a misbehaving simulator: token expiry, faults, a concurrency cap, big fleets, 403s."""

from __future__ import annotations

import asyncio

import pytest

from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import JamfCredentialsRejected, JamfPermissionDenied
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect
from jamf_mcp.simulator import DEMO_PASSWORD, DEMO_USERNAME, JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on, sim_connection

COMPUTER = DeviceKind.COMPUTER
GENERAL = frozenset({InventoryAspect.GENERAL})


async def test_signs_in_with_the_demo_api_client_and_with_the_demo_user() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=50, now=NOW))
    user = sim_connection(
        client_id=None, client_secret=None, username=DEMO_USERNAME, password=DEMO_PASSWORD
    )
    async with jamf_on(sim) as (ports, _, _):
        assert await ports.inventory.count(COMPUTER, DeviceQuery()) == 50
    async with jamf_on(sim, connection=user) as (ports, _, _):
        assert await ports.inventory.count(COMPUTER, DeviceQuery()) == 50
    assert sim.stats.token_requests == 2


async def test_wrong_credentials_are_rejected() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=10, now=NOW))
    async with jamf_on(sim, connection=sim_connection(client_secret="wrong")) as (ports, _, _):
        with pytest.raises(JamfCredentialsRejected):
            await ports.inventory.count(COMPUTER, DeviceQuery())


async def test_recovers_from_tokens_expired_between_calls_with_one_new_token() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=50, now=NOW))
    async with jamf_on(sim) as (ports, _, _):
        await ports.inventory.count(COMPUTER, DeviceQuery())
        assert sim.stats.token_requests == 1
        sim.expire_all_tokens()
        counts = await asyncio.gather(
            *(ports.inventory.count(COMPUTER, DeviceQuery()) for _ in range(8))
        )
    assert counts == [50] * 8
    assert sim.stats.token_requests == 2


async def test_twenty_concurrent_calls_stay_under_a_concurrency_cap_of_five() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=100, now=NOW, latency_ms=5, concurrency_cap=5))
    async with jamf_on(sim, connection=sim_connection(retry_attempts=1)) as (ports, _, recorder):
        pages = await asyncio.gather(
            *(
                ports.inventory.search(COMPUTER, DeviceQuery(), aspects=GENERAL, offset=i, limit=3)
                for i in range(20)
            )
        )
    assert all(len(page.items) == 3 and page.total == 100 for page in pages)
    assert sim.stats.max_in_flight <= 5
    assert recorder.statuses[503] == 0
    assert len(recorder.requests) >= 20


async def test_streams_a_fleet_through_injected_server_errors() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=300, now=NOW, fault_rates={500: 0.2}))
    connection = sim_connection(page_size=25, retry_attempts=8)
    async with jamf_on(sim, connection=connection) as (ports, _, recorder):
        ids = [
            d.identity.jamf_id
            async for d in ports.inventory.stream(COMPUTER, DeviceQuery(), aspects=GENERAL)
        ]
    assert sorted(ids, key=int) == [str(i) for i in range(1, 301)]
    assert recorder.statuses[500] > 0, "the faults really happened"


async def test_streams_all_4500_computers_in_pages_of_2000() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=4500, now=NOW))
    async with jamf_on(sim, connection=sim_connection(page_size=2000)) as (ports, _, recorder):
        ids = [
            d.identity.jamf_id
            async for d in ports.inventory.stream(COMPUTER, DeviceQuery(), aspects=GENERAL)
        ]
    assert len(ids) == len(set(ids)) == 4500
    pages = recorder.paths("/api/v4/computers-inventory")
    assert sorted(url.params["page"] for url in pages) == ["0", "1", "2"]
    assert {url.params["page-size"] for url in pages} == {"2000"}


async def test_a_missing_privilege_is_named_in_the_permission_error() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=10, now=NOW))
    sim.add_api_client(
        "limited", "limited-secret", frozenset({"Read Departments", "Read Buildings"})
    )
    limited = sim_connection(client_id="limited", client_secret="limited-secret")
    async with jamf_on(sim, connection=limited) as (ports, _, _):
        with pytest.raises(JamfPermissionDenied) as caught:
            await ports.inventory.count(COMPUTER, DeviceQuery())
    assert caught.value.privilege == "Read Computers"
    assert "Read Computers" in caught.value.message
