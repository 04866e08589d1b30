"""The dependency-injection containers: the only place that wires ports to adapters.

One container per layer — Jamf (outbound adapters), application (use cases), MCP (inbound) —
composed by `Container`. Lifecycles are explicit: the Jamf HTTP client is a `Resource` started
and stopped by the Litestar lifespan (see `main.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
from dependency_injector import containers, providers

from jamf_mcp import __version__, audit_wiring, identity_wiring
from jamf_mcp.adapters.asgi_mcp import BearerAuthenticator
from jamf_mcp.adapters.asgi_observability.core import RequestCoreObserver
from jamf_mcp.adapters.dev_idp import DevIdpState
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
from jamf_mcp.adapters.local_files import DIGEST_KEY_FILE, FileDigestKeys, parse_digest_key
from jamf_mcp.adapters.mcp import (
    InMemoryEventStore,
    InMemorySessionStore,
    InMemorySignalRouter,
    McpServer,
    ServerInfo,
    ToolCatalogue,
)
from jamf_mcp.adapters.mcp.observers import CoreObserver
from jamf_mcp.adapters.mcp.sessions import SessionStore
from jamf_mcp.adapters.mcp.tool_methods import ScopeChallenge
from jamf_mcp.adapters.mcp_jamf.chatgpt_tools import ChatGptTools
from jamf_mcp.adapters.mcp_jamf.completions import CompletionMethods
from jamf_mcp.adapters.mcp_jamf.jamf_action_tools import ActionTools
from jamf_mcp.adapters.mcp_jamf.jamf_prompts import jamf_prompt_methods
from jamf_mcp.adapters.mcp_jamf.jamf_resources import JamfResources
from jamf_mcp.adapters.mcp_jamf.jamf_tools import ReadTools
from jamf_mcp.adapters.memory import (
    InMemoryApprovalStore,
    InMemoryConfirmationStore,
    InMemoryPageSessions,
    InMemoryPolicyRunTracker,
    InMemoryRateLimiter,
    StaticDigestKeys,
)
from jamf_mcp.adapters.oauth_server import AccessDenylist, InMemoryOAuthStateStore, OAuthStateStore
from jamf_mcp.adapters.oauth_server.assertion_replay import AssertionReplayCache
from jamf_mcp.adapters.oauth_server.pre_registered import PreRegisteredClients
from jamf_mcp.adapters.oauth_server.refresh_retries import RefreshAnswers
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.adapters.redis import (
    RedisApprovalStore,
    RedisClient,
    RedisConfirmationStore,
    RedisDigestKeys,
    RedisEventStore,
    RedisOAuthStateStore,
    RedisPageSessions,
    RedisPolicyRunTracker,
    RedisRateLimiter,
    RedisSessionStore,
    RedisSignalRouter,
    open_redis,
)
from jamf_mcp.adapters.system import SystemClock
from jamf_mcp.application.approval_desk import ApprovalDesk
from jamf_mcp.application.approvals import ApprovalStore
from jamf_mcp.application.bulk_dispatch import DispatchLimits
from jamf_mcp.application.confirmation_gate import ConfirmationGate
from jamf_mcp.application.policy_dispatch import PolicyDispatcher
from jamf_mcp.application.policy_run_reconciler import PolicyRunReconciler
from jamf_mcp.application.ports import (
    CheckInSchedule,
    ConfirmationStore,
    DeviceInventory,
    DigestKeys,
    Directory,
    ManagementCommands,
    MobileInventoryUpdates,
    PolicyCatalogue,
    PolicyHistory,
    PolicyRunner,
    PolicyRunTracker,
    RateLimiter,
)
from jamf_mcp.application.use_cases import (
    CheckDeviceCompliance,
    CompleteNames,
    ExecutePolicy,
    GetActionStatus,
    GetCommandStatus,
    GetDeviceDetails,
    GetFleetSummary,
    GetPolicyDetails,
    InventoryPolicyChoice,
    ListAuditRecords,
    ListPolicies,
    SearchDevices,
    SendMdmCommand,
    UpdateInventory,
)
from jamf_mcp.approval_wiring import approval_links_of, same_person_issuers
from jamf_mcp.domain.principal import Scope
from jamf_mcp.settings import Settings
from jamf_mcp.simulator import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    JamfSimulator,
    SimulatorOptions,
)

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

_log = logging.getLogger(__name__)


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


EMBEDDED_JAMF_URL = "http://embedded-simulator.invalid"
"""The base URL requests to the embedded simulator carry (they never leave the process)."""


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


def build_metrics(settings: Settings) -> Metrics | None:
    """The process's Prometheus metrics (None when turned off)."""
    if not settings.metrics_enabled:
        return None
    return Metrics(version=__version__)


