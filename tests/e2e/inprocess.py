"""The real app served by uvicorn on a loopback port inside the test's event loop.

Clients still talk real HTTP; the test can also reach into the container (the embedded
simulator's state, an injected clock), which a subprocess would hide.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import attrs
import httpx2
import uvicorn
from dependency_injector import providers

from jamf_mcp.adapters.memory import FixedClock
from jamf_mcp.adapters.oidc.signing import SigningKey, access_token_claims
from jamf_mcp.containers import Container
from jamf_mcp.main import build_container, create_app
from jamf_mcp.settings import AuthSettings, Settings, SimulatorSettings
from jamf_mcp.simulator import JamfSimulator

READ_WRITE = frozenset({"read:jamf", "write:jamf"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@attrs.frozen
class InProcessServer:
    """A running app: its URLs, settings and embedded simulator."""

    settings: Settings
    simulator: JamfSimulator

    @property
    def mcp_url(self) -> str:
        return f"{self.settings.public_url}/mcp"

    def token(self, subject: str, scopes: frozenset[str] = READ_WRITE) -> str:
        """An access token this server accepts, like `jamf-mcp dev-token` prints."""
        key = SigningKey.load_or_create(self.settings.data_dir / "signing-key.json")
        claims = access_token_claims(
            issuer=self.settings.public_url,
            audience=self.settings.resource_url,
            subject=subject,
            scopes=scopes,
            ttl_seconds=3600,
            client_id="pytest",
            extra={"name": subject},
        )
        return key.sign(claims)

    def http(
        self, subject: str = "alice", scopes: frozenset[str] = READ_WRITE
    ) -> httpx2.AsyncClient:
        """An HTTP client for the official MCP client, signed in as `subject`."""
        return httpx2.AsyncClient(
            headers={"Authorization": f"Bearer {self.token(subject, scopes)}"}, timeout=60
        )

    def writes(self) -> int:
        """How many state-changing requests the simulated Jamf Pro has received."""
        return sum(
            count
            for key, count in self.simulator.stats.requests.items()
            if not key.startswith("GET ") and "oauth/token" not in key
        )


@asynccontextmanager
async def serving(
    data_dir: Path,
    *,
    computers: int = 500,
    latency_ms: float = 0.0,
    clock: FixedClock | None = None,
    confirmation_ttl_seconds: int = 300,
    port: int | None = None,
    configure: Callable[[Container], None] | None = None,
    auth_options: dict[str, object] | None = None,
    **overrides: object,
) -> AsyncIterator[InProcessServer]:
    """Serve the app (sign-in with the server's own tokens) until the block ends.

    `overrides` are further `Settings` fields (e.g. `rate_limit_per_minute=5`); `configure` may
    override container providers before the app is built (e.g. the Client ID Metadata Document
    fetcher's network).
    """
    port = port or free_port()
    settings = Settings(
        port=port,
        data_dir=data_dir,
        simulator=SimulatorSettings(computers=computers, latency_ms=latency_ms, tick_seconds=0.2),
        auth=AuthSettings(mode="dev", **(auth_options or {})),  # type: ignore[arg-type]
        **overrides,  # type: ignore[arg-type]
    )
    settings = attrs.evolve(
        settings,
        actions=attrs.evolve(settings.actions, confirmation_ttl_seconds=confirmation_ttl_seconds),
    )
    container = build_container(settings)
    if clock is not None:
        container.application.clock.override(providers.Object(clock))
    if configure is not None:
        configure(container)
    app = create_app(settings, container)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        simulator = container.jamf.simulator()
        assert simulator is not None
        yield InProcessServer(settings, simulator)
    finally:
        server.should_exit = True
        await task
