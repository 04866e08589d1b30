"""The MCP protocol core's wiring: the tool catalogue over the use cases, resources, prompts and
completions, and the server that serves them on every transport."""

from __future__ import annotations

import logging

from dependency_injector import containers, providers

from jamf_mcp import __version__
from jamf_mcp.adapters.asgi_observability.core import RequestCoreObserver
from jamf_mcp.adapters.mcp import McpServer, ServerInfo, ToolCatalogue
from jamf_mcp.adapters.mcp.observers import CoreObserver
from jamf_mcp.adapters.mcp.tool_methods import ScopeChallenge
from jamf_mcp.adapters.mcp_jamf.chatgpt_tools import ChatGptTools
from jamf_mcp.adapters.mcp_jamf.completions import CompletionMethods
from jamf_mcp.adapters.mcp_jamf.jamf_action_tools import ActionTools
from jamf_mcp.adapters.mcp_jamf.jamf_prompts import jamf_prompt_methods
from jamf_mcp.adapters.mcp_jamf.jamf_resources import JamfResources
from jamf_mcp.adapters.mcp_jamf.jamf_tools import ReadTools
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.approval_wiring import approval_links_of
from jamf_mcp.domain.principal import Scope
from jamf_mcp.settings import Settings

INSTRUCTIONS = (
    "jamf-mcp answers questions about an Apple fleet managed in Jamf Pro and carries out "
    "confirmed actions on it. Use searchDevices to find devices (by name, serial, asset tag or "
    "user), getDeviceDetails for one device, checkDeviceCompliance for devices that have not "
    "checked in (e.g. 30 days), getFleetSummary for fleet-wide counts, listPolicies/"
    "getPolicyDetails for policies, search/fetch for look-ups with citable links. Results are "
    "paged: pass nextCursor to continue. Resources: jamf://reports/compliance, "
    "jamf://reports/fleet-summary, jamf://audit/recent, jamf://computers/{id}, "
    "jamf://mobile-devices/{id}, jamf://policies/{id}; prompts compliance-review, "
    "troubleshoot-device and rollout-policy. "
    "executePolicy, updateInventory and sendMdmCommand change devices: each needs the user's "
    "own confirmation (asked by the client, or a summary you must show them and a "
    "confirmationToken you pass back only after they say yes); getCommandStatus follows MDM "
    "commands up, getActionStatus follows policy runs (by auditRecordId)."
)

DEMO_JAMF_URL = "https://demo-tenant.jamfcloud.invalid"
"""The nominal web address of the embedded demo tenant (it has no web pages)."""


def core_observer(metrics: Metrics | None, catalogue: ToolCatalogue) -> CoreObserver:
    """What the MCP core reports to: metrics (labelled with the catalogue's tool names) and the
    request's log context."""
    if metrics is not None:
        metrics.label_tools(tool.name for tool in catalogue)
    return RequestCoreObserver(metrics)


def tool_catalogue(
    read_tools: ReadTools, action_tools: ActionTools, chatgpt_tools: ChatGptTools
) -> ToolCatalogue:
    """Every tool: the reads, the confirmed actions, and ChatGPT's search and fetch."""
    return ToolCatalogue(
        [*read_tools.definitions(), *action_tools.definitions(), *chatgpt_tools.definitions()]
    )


def jamf_web_url(settings: Settings) -> str:
    """Where people open Jamf Pro records in a browser (cited by ChatGPT's search/fetch)."""
    return settings.jamf.url or DEMO_JAMF_URL


class McpContainer(containers.DeclarativeContainer):
    """Inbound adapter: the MCP protocol core and its tools."""

    application = providers.DependenciesContainer()
    state = providers.DependenciesContainer()
    settings = providers.Dependency(instance_of=Settings)
    metrics: providers.Dependency[Metrics | None] = providers.Dependency()
    scope_challenge: providers.Dependency[ScopeChallenge | None] = providers.Dependency(
        default=None
    )
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
    approval_links = providers.Singleton(approval_links_of, settings)
    action_tools = providers.Singleton(
        ActionTools,
        execute_policy=application.execute_policy,
        update_inventory=application.update_inventory,
        send_mdm_command=application.send_mdm_command,
        get_command_status=application.get_command_status,
        get_action_status=application.get_action_status,
        elicitation_timeout=providers.Callable(
            lambda s: float(s.actions.confirmation_ttl_seconds), settings
        ),
        links=approval_links,
        tokens_allowed=providers.Callable(
            lambda s: s.actions.confirmation_fallback == "token", settings
        ),
    )
    chatgpt_tools = providers.Singleton(
        ChatGptTools,
        search_devices=application.search_devices,
        get_device_details=application.get_device_details,
        list_policies=application.list_policies,
        get_policy_details=application.get_policy_details,
        clock=application.clock,
        jamf_base_url=providers.Callable(jamf_web_url, settings),
    )
    catalogue = providers.Singleton(tool_catalogue, read_tools, action_tools, chatgpt_tools)
    resources = providers.Singleton(
        JamfResources,
        application.get_device_details,
        application.get_policy_details,
        application.check_device_compliance,
        application.get_fleet_summary,
        application.list_audit_records,
        application.clock,
    )
    method_providers = providers.List(
        providers.Singleton(lambda r: r.provider(), resources),
        providers.Singleton(jamf_prompt_methods),
        providers.Singleton(CompletionMethods, application.complete_names),
    )

    info = providers.Object(
        ServerInfo(
            name="jamf-mcp", version=__version__, title="Jamf Pro", instructions=INSTRUCTIONS
        )
    )
    tool_success_log_level = providers.Object(logging.INFO)
    """Over HTTP the access log records each call, so `http_container` lowers this to DEBUG."""
    server = providers.Singleton(
        McpServer,
        catalogue,
        info,
        state.sessions,
        router=state.router,
        providers=method_providers,
        events=state.events,
        observer=providers.Singleton(core_observer, metrics, catalogue),
        resume_grace_seconds=providers.Callable(lambda s: s.resume_grace_seconds, settings),
        tool_success_log_level=tool_success_log_level,
        session_scopes=providers.Object(frozenset({Scope.READ.value})),
        deadline_seconds=providers.Callable(lambda s: s.tool_deadline_seconds, settings),
        scope_challenge=scope_challenge,
    )
