"""The dependency-injection containers: the only place that wires ports to adapters.

One container per layer — Jamf (outbound adapters), application (use cases), MCP (inbound) —
composed by `Container`. Lifecycles are explicit: the Jamf HTTP client is a `Resource` started
and stopped by the Litestar lifespan (see `main.py`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
from dependency_injector import containers, providers

from jamf_mcp import __version__, identity_wiring
from jamf_mcp.adapters.jamf_rest import (
    JamfConnection,
    JamfDeviceInventory,
    JamfDirectory,
    JamfHttp,
    JamfPolicyCatalogue,
    open_jamf_http,
)
from jamf_mcp.adapters.litestar_http import BearerAuthenticator
from jamf_mcp.adapters.mcp import InMemorySessionStore, McpServer, ServerInfo, ToolCatalogue
from jamf_mcp.adapters.mcp.jamf_tools import ReadTools
from jamf_mcp.adapters.system import SystemClock
from jamf_mcp.application.ports import DeviceInventory, PolicyCatalogue
from jamf_mcp.application.use_cases import (
    CheckDeviceCompliance,
    GetDeviceDetails,
    GetFleetSummary,
    GetPolicyDetails,
    ListPolicies,
    SearchDevices,
)
from jamf_mcp.settings import Settings
from jamf_mcp.simulator import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    JamfSimulator,
    SimulatorOptions,
)

INSTRUCTIONS = (
    "jamf-mcp answers questions about an Apple fleet managed in Jamf Pro. Use searchDevices to "
    "find devices (by name, serial, asset tag or user), getDeviceDetails for one device, "
    "checkDeviceCompliance for devices that have not checked in (e.g. 30 days), getFleetSummary "
    "for fleet-wide counts, listPolicies/getPolicyDetails for policies. Results are paged: pass "
    "nextCursor to continue."
)


def build_simulator(settings: Settings) -> JamfSimulator | None:
    """The embedded demo tenant when no Jamf Pro is configured, else None."""
    if not settings.jamf.embedded:
        return None
    return JamfSimulator(
        SimulatorOptions(
            computers=settings.simulator.computers, latency_ms=settings.simulator.latency_ms
        )
    )


def jamf_connection(settings: Settings) -> JamfConnection:
    """Connection settings for the configured Jamf Pro, or the embedded simulator's demo client."""
    jamf = settings.jamf
    if jamf.embedded:
        return JamfConnection(
            base_url="http://embedded-simulator.invalid",
            client_id=DEMO_CLIENT_ID,
            client_secret=DEMO_CLIENT_SECRET,
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
    connection: JamfConnection, simulator: JamfSimulator | None
) -> AsyncIterator[JamfHttp]:
    """The one shared Jamf HTTP client, opened at start-up and closed at shutdown."""
    app: Any = None if simulator is None else simulator.app
    transport = None if app is None else httpx.ASGITransport(app=app)
    async with open_jamf_http(connection, transport=transport) as http:
        yield http


class JamfContainer(containers.DeclarativeContainer):
    """Outbound adapters: Jamf Pro over HTTP (or the embedded simulator)."""

    settings = providers.Dependency(instance_of=Settings)
    simulator = providers.Singleton(build_simulator, settings)
    connection = providers.Singleton(jamf_connection, settings)
    http = providers.Resource(jamf_http_resource, connection, simulator)
    directory = providers.Singleton(JamfDirectory, http)
    inventory = providers.Singleton(JamfDeviceInventory, http, directory)
    policies = providers.Singleton(JamfPolicyCatalogue, http)


class ApplicationContainer(containers.DeclarativeContainer):
    """Use cases, built from ports only."""

    inventory: providers.Dependency[DeviceInventory] = providers.Dependency()
    policies: providers.Dependency[PolicyCatalogue] = providers.Dependency()
    clock = providers.Singleton(SystemClock)
    search_devices = providers.Singleton(SearchDevices, inventory)
    get_device_details = providers.Singleton(GetDeviceDetails, inventory)
    check_device_compliance = providers.Singleton(CheckDeviceCompliance, inventory, clock)
    list_policies = providers.Singleton(ListPolicies, policies)
    get_policy_details = providers.Singleton(GetPolicyDetails, policies)
    get_fleet_summary = providers.Singleton(GetFleetSummary, inventory, clock)


def _catalogue(read_tools: ReadTools) -> ToolCatalogue:
    return ToolCatalogue(read_tools.definitions())


class McpContainer(containers.DeclarativeContainer):
    """Inbound adapter: the MCP protocol core and its tools."""

    application = providers.DependenciesContainer()
    read_tools = providers.Singleton(
        ReadTools,
        search_devices=application.search_devices,
        get_device_details=application.get_device_details,
        check_device_compliance=application.check_device_compliance,
        list_policies=application.list_policies,
        get_policy_details=application.get_policy_details,
        get_fleet_summary=application.get_fleet_summary,
        clock=application.clock,
    )
    catalogue = providers.Singleton(_catalogue, read_tools)
    sessions = providers.Singleton(InMemorySessionStore)
    info = providers.Object(
        ServerInfo(
            name="jamf-mcp", version=__version__, title="Jamf Pro", instructions=INSTRUCTIONS
        )
    )
    server = providers.Singleton(McpServer, catalogue, info, sessions)


class IdentityContainer(containers.DeclarativeContainer):
    """Sign-in: signing key, upstream IdP (or the embedded development one), verifier, front door."""

    settings = providers.Dependency(instance_of=Settings)
    loopback = providers.Singleton(identity_wiring.LateBoundASGITransport)
    signing_key = providers.Singleton(identity_wiring.signing_key, settings)
    dev_idp = providers.Singleton(identity_wiring.dev_identity_provider, settings)
    http = providers.Singleton(identity_wiring.identity_http, settings, loopback)
    cimd_http = providers.Singleton(identity_wiring.metadata_http, settings)
    upstream = providers.Singleton(
        identity_wiring.upstream_identity_provider, settings, dev_idp, http
    )
    verifier = providers.Singleton(
        identity_wiring.token_verifier, settings, signing_key, upstream, http
    )
    front_door = providers.Singleton(
        identity_wiring.front_door, settings, signing_key, upstream, cimd_http
    )
    authenticator = providers.Singleton(
        BearerAuthenticator,
        verifier,
        providers.Callable(
            lambda s: f"{s.public_url}/.well-known/oauth-protected-resource/mcp", settings
        ),
    )


class Container(containers.DeclarativeContainer):
    """The whole service."""

    settings = providers.Dependency(instance_of=Settings)
    identity = providers.Container(IdentityContainer, settings=settings)
    jamf = providers.Container(JamfContainer, settings=settings)
    application = providers.Container(
        ApplicationContainer, inventory=jamf.inventory, policies=jamf.policies
    )
    mcp = providers.Container(McpContainer, application=application)
