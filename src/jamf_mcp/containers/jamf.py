"""Jamf Pro's wiring: the shared HTTP client (to the tenant, or to the embedded simulator) and
the outbound adapters built over it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
from dependency_injector import containers, providers

from jamf_mcp.adapters.jamf_rest import (
    JamfCheckInSchedule,
    JamfConnection,
    JamfDeviceInventory,
    JamfDirectory,
    JamfHttp,
    JamfManagementCommands,
    JamfMobileInventoryUpdates,
    JamfPolicyCatalogue,
    JamfPolicyHistory,
    JamfPolicyRunner,
    open_jamf_http,
)
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.settings import Settings
from jamf_mcp.simulator import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    JamfSimulator,
    SimulatorOptions,
)

_log = logging.getLogger(__name__)

EMBEDDED_JAMF_URL = "http://embedded-simulator.invalid"
"""The base URL requests to the embedded simulator carry (they never leave the process)."""


def build_simulator(settings: Settings) -> JamfSimulator | None:
    """The embedded demo tenant when no Jamf Pro is configured, else None."""
    if not settings.jamf.embedded:
        return None
    return JamfSimulator(
        SimulatorOptions(
            computers=settings.simulator.computers,
            latency_ms=settings.simulator.latency_ms,
            check_in_frequency_minutes=settings.simulator.check_in_frequency_minutes,
        )
    )


async def simulator_ticker(
    simulator: JamfSimulator | None, settings: Settings
) -> AsyncIterator[JamfSimulator | None]:
    """Runs the embedded tenant's check-ins and MDM acknowledgements while the server runs."""
    if simulator is None:
        yield None
        return
    interval = settings.simulator.tick_seconds

    async def tick_forever() -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                simulator.tick(0)
            except Exception:  # a broken tick must not stop the demo tenant
                _log.exception("Simulator tick failed")

    task = asyncio.create_task(tick_forever())
    try:
        yield simulator
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def jamf_connection(settings: Settings) -> JamfConnection:
    """Connection settings for the configured Jamf Pro, or the embedded simulator's demo client
    (another of its demo clients when `JAMF_CLIENT_ID` and `JAMF_CLIENT_SECRET` name one)."""
    jamf = settings.jamf
    if jamf.embedded:
        chosen = jamf.client_id is not None and jamf.client_secret is not None
        return JamfConnection(
            base_url=EMBEDDED_JAMF_URL,
            client_id=jamf.client_id if chosen else DEMO_CLIENT_ID,
            client_secret=jamf.client_secret if chosen else DEMO_CLIENT_SECRET,
            max_in_flight=jamf.max_in_flight,
            page_size=jamf.page_size,
        )
    assert jamf.url is not None
    return JamfConnection(
        base_url=jamf.url,
        client_id=jamf.client_id if jamf.client_secret else None,
        client_secret=jamf.client_secret,
        username=None if jamf.client_secret else jamf.username,
        password=None if jamf.client_secret else jamf.password,
        max_in_flight=jamf.max_in_flight,
        timeout_seconds=jamf.timeout_seconds,
        page_size=jamf.page_size,
    )


async def jamf_http_resource(
    connection: JamfConnection, simulator: JamfSimulator | None, metrics: Metrics | None
) -> AsyncIterator[JamfHttp]:
    """The one shared Jamf HTTP client, opened at start-up and closed at shutdown."""
    app: Any = None if simulator is None else simulator.app
    transport = None if app is None else httpx.ASGITransport(app=app)
    async with open_jamf_http(connection, transport=transport, observer=metrics) as http:
        yield http


class JamfContainer(containers.DeclarativeContainer):
    """Outbound adapters: Jamf Pro over HTTP (or the embedded simulator)."""

    settings = providers.Dependency(instance_of=Settings)
    metrics: providers.Dependency[Metrics | None] = providers.Dependency()
    simulator = providers.Singleton(build_simulator, settings)
    connection = providers.Singleton(jamf_connection, settings)
    http = providers.Resource(jamf_http_resource, connection, simulator, metrics)
    ticker = providers.Resource(simulator_ticker, simulator, settings)
    directory = providers.Singleton(JamfDirectory, http)
    inventory = providers.Singleton(JamfDeviceInventory, http, directory)
    policies = providers.Singleton(JamfPolicyCatalogue, http)
    policy_runner = providers.Singleton(JamfPolicyRunner, http)
    policy_history = providers.Singleton(JamfPolicyHistory, http)
    mobile_inventory = providers.Singleton(JamfMobileInventoryUpdates, http)
    commands = providers.Singleton(JamfManagementCommands, http)
    check_in = providers.Singleton(JamfCheckInSchedule, http)