def core_observer(metrics: Metrics | None, catalogue: ToolCatalogue) -> CoreObserver:
    """What the MCP core reports to: metrics (labelled with the catalogue's tool names) and the
    request's log context."""
    if metrics is not None:
        metrics.label_tools(tool.name for tool in catalogue)
    return RequestCoreObserver(metrics)


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


async def reconcile_in_background(
    reconciler: PolicyRunReconciler, interval: float
) -> AsyncIterator[PolicyRunReconciler]:
    """Runs the policy-run reconciler while the server runs (every replica tries; one leads)."""
    task = asyncio.create_task(reconciler.run_forever(interval))
    try:
        yield reconciler
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def dispatch_limits(settings: Settings) -> DispatchLimits:
    """Bulk runs keep exactly as many Jamf requests in flight as the adapter allows."""
    return DispatchLimits(
        concurrency=settings.jamf.max_in_flight, max_targets=settings.actions.max_targets
    )


def inventory_policy(settings: Settings) -> InventoryPolicyChoice:
    """The configured inventory-collection policy, by id or by name."""
    policy_id = settings.actions.inventory_policy_id
    if policy_id is not None:
        return InventoryPolicyChoice(policy_id=policy_id, policy_name=None)
    return InventoryPolicyChoice(policy_name=settings.actions.inventory_policy)


def redis_or_none(settings: Settings) -> RedisClient | None:
    """The process's Redis client when `REDIS_URL` is set (it connects on first use)."""
    if not settings.redis_url:
        return None
    return open_redis(settings.redis_url, cluster=settings.redis_cluster)


def shared_or_local(redis: RedisClient | None, settings: Settings, shared: Any, local: Any) -> Any:
    """The Redis-backed store when Redis is configured, else the in-memory one."""
    if redis is None:
        return local()
    return shared(redis, prefix=settings.redis_prefix)


def digest_keys(redis: RedisClient | None, settings: Settings) -> DigestKeys:
    """The digest key: `JAMF_MCP_DIGEST_KEY` if set, else shared in Redis, else in the data dir."""
    if settings.digest_key is not None:
        return StaticDigestKeys(parse_digest_key(settings.digest_key))
    if redis is not None:
        return RedisDigestKeys(redis, prefix=settings.redis_prefix)
    return FileDigestKeys(settings.data_dir / DIGEST_KEY_FILE)


def session_store(redis: RedisClient | None, settings: Settings) -> SessionStore:
    """MCP sessions, in Redis when configured, with the configured limits."""
    per_user, total = settings.max_sessions_per_user, settings.max_sessions
    if redis is None:
        return InMemorySessionStore(max_per_principal=per_user, max_sessions=total)
    return RedisSessionStore(
        redis, prefix=settings.redis_prefix, max_per_principal=per_user, max_sessions=total
    )


def local_oauth_store() -> InMemoryOAuthStateStore:
    """The front door's state in this process."""
    return InMemoryOAuthStateStore(SystemClock())


async def signal_router(
    redis: RedisClient | None, settings: Settings
) -> AsyncIterator[InMemorySignalRouter | RedisSignalRouter]:
    """The signal router; the Redis one holds a subscription while the server runs."""
    if redis is None:
        yield InMemorySignalRouter()
        return
    router = RedisSignalRouter(redis, prefix=settings.redis_prefix)
    router.start_in_background()  # Redis down at boot: readiness fails, requests get 503
    try:
        yield router
    finally:
        await router.aclose()


class StateContainer(containers.DeclarativeContainer):
    """State shared by every request: in process memory (one replica), or in Redis (many).

    With `REDIS_URL` every store is in Redis and nothing falls back to memory: Redis down means
    503 for requests that need state, and a failing readiness check.
    """

    settings = providers.Dependency(instance_of=Settings)
    redis = providers.Singleton(redis_or_none, settings)
    sessions = providers.Singleton(session_store, redis, settings)
    events = providers.Singleton(
        shared_or_local, redis, settings, RedisEventStore, InMemoryEventStore
    )
    confirmations = providers.Singleton(
        shared_or_local, redis, settings, RedisConfirmationStore, InMemoryConfirmationStore
    )
    approvals = providers.Singleton(
        shared_or_local, redis, settings, RedisApprovalStore, InMemoryApprovalStore
    )
    page_sessions = providers.Singleton(
        shared_or_local, redis, settings, RedisPageSessions, InMemoryPageSessions
    )
    rate_limiter = providers.Singleton(
        shared_or_local, redis, settings, RedisRateLimiter, InMemoryRateLimiter
    )
    oauth = providers.Singleton(
        shared_or_local,
        redis,
        settings,
        RedisOAuthStateStore,
        local_oauth_store,
    )
    router = providers.Resource(signal_router, redis, settings)
    denylist = providers.Singleton(identity_wiring.denylist, redis, settings)
    dev_idp = providers.Singleton(identity_wiring.dev_idp_state, redis, settings)
    registrations = providers.Singleton(identity_wiring.registration_limiter, redis, settings)
    pre_registered = providers.Singleton(identity_wiring.pre_registered_store, redis, settings)
    assertion_replays = providers.Singleton(identity_wiring.assertion_replays, redis, settings)
    refresh_answers = providers.Singleton(identity_wiring.refresh_answers, redis, settings)
    policy_runs = providers.Singleton(
        shared_or_local, redis, settings, RedisPolicyRunTracker, InMemoryPolicyRunTracker
    )
    digest_keys = providers.Singleton(digest_keys, redis, settings)


