"""Fault injection, latency, the concurrency cap and request statistics."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.simulator.sim_support import NOW, fetch_token, make_client


def _sim(**options: Any) -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=50, now=NOW, **options))


async def test_a_500_rate_of_one_fails_every_request_with_an_api_error() -> None:
    sim = _sim(fault_rates={500: 1.0})
    async with make_client(sim) as client:
        response = await client.get("/api/v1/jamf-pro-version")
    assert response.status_code == 500
    assert response.json() == {"httpStatus": 500, "errors": []}
    assert "retry-after" not in response.headers
    assert response.headers["set-cookie"].startswith("jpro-ingress=")


async def test_edge_errors_come_as_html_pages(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        for status in (502, 504):
            sim.faults.fault_rates = {status: 1.0}
            response = await client.get("/api/v1/computers-inventory")
            assert response.status_code == status
            assert response.headers["content-type"].startswith("text/html")
        sim.faults.fault_rates = {503: 1.0}
        assert (await client.post("/api/oauth/token")).status_code == 503
        sim.faults.fault_rates = {}
        assert (await client.get("/healthCheck.html")).status_code == 200


async def test_requests_beyond_the_concurrency_cap_get_503_at_once() -> None:
    sim = _sim(concurrency_cap=2, latency_ms=100)
    async with make_client(sim) as client:
        started = time.perf_counter()
        responses = await asyncio.gather(*(client.get("/healthCheck.html") for _ in range(5)))
        elapsed = time.perf_counter() - started
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200, 200, 503, 503, 503]
    assert sim.stats.max_in_flight == 2
    assert elapsed < 1.0


async def test_latency_delays_every_request() -> None:
    sim = _sim(latency_ms=60)
    async with make_client(sim) as client:
        started = time.perf_counter()
        await client.get("/healthCheck.html")
    assert time.perf_counter() - started >= 0.06


async def test_stats_count_requests_by_route_template(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
        await client.get("/api/v1/computers-inventory-detail/1")
        await client.get("/api/v1/computers-inventory-detail/2")
    assert sim.stats.requests["GET /api/v1/computers-inventory-detail/{computer_id}"] == 2
    assert sim.stats.token_requests == 1
    assert sim.stats.total == 3
    sim.stats.reset()
    assert sim.stats.total == 0 and sim.stats.token_requests == 0


async def test_a_shared_client_is_usable_concurrently(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
        pages = await asyncio.gather(
            *(
                client.get("/api/v1/computers-inventory", params={"page": p, "page-size": 100})
                for p in range(5)
            )
        )
    assert all(isinstance(p, httpx.Response) and p.status_code == 200 for p in pages)


GROUP_PUT = "PUT /JSSResource/computergroups/id/{group_id}"
ADD_123 = (
    "<computer_group><computer_additions><computer><id>123</id></computer>"
    "</computer_additions></computer_group>"
)


async def _authorized(client: httpx.AsyncClient) -> httpx.AsyncClient:
    client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
    return client


async def test_a_route_fault_hits_only_its_route_and_applies_nothing(sim: JamfSimulator) -> None:
    sim.faults.route_fault_rates[GROUP_PUT] = {504: 1.0}
    async with make_client(sim) as client:
        await _authorized(client)
        put = await client.put("/JSSResource/computergroups/id/7", content=ADD_123)
        read = await client.get("/JSSResource/computergroups/id/7")
    assert put.status_code == 504
    assert put.headers["content-type"].startswith("text/html")
    assert read.status_code == 200
    assert 123 not in sim.tenant.groups[7].members
    assert sim.stats.requests[GROUP_PUT] == 1


async def test_route_faults_add_to_the_global_rates_and_follow_the_seed() -> None:
    async def statuses() -> list[int]:
        sim = _sim(fault_rates={500: 0.2})
        sim.faults.route_fault_rates["GET /healthCheck.html"] = {502: 0.3}
        async with make_client(sim) as client:
            return [(await client.get("/healthCheck.html")).status_code for _ in range(60)]

    first, second = await statuses(), await statuses()
    assert first == second
    assert {500, 502, 200} <= set(first)


async def test_a_route_delay_holds_the_answer_back_after_the_change_is_applied(
    sim: JamfSimulator,
) -> None:
    sim.faults.route_delays_ms[GROUP_PUT] = 300
    async with make_client(sim) as client:
        await _authorized(client)
        started = time.perf_counter()
        pending = asyncio.create_task(
            client.put("/JSSResource/computergroups/id/7", content=ADD_123)
        )
        await asyncio.sleep(0.1)
        applied_before_the_answer = 123 in sim.tenant.groups[7].members
        response = await pending
        elapsed = time.perf_counter() - started
        other = await client.get("/JSSResource/computergroups/id/7")
    assert applied_before_the_answer and not pending.cancelled()
    assert response.status_code == 201
    assert elapsed >= 0.3
    assert other.status_code == 200
