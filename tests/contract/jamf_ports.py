"""The Jamf ports on both sides of their contract: the in-memory fakes and the Jamf REST adapter
over the simulator, built from the same tenant so one suite can run the same cases on each.

The fakes are filled from what the adapter reads from the simulator (every device with every
aspect, every policy id), so any difference a case finds is a difference of behaviour, not data.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from jamf_mcp.adapters.jamf_rest import JamfPorts
from jamf_mcp.adapters.memory import InMemoryDeviceInventory
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.queries import ALL_ASPECTS, DeviceQuery
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on

JAMF_BACKENDS = ["memory", "jamf"]
"""`memory`: the fake in `adapters/memory`; `jamf`: the REST adapter over the simulator."""


def small_tenant() -> JamfSimulator:
    """A simulated tenant small enough to copy whole: 60 computers and 20 mobile devices."""
    return JamfSimulator(SimulatorOptions(computers=60, mobile_devices=20, now=NOW))


async def whole_fleet(ports: JamfPorts) -> list[Device]:
    """Every computer and mobile device with every aspect, as the adapter reads them."""
    fleet: list[Device] = []
    for kind in (DeviceKind.COMPUTER, DeviceKind.MOBILE):
        fleet += [d async for d in ports.inventory.stream(kind, DeviceQuery(), aspects=ALL_ASPECTS)]
    return fleet


@asynccontextmanager
async def jamf_ports(sim: JamfSimulator) -> AsyncIterator[JamfPorts]:
    """The adapter's ports over `sim`; every exchange is checked against Jamf's documents."""
    async with jamf_on(sim) as (ports, _, _):
        yield ports


async def memory_inventory(sim: JamfSimulator) -> InMemoryDeviceInventory:
    """The in-memory inventory holding the same fleet as `sim`."""
    async with jamf_ports(sim) as ports:
        return InMemoryDeviceInventory(await whole_fleet(ports))