class ApplicationContainer(containers.DeclarativeContainer):
    """Use cases, built from ports only (plus the stores the confirmation gate needs)."""

    settings = providers.Dependency(instance_of=Settings)
    confirmations: providers.Dependency[ConfirmationStore] = providers.Dependency()
    approvals: providers.Dependency[ApprovalStore] = providers.Dependency()
    same_person_issuers: providers.Dependency[frozenset[str]] = providers.Dependency()
    digest_keys: providers.Dependency[DigestKeys] = providers.Dependency()
    inventory: providers.Dependency[DeviceInventory] = providers.Dependency()
    directory: providers.Dependency[Directory] = providers.Dependency()
    policies: providers.Dependency[PolicyCatalogue] = providers.Dependency()
    policy_runner: providers.Dependency[PolicyRunner] = providers.Dependency()
    policy_history: providers.Dependency[PolicyHistory] = providers.Dependency()
    mobile_inventory: providers.Dependency[MobileInventoryUpdates] = providers.Dependency()
    commands: providers.Dependency[ManagementCommands] = providers.Dependency()
    check_in: providers.Dependency[CheckInSchedule] = providers.Dependency()
    policy_runs: providers.Dependency[PolicyRunTracker] = providers.Dependency()
    clock = providers.Singleton(SystemClock)
    audit = providers.Resource(audit_wiring.audit_store_resource, settings)
    expiry_sweeper = providers.Resource(audit_wiring.expiry_sweeper, audit, clock, settings)
    gate = providers.Singleton(
        ConfirmationGate,
        confirmations,
        audit,
        clock,
        digest_keys,
        providers.Callable(
            lambda s: timedelta(seconds=s.actions.confirmation_ttl_seconds), settings
        ),
        approvals,
    )
    approval_desk = providers.Singleton(ApprovalDesk, approvals, audit, clock, same_person_issuers)
    limits = providers.Singleton(dispatch_limits, settings)
    policy_dispatcher = providers.Singleton(
        PolicyDispatcher,
        policy_runner,
        policy_history,
        policy_runs,
        clock,
        limits,
        providers.Callable(lambda s: timedelta(hours=s.actions.policy_run_expiry_hours), settings),
        providers.Callable(lambda s: s.actions.wait_poll_seconds, settings),
    )
    execute_policy = providers.Singleton(
        ExecutePolicy,
        inventory,
        policies,
        policy_dispatcher,
        gate,
        clock,
        limits,
        policy_history,
        check_in,
    )
    update_inventory = providers.Singleton(
        UpdateInventory,
        inventory,
        policies,
        policy_dispatcher,
        mobile_inventory,
        gate,
        limits,
        policy_history,
        check_in,
        clock,
        providers.Singleton(inventory_policy, settings),
    )
    send_mdm_command = providers.Singleton(SendMdmCommand, inventory, commands, gate, limits)
    get_command_status = providers.Singleton(GetCommandStatus, commands)
    get_action_status = providers.Singleton(GetActionStatus, policy_runs, policy_history, clock)
    reconciler = providers.Singleton(
        PolicyRunReconciler, policy_runs, policy_runner, policy_history, clock
    )
    reconciling = providers.Resource(
        reconcile_in_background,
        reconciler,
        providers.Callable(lambda s: s.actions.reconcile_seconds, settings),
    )
    list_audit_records = providers.Singleton(ListAuditRecords, audit)
    complete_names = providers.Singleton(CompleteNames, inventory, policies, directory)
    search_devices = providers.Singleton(SearchDevices, inventory)
    get_device_details = providers.Singleton(GetDeviceDetails, inventory)
    check_device_compliance = providers.Singleton(CheckDeviceCompliance, inventory, clock)
    list_policies = providers.Singleton(ListPolicies, policies)
    get_policy_details = providers.Singleton(GetPolicyDetails, policies)
    get_fleet_summary = providers.Singleton(GetFleetSummary, inventory, clock)


