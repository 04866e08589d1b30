"""Fixtures that build a simulator and talk to it through httpx.ASGITransport."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.simulator.sim_support import NOW, fetch_token, make_client


@pytest.fixture(scope="session")
def shared_sim() -> JamfSimulator:
    """A default 500-computer tenant for read-only tests (built once)."""
    return JamfSimulator(SimulatorOptions(now=NOW))


@pytest.fixture
def sim() -> JamfSimulator:
    """A fresh default tenant for tests that write."""
    return JamfSimulator(SimulatorOptions(now=NOW))


@pytest.fixture
async def api(shared_sim: JamfSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """An authorized client on the shared read-only tenant."""
    async with make_client(shared_sim) as client:
        client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
        yield client


@pytest.fixture
async def writer(sim: JamfSimulator) -> AsyncIterator[httpx.AsyncClient]:
    """An authorized client on a fresh tenant."""
    async with make_client(sim) as client:
        client.headers["Authorization"] = f"Bearer {await fetch_token(client)}"
        yield client
