"""The composition root's entry points: `create_app(settings)` (the ASGI application), and
`run_http` / `run_stdio`, which serve it or the stdio transport until told to stop.

Everything they serve is built by the containers (`jamf_mcp.containers`); this module only
looks it up and runs it.
"""

from __future__ import annotations

import asyncio
import logging
from types import FrameType

import uvicorn
from dependency_injector import providers

from jamf_mcp.adapters.asgi_mcp import Draining, McpFirst
from jamf_mcp.adapters.uvicorn_server import slow_client_guard
from jamf_mcp.containers import Container, build_container, http_container
from jamf_mcp.containers.lifespan import resources_open
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
    http = http_container(build_container(settings))
    config = uvicorn.Config(
        http.observed_app(),
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
    DrainingServer(config, http.draining()).run()


def create_app(settings: Settings, container: Container | None = None) -> McpFirst:
    """The ASGI application: the MCP endpoints, and Litestar for sign-in, health and metrics.

    Args:
        settings: the configuration served.
        container: the service to serve (tests override some of its providers first); by
            default one built for `settings`.
    """
    return http_container(container or build_container(settings)).app()


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
    async with resources_open(container):
        # The server depends on async Resources (the signal router, the audit trail).
        server = await container.mcp.server.async_()
        transport = StdioTransport(server, local_operator(), PipeWriter(protocol_fd))
        logger.info(
            "Serving MCP on stdin/stdout as the local operator (no sign-in); Jamf Pro: %s",
            _jamf_target(settings),
        )
        frames = PipeReader(0, settings.max_body_bytes)
        if await run_until_signalled(transport.serve(frames)):
            logger.info("Stopped by a signal")
    logger.info("Stdio session ended")


def _jamf_target(settings: Settings) -> str:
    """Where Jamf Pro is, for the log: never credentials (a URL's user info is dropped)."""
    from urllib.parse import urlsplit

    if settings.jamf.url is None:
        return f"embedded demo tenant ({settings.simulator.computers} computers)"
    parts = urlsplit(settings.jamf.url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}{parts.path}"
