"""The tenant's check-in frequency through `GET /api/v3/check-in` (ClientCheckInV3)."""

from __future__ import annotations

from jamf_mcp.domain.jamf_operations import CheckInSettings
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, jamf_on, sim_connection

PATH = "/api/v3/check-in"


async def test_the_frequency_is_read_once_and_cached() -> None:
    sim = JamfSimulator(SimulatorOptions(computers=10, now=NOW, check_in_frequency_minutes=30))
    async with jamf_on(sim) as (ports, _, recorder):
        first = await ports.check_in.settings()
        again = await ports.check_in.settings()
    assert first == again == CheckInSettings(30, known=True)
    assert len(recorder.paths(PATH)) == 1


async def test_without_the_privilege_jamfs_default_is_assumed_and_said_to_be() -> None:
    # 11.30.1 schema: GET /v3/check-in x-required-privileges ["Read Computer Check-In"];
    # ClientCheckInV3.checkInFrequency "default": 15.
    sim = JamfSimulator(SimulatorOptions(computers=10, now=NOW, check_in_frequency_minutes=60))
    sim.add_api_client("narrow", "narrow-secret", frozenset({"Read Computers"}))
    connection = sim_connection(client_id="narrow", client_secret="narrow-secret")
    async with jamf_on(sim, connection=connection) as (ports, _, recorder):
        settings = await ports.check_in.settings()
    assert settings == CheckInSettings(15, known=False)
    assert recorder.statuses[403] == 1
