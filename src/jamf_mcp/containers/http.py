"""The HTTP edge's wiring: the ASGI application `jamf-mcp serve` runs, built over the service.

`HttpContainer` holds every piece as a provider — the MCP transport, the sign-in check, the
readiness probes, the route groups, Litestar, and `McpFirst` in front — and the lifespan that
starts the service's resources and the running MCP server with the application. `create_app`
only looks the application up.
"""

from __future__ import annotations

import logging

from dependency_injector import containers, providers

from jamf_mcp import approval_wiring
from jamf_mcp.adapters.asgi_mcp.bearer_auth import SignIn
from jamf_mcp.adapters.asgi_mcp.draining import Draining
from jamf_mcp.adapters.asgi_mcp.endpoint import McpEndpoint
from jamf_mcp.adapters.asgi_mcp.mcp_http import McpHttpApp
from jamf_mcp.adapters.asgi_mcp.rate_limits import PrincipalRateLimit
from jamf_mcp.adapters.asgi_mcp.refusals import error_answers
from jamf_mcp.adapters.litestar_http.health_routes import health_route_handlers
from jamf_mcp.adapters.litestar_http.readiness_routes import readiness_route_handlers
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.containers import http_edge
from jamf_mcp.containers.lifespan import ServiceLifespan, running_service
from jamf_mcp.containers.service import Container
from jamf_mcp.settings import Settings


class HttpContainer(containers.DeclarativeContainer):
    """The HTTP edge: the MCP endpoints (raw ASGI) ahead of Litestar's routes, over the service's
    containers (`http_container` passes them in).

    Its resources are the service's (reached through those containers) and the running service
    (`running`); `lifespan` starts and stops them with the application.
    """

    __self__ = providers.Self()
    state = providers.DependenciesContainer()
    identity = providers.DependenciesContainer()
    jamf = providers.DependenciesContainer()
    application = providers.DependenciesContainer()
    mcp = providers.DependenciesContainer()
    settings = providers.Dependency(instance_of=Settings)
    metrics: providers.Dependency[Metrics | None] = providers.Dependency()

    draining = providers.Singleton(Draining)
    transport = providers.Singleton(http_edge.transport_config, settings, draining)
    refused = providers.Singleton(http_edge.refusal_counter, metrics)
    answer_error = providers.Singleton(error_answers, identity.authenticator)
    sign_in = providers.Singleton(
        PrincipalRateLimit,
        providers.Singleton(SignIn, identity.authenticator).provided.principal,
        state.rate_limiter,
        providers.Callable(lambda s: s.rate_limit_per_minute, settings),
        refused,
    )
    """Each MCP request's caller: signed in, named in the log context, within their rate limit."""

    readiness = providers.Factory(
        http_edge.readiness_probes,
        jamf_http=jamf.http,
        verifier=identity.verifier,
        redis=state.redis,
        audit=application.audit,
        draining=draining,
        settings=settings,
    )
    running = providers.Resource(
        running_service,
        server=mcp.server,
        readiness=readiness,
        approval_desk=application.approval_desk,
        draining=draining,
        metrics=metrics,
        grace_seconds=providers.Callable(lambda s: s.shutdown_grace_seconds, settings),
    )
    pending_confirmations = providers.Resource(
        http_edge.track_pending_confirmations,
        metrics,
        state.confirmations,
        state.approvals,
    )
    lifespan = providers.Singleton(ServiceLifespan, __self__, running.provider)

    mcp_endpoints = providers.Singleton(
        McpHttpApp,
        transport,
        providers.Singleton(
            McpEndpoint,
            server=lifespan.provided.server,
            authenticate=sign_in.provided.principal,
            answer_error=answer_error,
        ),
    )
    approval_pages = providers.Singleton(
        approval_wiring.approval_pages,
        settings,
        state.page_sessions,
        application.clock,
        identity.upstream,
        identity.front_door,
        lifespan.provided.approval_desk,
    )
    routes = providers.List(
        providers.Callable(health_route_handlers),
        providers.Callable(readiness_route_handlers, lifespan.provided.readiness),
        providers.Callable(http_edge.metrics_routes, metrics, settings),
        approval_pages.provided.routes,
        providers.Callable(
            http_edge.sign_in_routes,
            identity.front_door,
            state.registrations,
            state.rate_limiter,
            refused,
            approval_pages.provided.callback,
            settings,
        ),
        providers.Callable(
            http_edge.home_routes,
            identity.front_door,
            lifespan.provided.readiness,
            settings,
        ),
        providers.Callable(http_edge.dev_idp_routes, identity.dev_idp),
    )
    rest = providers.Singleton(
        http_edge.litestar_app,
        routes,
        answer_error,
        state.rate_limiter,
        refused,
        lifespan,
        settings,
    )
    app = providers.Singleton(http_edge.mcp_first, mcp_endpoints, rest, settings, identity.loopback)
    """The ASGI application: what `create_app` returns."""
    observed_app = providers.Singleton(http_edge.observed_app, app, metrics, transport)
    """The application measured and access-logged: what uvicorn serves."""


def http_container(service: Container) -> HttpContainer:
    """The HTTP edge over `service` (whose providers tests may have overridden)."""
    # Every call is in the access log (with its tool and outcome): no second line per success.
    service.mcp.tool_success_log_level.override(providers.Object(logging.DEBUG))
    return HttpContainer(
        settings=service.settings,
        metrics=service.metrics,
        state=service.state,
        identity=service.identity,
        jamf=service.jamf,
        application=service.application,
        mcp=service.mcp,
    )
