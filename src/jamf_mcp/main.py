"""`create_app(settings)`: the Litestar application, built from the container."""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from types import FrameType
from typing import Any

import uvicorn
from dependency_injector import providers
from litestar import Litestar, Request, Response
from litestar.middleware import DefineMiddleware

from jamf_mcp import __version__
from jamf_mcp.adapters.asgi_mcp import (
    ANSWERED_ERRORS,
    BearerAuthenticator,
    Draining,
    HttpExchange,
    HttpTransportConfig,
    McpEndpoint,
    McpFirst,
    McpHttpApp,
    PrincipalRateLimit,
    error_answers,
    unexpected_failure,
)
from jamf_mcp.adapters.asgi_mcp.request_checks import HostAllowList
from jamf_mcp.adapters.asgi_observability.config import ObservabilityConfig
from jamf_mcp.adapters.asgi_observability.middleware import RequestObservability
from jamf_mcp.adapters.asgi_observability.probes import (
    IdentityKeysProbe,
    JamfReachableProbe,
    PingProbe,
)
from jamf_mcp.adapters.asgi_observability.readiness import Probe, Readiness
from jamf_mcp.adapters.dev_idp import dev_idp_route_handlers
from jamf_mcp.adapters.litestar_http import (
    ClientIpRateLimit,
    health_route_handlers,
    litestar_response,
    metadata_route_handlers,
    oauth_route_handlers,
)
from jamf_mcp.adapters.litestar_http.home_page import HomePage
from jamf_mcp.adapters.litestar_http.home_routes import connector_settings, home_route_handlers
from jamf_mcp.adapters.litestar_http.metrics_routes import (
    metrics_exposure,
    metrics_route_handlers,
)
from jamf_mcp.adapters.litestar_http.oauth_routes import TOKEN_PATHS, RegistrationQuota
from jamf_mcp.adapters.litestar_http.readiness_routes import readiness_route_handlers
from jamf_mcp.adapters.mcp import McpServer
from jamf_mcp.adapters.memory import InMemoryApprovalStore, InMemoryConfirmationStore
from jamf_mcp.adapters.oauth_server.rate_limit import BucketRateLimiter
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.adapters.redis import ping
from jamf_mcp.adapters.structured_logs import bind_subject
from jamf_mcp.adapters.uvicorn_server import slow_client_guard
from jamf_mcp.approval_wiring import approval_pages
from jamf_mcp.containers import Container
from jamf_mcp.domain.principal import Principal
from jamf_mcp.settings import Settings

logger = logging.getLogger(__name__)


class DrainingServer(uvicorn.Server):
    """uvicorn that tells idle streams to go elsewhere as soon as SIGTERM or SIGINT arrives.

    uvicorn then stops accepting connections and waits (up to the shutdown grace) for requests in
    flight; the streams that would otherwise hold it until the grace runs out end at once.
    """

    def __init__(self, config: uvicorn.Config, draining: Draining) -> None:
        super().__init__(config)
        self._draining = draining

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        """Start draining, then let uvicorn shut down as usual."""
        self._draining.begin()
        super().handle_exit(sig, frame)


def run_http(settings: Settings) -> None:
    """Serve HTTP with uvicorn until SIGTERM/SIGINT (blocking).

    The request-observability middleware wraps the whole application (so unrouted requests are
    measured and logged too); it writes the access log, so uvicorn's own (which prints query
    strings, and /auth/* query strings carry codes) is off.
    """
    container = build_container(settings)
    app = create_app(settings, container)
    transport = app.state["transport"]
    observed = RequestObservability(
        container.metrics(),
        ObservabilityConfig(
            mcp_paths=frozenset({transport.path, transport.messages_path}),
            legacy_sse_paths=frozenset({transport.legacy_sse_path}),
        ),
    )(app)
    config = uvicorn.Config(
        observed,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=settings.proxy_headers,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        server_header=False,
        timeout_keep_alive=max(1, int(settings.http_keepalive_timeout_seconds)),
        timeout_graceful_shutdown=max(1, int(settings.shutdown_grace_seconds)),
        # Slow clients: deadlines for headers and bodies, a header size cap (no proxy assumed).
        http=slow_client_guard(
            header_timeout=settings.http_header_timeout_seconds,
            body_timeout=settings.http_body_timeout_seconds,
            max_header_bytes=settings.http_max_header_bytes,
        ),
        limit_concurrency=settings.max_connections,
        backlog=settings.max_connections,
    )
    DrainingServer(config, app.state["draining"]).run()


def build_container(settings: Settings) -> Container:
    """A container for these settings (resources not yet started)."""
    container = Container(settings=settings)
    container.jamf.settings.override(settings)
    return container


