"""A hung Jamf Pro holds no tool call past its deadline; retries stay within it; people don't count.

Before: with Jamf hanging, a call waited about six times `JAMF_TIMEOUT_SECONDS` (retries and
queueing for the five in-flight slots) — longer than MCP clients wait. The simulator's fault
injection (Jamf's own behaviour under load is documented in its API reference as 503 load
shedding; a hang is the assumption "no answer at all") plays the hung and the failing tenant.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import mcp.types as types
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from tests.e2e.inprocess import InProcessServer, serving

DEADLINE = 2.0
SEARCH = {"searchTerm": "MAC-12"}


def client(server: InProcessServer, **options: Any) -> Client:
    transport = streamable_http_client(server.mcp_url, http_client=server.http("alice"))
    return Client(transport, mode="legacy", **options)


def api_requests(server: InProcessServer) -> dict[str, int]:
    return {
        route: count
        for route, count in server.simulator.stats.requests.items()
        if "oauth/token" not in route and "auth/token" not in route
    }


async def test_a_hung_jamf_answers_a_clear_error_at_the_deadline_and_cancels_its_requests(
    tmp_path: Path,
) -> None:
    async with (
        serving(tmp_path / "data", tool_deadline_seconds=DEADLINE) as server,
        client(server) as alice,
    ):
        assert (await alice.call_tool("searchDevices", SEARCH)).is_error is False
        server.simulator.faults.latency_ms = 600_000  # Jamf stops answering
        started = time.monotonic()
        hung = await alice.call_tool("searchDevices", SEARCH)
        waited = time.monotonic() - started
        assert hung.is_error is True
        text = hung.content[0].text  # type: ignore[union-attr]
        assert f"{DEADLINE:g} s deadline" in text
        assert "cancelled" in text
        assert waited < DEADLINE + 10  # the client hears back; Jamf would take 10 minutes
        for _ in range(100):  # the cancelled request leaves the simulator promptly
            if server.simulator.stats.in_flight == 0:
                break
            await asyncio.sleep(0.05)
        assert server.simulator.stats.in_flight == 0

        server.simulator.faults.latency_ms = 0.0  # Jamf is back: so is the server
        assert (await alice.call_tool("searchDevices", SEARCH)).is_error is False


async def test_retries_stop_when_the_next_one_could_not_finish_within_the_deadline(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path / "data", tool_deadline_seconds=DEADLINE) as server:
        async with client(server) as alice:
            assert (await alice.call_tool("searchDevices", SEARCH)).is_error is False
            before = api_requests(server)
            server.simulator.faults.fault_rates = {503: 1.0}  # load shedding on every request
            failing = await alice.call_tool("searchDevices", SEARCH)
            server.simulator.faults.fault_rates = {}
        text = failing.content[0].text  # type: ignore[union-attr]
        assert failing.is_error is True
        assert "HTTP 503" in text  # Jamf's own answer, not the deadline
        assert "deadline" not in text
        # Four attempts of one request would need 3.5 to 5 s of backoff: only those that fit in
        # the deadline were made (searchDevices asks for computers and mobile devices at once).
        after = api_requests(server)
        attempts = {route: after[route] - before.get(route, 0) for route in after}
        assert 2 <= max(attempts.values()) < 4, attempts


class SlowPerson:
    """Confirms, but only after thinking for longer than the call's whole deadline."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.asked = 0

    async def __call__(self, context: Any, params: Any) -> types.ElicitResult:
        self.asked += 1
        await asyncio.sleep(self.seconds)
        return types.ElicitResult(action="accept", content={"confirm": True})


async def test_time_spent_waiting_for_the_persons_confirmation_does_not_count(
    tmp_path: Path,
) -> None:
    person = SlowPerson(DEADLINE + 1.0)
    async with (
        serving(tmp_path / "data", tool_deadline_seconds=DEADLINE) as server,
        client(server, elicitation_callback=person) as alice,
    ):
        result = await alice.call_tool(
            "executePolicy", {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
        )
    assert person.asked == 1
    assert result.is_error is False, result.content
    assert result.structured_content is not None
    assert result.structured_content["status"] == "queued"