def _catalogue(
    read_tools: ReadTools, action_tools: ActionTools, chatgpt_tools: ChatGptTools
) -> ToolCatalogue:
    return ToolCatalogue(
        [*read_tools.definitions(), *action_tools.definitions(), *chatgpt_tools.definitions()]
    )


DEMO_JAMF_URL = "https://demo-tenant.jamfcloud.invalid"
"""The nominal web address of the embedded demo tenant (it has no web pages)."""


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
    catalogue = providers.Singleton(_catalogue, read_tools, action_tools, chatgpt_tools)
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
    """Over HTTP the access log records each call, so `create_app` lowers this to DEBUG."""
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


class IdentityContainer(containers.DeclarativeContainer):
    """Sign-in: signing key, upstream IdP (or the embedded development one), verifier, front door."""

    settings = providers.Dependency(instance_of=Settings)
    oauth_store: providers.Dependency[OAuthStateStore] = providers.Dependency()
    metrics: providers.Dependency[Metrics | None] = providers.Dependency()
    denylist: providers.Dependency[AccessDenylist] = providers.Dependency()
    dev_idp_state: providers.Dependency[DevIdpState] = providers.Dependency()
    pre_registered: providers.Dependency[PreRegisteredClients] = providers.Dependency()
    assertion_replays: providers.Dependency[AssertionReplayCache] = providers.Dependency()
    refresh_answers: providers.Dependency[RefreshAnswers] = providers.Dependency()
    rate_limiter: providers.Dependency[RateLimiter] = providers.Dependency()
    loopback = providers.Singleton(identity_wiring.LateBoundASGITransport)
    signing_key = providers.Singleton(identity_wiring.signing_key, settings)
    dev_idp = providers.Singleton(identity_wiring.dev_identity_provider, settings, dev_idp_state)
    http = providers.Singleton(identity_wiring.identity_http, settings, loopback)
    cimd_http = providers.Singleton(identity_wiring.metadata_http, settings)
    cimd_fetcher = providers.Singleton(identity_wiring.client_document_fetcher, cimd_http)
    upstream = providers.Singleton(
        identity_wiring.upstream_identity_provider, settings, dev_idp, http
    )
    verifier = providers.Singleton(
        identity_wiring.token_verifier, settings, signing_key, upstream, http, metrics, denylist
    )
    front_door = providers.Singleton(
        identity_wiring.front_door,
        settings,
        signing_key,
        upstream,
        cimd_fetcher,
        oauth_store,
        denylist,
        pre_registered,
        assertion_replays,
        refresh_answers,
        rate_limiter,
        metrics,
    )
    authenticator = providers.Singleton(
        BearerAuthenticator,
        verifier,
        providers.Callable(
            lambda s: f"{s.public_url}/.well-known/oauth-protected-resource/mcp", settings
        ),
    )
    scope_challenge = providers.Callable(lambda a: a.scope_challenge, authenticator)


class Container(containers.DeclarativeContainer):
    """The whole service."""

    settings = providers.Dependency(instance_of=Settings)
    metrics = providers.Singleton(build_metrics, settings)
    state = providers.Container(StateContainer, settings=settings)
    identity = providers.Container(
        IdentityContainer,
        settings=settings,
        oauth_store=state.oauth,
        metrics=metrics,
        denylist=state.denylist,
        dev_idp_state=state.dev_idp,
        pre_registered=state.pre_registered,
        assertion_replays=state.assertion_replays,
        refresh_answers=state.refresh_answers,
        rate_limiter=state.rate_limiter,
    )
    jamf = providers.Container(JamfContainer, settings=settings, metrics=metrics)
    application = providers.Container(
        ApplicationContainer,
        settings=settings,
        confirmations=state.confirmations,
        digest_keys=state.digest_keys,
        inventory=jamf.inventory,
        directory=jamf.directory,
        policies=jamf.policies,
        policy_runner=jamf.policy_runner,
        policy_history=jamf.policy_history,
        mobile_inventory=jamf.mobile_inventory,
        commands=jamf.commands,
        check_in=jamf.check_in,
        policy_runs=state.policy_runs,
        approvals=state.approvals,
        same_person_issuers=providers.Singleton(same_person_issuers, settings, identity.upstream),
    )
    mcp = providers.Container(
        McpContainer,
        application=application,
        state=state,
        settings=settings,
        metrics=metrics,
        scope_challenge=identity.scope_challenge,
    )