def create_app(settings: Settings, container: Container | None = None) -> McpFirst:
    """The ASGI application: the MCP endpoints, and Litestar for sign-in, health and metrics."""
    container = container or build_container(settings)
    # Every call is in the access log (with its tool and outcome): no second line per success.
    container.mcp.tool_success_log_level.override(providers.Object(logging.DEBUG))

    running: dict[str, McpServer] = {}
    ready: dict[str, Readiness] = {}
    draining = Draining()
    metrics = container.metrics()

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        await container.init_resources()  # type: ignore[misc]
        try:
            # Providers that depend on an async Resource resolve to awaitables.
            server = container.mcp.server()
            running["server"] = await server if inspect.isawaitable(server) else server
            if metrics is not None:
                metrics.track_active_sessions(running["server"].connections.active_sessions)
            ready["readiness"] = await readiness(settings, container, draining)
            track_pending_confirmations(metrics, container)
            yield
        finally:
            draining.begin()
            if "server" in running:  # work that outlived its connection records its outcome
                await running["server"].drain(settings.shutdown_grace_seconds)
            running.clear()
            ready.clear()
            for client in (container.identity.http(), container.identity.cimd_http()):
                if client is not None:
                    await client.aclose()
            await container.shutdown_resources()  # type: ignore[misc]
            redis = container.state.redis()
            if redis is not None:
                await redis.aclose()

    def mcp_server() -> McpServer:
        return running["server"]

    identity = container.identity
    authenticator: BearerAuthenticator = identity.authenticator()
    transport = HttpTransportConfig(
        max_body_bytes=settings.max_body_bytes,
        allowed_origins=settings.allowed_origins,
        allowed_hosts=None,  # checked for every route, below (`McpFirst`)
        keepalive_seconds=settings.keepalive_seconds,
        draining=draining,
        max_streams_per_principal=settings.max_streams_per_user,
        max_streams=settings.max_streams,
    )
    limiter = container.state.rate_limiter()
    refused = metrics.rate_limited if metrics is not None else _ignore

    async def signed_in(request: HttpExchange) -> Principal:
        principal = await authenticator.principal(request)
        bind_subject(principal.subject)
        return principal

    answer_error = error_answers(authenticator)
    limited = PrincipalRateLimit(signed_in, limiter, settings.rate_limit_per_minute, refused)
    mcp_endpoints = McpHttpApp(
        transport,
        McpEndpoint(server=mcp_server, authenticate=limited.principal, answer_error=answer_error),
    )
    routes = [
        *health_route_handlers(),
        *readiness_route_handlers(lambda: ready.get("readiness")),
    ]
    if metrics is not None:
        exposure = metrics_exposure(
            settings.metrics_token,
            loopback_only=settings.binds_loopback_only,
            allow_unauthenticated=settings.metrics_allow_unauthenticated,
        )
        if exposure == "disabled":
            logger.warning(
                "/metrics is not served: set JAMF_MCP_METRICS_TOKEN (or "
                "JAMF_MCP_METRICS_ALLOW_UNAUTHENTICATED=1) to expose it on %s",
                settings.host,
            )
        else:
            routes += metrics_route_handlers(metrics, token=settings.metrics_token)
    front_door = identity.front_door()
    pages = approval_pages(settings, container, front_door, _resolved)
    routes += pages.routes
    if front_door is not None:
        quota = RegistrationQuota(
            container.state.registrations(), settings.auth.registrations_per_ip_per_day
        )
        token_ceiling = BucketRateLimiter(
            limiter, settings.auth.token_address_ceiling_per_minute, refused, "token_ip"
        )
        routes += [
            *metadata_route_handlers(front_door.config),
            *oauth_route_handlers(
                front_door, token_ceiling, registrations=quota, page_callback=pages.callback
            ),
        ]
    routes += home_route_handlers(
        HomePage(
            version=__version__,
            connector=connector_settings(
                settings.resource_url, front_door.config if front_door else None
            ),
            sign_in=settings.auth.mode,
            docs_url=settings.docs_url,
        ),
        lambda: ready.get("readiness"),
        registration_modes=front_door.registration_modes if front_door is not None else None,
    )
    dev_idp = identity.dev_idp()
    if dev_idp is not None:
        routes += dev_idp_route_handlers(dev_idp)

    def answered(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        answer = answer_error(error)
        assert answer is not None  # registered for ANSWERED_ERRORS only
        return litestar_response(answer)

    def failed(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        return litestar_response(unexpected_failure(error))

    app = Litestar(
        route_handlers=routes,
        # 500: every exception that is not an HTTP answer (logged with its traceback).
        exception_handlers={**dict.fromkeys(ANSWERED_ERRORS, answered), 500: failed},
        middleware=[
            DefineMiddleware(
                ClientIpRateLimit,
                limiter=limiter,
                per_minute=settings.auth_rate_limit_per_minute,
                observer=refused,
                exempt=TOKEN_PATHS,
            )
        ],
        lifespan=[lifespan],
        request_max_body_size=settings.max_body_bytes,
        debug=False,
        logging_config=None,
    )
    app.state["draining"] = draining
    app.state["transport"] = transport
    host_names = settings.host_names
    hosts = HostAllowList(host_names) if host_names is not None else None
    served = McpFirst(mcp_endpoints, app, hosts)
    identity.loopback().bind(served)
    return served


def _ignore(_scope: str) -> None:
    return None


async def readiness(settings: Settings, container: Container, draining: Draining) -> Readiness:
    """The readiness probes: Jamf answers, the identity keys are there, Redis answers, the audit
    trail can be written, and the server is not shutting down."""
    probes: list[Probe] = [JamfReachableProbe(await _resolved(container.jamf.http()))]
    verifier = container.identity.verifier()
    if verifier is not None:
        probes.append(IdentityKeysProbe(verifier.keys_ready, ok_detail="signing keys loaded"))
    redis = container.state.redis()
    if redis is not None:
        probes.append(PingProbe(lambda: ping(redis)))
    audit = await _resolved(container.application.audit())
    probes.append(PingProbe(audit.ping, name="audit"))
    probes.append(IdentityKeysProbe(lambda: not draining.active, name="accepting"))
    return Readiness(
        probes,
        # Audit down: actions are refused with a clear error, reads go on; the replica stays in
        # the load balancer (the database is shared, so taking replicas out helps no one).
        degradable=frozenset({"audit"}),
        timeout_seconds=settings.readiness_timeout_seconds,
        cache_seconds=settings.readiness_cache_seconds,
    )


async def _resolved(value: Any) -> Any:
    return await value if inspect.isawaitable(value) else value


def track_pending_confirmations(metrics: Metrics | None, container: Container) -> None:
    """Report the in-memory stores' open confirmations: tokens and approvals waiting for a person
    (Redis ones expire on their own)."""
    store = container.state.confirmations()
    approvals = container.state.approvals()
    if metrics is None or not isinstance(store, InMemoryConfirmationStore):
        return

    def pending() -> float:
        now = datetime.now(UTC)
        tokens = sum(
            1 for c in store.confirmations.values() if not c.redeemed and c.expires_at > now
        )
        if not isinstance(approvals, InMemoryApprovalStore):
            return tokens
        return tokens + sum(1 for a in approvals.approvals.values() if a.open(now))

    metrics.track_pending_confirmations(pending)


def run_stdio(settings: Settings) -> None:
    """Serve MCP over stdin/stdout (newline-delimited JSON-RPC) until stdin closes.

    For MCP clients that start the server themselves (Claude Desktop, IDEs). There is no sign-in
    on stdio: whoever can start the process is the user, so every message acts as the local
    operator (`read:jamf` and `write:jamf`), and no identity provider or OAuth front door is
    started. Jamf Pro credentials come from the environment (without `JAMF_URL`, the embedded
    demo tenant is served). Stdout carries JSON-RPC only (anything else written to it goes to
    stderr, with the logs). When stdin closes, running requests get a few seconds to finish;
    SIGINT or SIGTERM cancels them at once; either way the resources are shut down.
    """

    from jamf_mcp.adapters.stdio import claim_stdout

    with claim_stdout() as protocol_fd:
        asyncio.run(_serve_stdio(settings, protocol_fd))


async def _serve_stdio(settings: Settings, protocol_fd: int) -> None:
    from datetime import timedelta

    from jamf_mcp.adapters.mcp import InMemorySessionStore
    from jamf_mcp.adapters.stdio import (
        PipeReader,
        PipeWriter,
        StdioTransport,
        run_until_signalled,
    )
    from jamf_mcp.domain.principal import local_operator

    container = build_container(settings)
    # No pages on stdio: form elicitation, the opted-in token, or a clear refusal (ADR 0033).
    container.mcp.approval_links.override(providers.Object(None))
    # The one stdio session lasts as long as the process; an idle hour must not end it.
    container.state.sessions.override(InMemorySessionStore(idle_timeout=timedelta(days=36_500)))
    await container.init_resources()  # type: ignore[misc]
    try:
        server = container.mcp.server()
        server = await server if inspect.isawaitable(server) else server
        transport = StdioTransport(server, local_operator(), PipeWriter(protocol_fd))
        logger.info(
            "Serving MCP on stdin/stdout as the local operator (no sign-in); Jamf Pro: %s",
            _jamf_target(settings),
        )
        frames = PipeReader(0, settings.max_body_bytes)
        if await run_until_signalled(transport.serve(frames)):
            logger.info("Stopped by a signal")
    finally:
        await container.shutdown_resources()  # type: ignore[misc]
    logger.info("Stdio session ended")


def _jamf_target(settings: Settings) -> str:
    """Where Jamf Pro is, for the log: never credentials (a URL's user info is dropped)."""
    from urllib.parse import urlsplit

    if settings.jamf.url is None:
        return f"embedded demo tenant ({settings.simulator.computers} computers)"
    parts = urlsplit(settings.jamf.url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
