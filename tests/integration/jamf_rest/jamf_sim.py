"""Helpers that wire the Jamf REST adapter to an in-process simulator through `httpx.ASGITransport`.

`jamf_on` records every exchange and, when its block ends, checks each one against Jamf's own
API documents (`tests/contract/jamf_schema.py`): so every adapter test is also a contract test.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

import httpx

from jamf_mcp.adapters.jamf_rest import (
    JamfConnection,
    JamfHttp,
    JamfPorts,
    RetryPolicy,
    jamf_ports,
    open_jamf_http,
)
from jamf_mcp.simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, JamfSimulator
from tests.contract.jamf_schema import request_problems, response_problems

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
SIM_URL = "http://jamf.test"


class RecordingTransport(httpx.AsyncBaseTransport):
    """Wraps another transport and remembers every request it carried.

    `httpx.ASGITransport` never times out, so `read_timeout` (seconds) plays the network's part:
    an answer that takes longer raises `httpx.ReadTimeout`, as a real socket read would.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, read_timeout: float | None = None) -> None:
        self.inner = inner
        self.read_timeout = read_timeout
        self.requests: list[httpx.Request] = []
        self.statuses: Counter[int] = Counter()
        self.exchanges: list[tuple[httpx.Request, int, bytes]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        try:
            response = await asyncio.wait_for(
                self.inner.handle_async_request(request), self.read_timeout
            )
        except TimeoutError:
            raise httpx.ReadTimeout("timed out", request=request) from None
        self.statuses[response.status_code] += 1
        self.exchanges.append((request, response.status_code, await response.aread()))
        return response

    def contract_problems(self, version: str) -> list[str]:
        """Every way the recorded requests and answers differ from Jamf's documents.

        Answers of 5xx are left out: tests inject them (and Jamf's own bodies vary there).
        """
        problems: list[str] = []
        for request, status, body in self.exchanges:
            if status >= 500:
                continue
            accepted = 200 <= status < 300
            problems += request_problems(request, version, accepted=accepted)
            problems += response_problems(request, status, body, version)
        return problems

    def paths(self, path: str) -> list[httpx.URL]:
        return [r.url for r in self.requests if r.url.path == path]


def sim_connection(**overrides: Any) -> JamfConnection:
    """API-client settings for the simulator's demo tenant."""
    values: dict[str, Any] = {
        "base_url": SIM_URL,
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    values.update(overrides)
    return JamfConnection(**values)


@asynccontextmanager
async def jamf_on(
    sim: JamfSimulator, *, connection: JamfConnection | None = None
) -> AsyncIterator[tuple[JamfPorts, JamfHttp, RecordingTransport]]:
    """Open the adapter against `sim` (retries without waiting), recording requests and statuses.

    Answers slower than `connection.timeout_seconds` time out (see `RecordingTransport`).
    """
    connection = connection or sim_connection()
    transport = RecordingTransport(
        httpx.ASGITransport(app=sim.app), read_timeout=connection.timeout_seconds
    )
    retry = RetryPolicy.immediate(connection.retry_attempts)
    async with open_jamf_http(connection, transport=transport, retry=retry) as http:
        yield jamf_ports(http), http, transport
    # Every exchange of the block against Jamf's own API documents (tests/contract, ADR 0020).
    problems = transport.contract_problems(sim.options.version)
    assert not problems, "\n".join(problems)
