"""The pieces of the HTTP edge, each built from settings and the service's parts: the MCP
transport's configuration, the readiness probes, the route groups, the Litestar application and
the ASGI application in front of it. `HttpContainer` composes them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime

from litestar import Litestar
from litestar.middleware import DefineMiddleware
from litestar.types import ControllerRouterHandler

from jamf_mcp import __version__
from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer
from jamf_mcp.adapters.asgi_mcp.config import HttpTransportConfig
from jamf_mcp.adapters.asgi_mcp.draining import Draining
from jamf_mcp.adapters.asgi_mcp.mcp_first import McpFirst
from jamf_mcp.adapters.asgi_mcp.mcp_http import McpHttpApp
from jamf_mcp.adapters.asgi_mcp.rate_limits import Observer, ignore_refusal
from jamf_mcp.adapters.asgi_mcp.refusals import ANSWERED_ERRORS, unexpected_failure
from jamf_mcp.adapters.asgi_mcp.request_checks import HostAllowList
from jamf_mcp.adapters.asgi_observability.config import ObservabilityConfig
from jamf_mcp.adapters.asgi_observability.middleware import (
    ObservedApp,
    RequestObservability,
)
from jamf_mcp.adapters.asgi_observability.probes import (
    IdentityKeysProbe,
    JamfReachableProbe,
    PingProbe,
)
from jamf_mcp.adapters.asgi_observability.readiness import Probe, Readiness
from jamf_mcp.adapters.dev_idp import DevIdentityProvider, dev_idp_route_handlers
from jamf_mcp.adapters.jamf_rest import JamfHttp
from jamf_mcp.adapters.litestar_http.error_handlers import exception_handlers
from jamf_mcp.adapters.litestar_http.home_page import HomePage
from jamf_mcp.adapters.litestar_http.home_routes import connector_settings, home_route_handlers
from jamf_mcp.adapters.litestar_http.ip_rate_limits import ClientIpRateLimit
from jamf_mcp.adapters.litestar_http.metadata_routes import metadata_route_handlers
from jamf_mcp.adapters.litestar_http.metrics_routes import metrics_exposure, metrics_route_handlers
from jamf_mcp.adapters.litestar_http.oauth_routes import (
    TOKEN_PATHS,
    PageCallback,
    RegistrationQuota,
    oauth_route_handlers,
)
from jamf_mcp.adapters.memory import InMemoryApprovalStore, InMemoryConfirmationStore
from jamf_mcp.adapters.oauth_server import FrontDoor
from jamf_mcp.adapters.oauth_server.rate_limit import BucketRateLimiter
from jamf_mcp.adapters.oidc import OidcTokenVerifier
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.adapters.redis import RedisClient, ping
from jamf_mcp.application.approvals import ApprovalStore
from jamf_mcp.application.ports import ConfirmationStore, RateLimiter
from jamf_mcp.audit_wiring import AuditStore
from jamf_mcp.identity_wiring import LateBoundASGITransport
from jamf_mcp.settings import Settings

logger = logging.getLogger(__name__)

Routes = list[ControllerRouterHandler]
ReadinessNow = Callable[[], Readiness | None]
"""The readiness probes once the service runs (None before: answered 503 "starting")."""


def transport_config(settings: Settings, draining: Draining) -> HttpTransportConfig:
    """How the MCP endpoints are exposed (the `Host` check covers every route: `mcp_first`)."""
    return HttpTransportConfig(
        max_body_bytes=settings.max_body_bytes,
        allowed_origins=settings.allowed_origins,
        allowed_hosts=None,
        keepalive_seconds=settings.keepalive_seconds,
        draining=draining,
        max_streams_per_principal=settings.max_streams_per_user,
        max_streams=settings.max_streams,
    )


def refusal_counter(metrics: Metrics | None) -> Observer:
    """What rate limits tell of each refusal: the metrics' counter (or no one)."""
    return metrics.rate_limited if metrics is not None else ignore_refusal


