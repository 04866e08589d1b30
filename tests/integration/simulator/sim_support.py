"""Shared helpers for the simulator tests: a fixed clock, an in-process client, a token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

import httpx

from jamf_mcp.simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, JamfSimulator

NOW = datetime(2026, 8, 20, 10, 0, tzinfo=UTC)


def make_client(sim: JamfSimulator) -> httpx.AsyncClient:
    """An httpx client bound to the simulator app in-process."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=cast("Any", sim.app)), base_url="http://jamf.test"
    )


async def fetch_token(
    client: httpx.AsyncClient, client_id: str = DEMO_CLIENT_ID, secret: str = DEMO_CLIENT_SECRET
) -> str:
    """A client-credentials bearer token."""
    response = await client.post(
        "/api/oauth/token",
        data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret},
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])