def readiness_probes(
    jamf_http: JamfHttp,
    verifier: OidcTokenVerifier | None,
    redis: RedisClient | None,
    audit: AuditStore,
    draining: Draining,
    settings: Settings,
) -> Readiness:
    """The readiness probes: Jamf answers, the identity keys are there, Redis answers, the audit
    trail can be written, and the server is not shutting down."""
    probes: list[Probe] = [JamfReachableProbe(jamf_http)]
    if verifier is not None:
        probes.append(IdentityKeysProbe(verifier.keys_ready, ok_detail="signing keys loaded"))
    if redis is not None:
        probes.append(PingProbe(lambda: ping(redis)))
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


def track_pending_confirmations(
    metrics: Metrics | None, store: ConfirmationStore, approvals: ApprovalStore
) -> None:
    """Report the in-memory stores' open confirmations: tokens and approvals waiting for a person
    (Redis ones expire on their own)."""
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


def metrics_routes(metrics: Metrics | None, settings: Settings) -> Routes:
    """`/metrics`, unless metrics are off or it would be open to the network without consent."""
    if metrics is None:
        return []
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
        return []
    return metrics_route_handlers(metrics, token=settings.metrics_token)


def sign_in_routes(
    front_door: FrontDoor | None,
    registrations: RateLimiter,
    limiter: RateLimiter,
    refused: Observer,
    page_callback: PageCallback,
    settings: Settings,
) -> Routes:
    """The OAuth front door's metadata and endpoints (none when authentication is off)."""
    if front_door is None:
        return []
    quota = RegistrationQuota(registrations, settings.auth.registrations_per_ip_per_day)
    token_ceiling = BucketRateLimiter(
        limiter, settings.auth.token_address_ceiling_per_minute, refused, "token_ip"
    )
    return [
        *metadata_route_handlers(front_door.config),
        *oauth_route_handlers(
            front_door, token_ceiling, registrations=quota, page_callback=page_callback
        ),
    ]


def home_routes(
    front_door: FrontDoor | None, readiness: ReadinessNow, settings: Settings
) -> Routes:
    """The home page: what to paste into a client, and whether the service is ready."""
    page = HomePage(
        version=__version__,
        connector=connector_settings(
            settings.resource_url, front_door.config if front_door is not None else None
        ),
        sign_in=settings.auth.mode,
        docs_url=settings.docs_url,
    )
    return home_route_handlers(
        page,
        readiness,
        registration_modes=front_door.registration_modes if front_door is not None else None,
    )


def dev_idp_routes(dev_idp: DevIdentityProvider | None) -> Routes:
    """The embedded development identity provider's pages (`dev` mode only)."""
    return [] if dev_idp is None else dev_idp_route_handlers(dev_idp)


def litestar_app(
    route_groups: Iterable[Routes],
    answer_error: Callable[[Exception], Answer | None],
    limiter: RateLimiter,
    refused: Observer,
    lifespan: Callable[[Litestar], AbstractAsyncContextManager[None]],
    settings: Settings,
) -> Litestar:
    """Litestar for every path but the MCP endpoints: sign-in pages limited per client address,
    errors answered as the MCP endpoints answer them, the service started by `lifespan`."""
    return Litestar(
        route_handlers=[route for group in route_groups for route in group],
        exception_handlers=exception_handlers(ANSWERED_ERRORS, answer_error, unexpected_failure),
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


def mcp_first(
    endpoints: McpHttpApp, rest: Litestar, settings: Settings, loopback: LateBoundASGITransport
) -> McpFirst:
    """The whole ASGI application: the MCP endpoints ahead of Litestar, every route behind the
    `Host` check when the settings name the hosts; the development IdP's loopback client (sign-in
    in `dev` mode) reaches this application in process."""
    names = settings.host_names
    app = McpFirst(endpoints, rest, HostAllowList(names) if names is not None else None)
    loopback.bind(app)
    return app


def observed_app(
    app: McpFirst, metrics: Metrics | None, transport: HttpTransportConfig
) -> ObservedApp:
    """`app` measured and logged (the access log), unrouted requests included: what uvicorn serves."""
    return RequestObservability(
        metrics,
        ObservabilityConfig(
            mcp_paths=frozenset({transport.path, transport.messages_path}),
            legacy_sse_paths=frozenset({transport.legacy_sse_path}),
        ),
    )(app)
