"""``JamfSimulator``: builds a tenant and its Litestar app; ``run_simulator`` serves it with uvicorn."""

from __future__ import annotations

import hashlib
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from litestar.middleware import DefineMiddleware
from litestar.types import Message, Scope

from jamf_mcp.simulator import (
    routes_auth,
    routes_classic_groups,
    routes_computers,
    routes_groups,
    routes_logflush,
    routes_mdm,
    routes_misc,
    routes_mobile,
    routes_mobile_commands,
    routes_policies,
)
from jamf_mcp.simulator.auth import TokenStore
from jamf_mcp.simulator.checkin import TickReport, run_checkins
from jamf_mcp.simulator.context import STATE_KEY, SimContext, authorize
from jamf_mcp.simulator.errors import (
    JamfHttpError,
    handle_http_exception,
    handle_jamf_error,
    handle_unexpected,
)
from jamf_mcp.simulator.faults import FaultConfig, FaultMiddleware, RequestStats
from jamf_mcp.simulator.options import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    SimulatorOptions,
)
from jamf_mcp.simulator.privileges import DEMO_CLIENTS
from jamf_mcp.simulator.tenant import Tenant, start_instant_ms


class JamfSimulator:
    """A stateful, deterministic fake Jamf Pro tenant served by a small Litestar app.

    Works without the Litestar lifespan having run (``httpx.ASGITransport`` never runs it).

    Attributes:
        options: What the simulator was built with.
        tenant: The in-memory state (computers, mobile devices, groups, policies, logs, clock).
        faults: Mutable fault configuration (latency, fault rates, slow share, concurrency cap).
        stats: Request counters (``requests``, ``max_in_flight``, ``token_requests``, ``total``).
        app: The ASGI application.
    """

    def __init__(self, options: SimulatorOptions | None = None) -> None:
        self.options = options or SimulatorOptions()
        self.tenant = Tenant(self.options, start_instant_ms(self.options))
        self.tokens = TokenStore(self.tenant.clock, self.options.token_ttl_seconds)
        self.tokens.clients[DEMO_CLIENT_ID] = (DEMO_CLIENT_SECRET, None)
        for client_id, secret, privileges in DEMO_CLIENTS:
            self.tokens.clients[client_id] = (secret, privileges)
        self.tokens.users[DEMO_USERNAME] = (DEMO_PASSWORD, None)
        self.faults = FaultConfig.from_options(self.options)
        self.stats = RequestStats()
        node = hashlib.blake2b(f"node:{self.options.seed}".encode(), digest_size=16).hexdigest()
        self.ingress_cookie = f"jpro-ingress={node}; Path=/; HttpOnly".encode()
        context = SimContext(self.options, self.tenant, self.tokens, self.faults, self.stats)
        self.app = Litestar(
            route_handlers=[
                *routes_auth.ROUTES,
                *routes_misc.ROUTES,
                *routes_computers.ROUTES,
                *routes_mobile.ROUTES,
                *routes_groups.ROUTES,
                *routes_policies.ROUTES,
                *routes_classic_groups.ROUTES,
                *routes_logflush.ROUTES,
                *routes_mdm.ROUTES,
                *routes_mobile_commands.ROUTES,
            ],
            guards=[authorize],
            middleware=[
                DefineMiddleware(
                    FaultMiddleware, faults=self.faults, stats=self.stats, seed=self.options.seed
                )
            ],
            exception_handlers={
                JamfHttpError: handle_jamf_error,
                HTTPException: handle_http_exception,
                Exception: handle_unexpected,
            },
            before_send=[self._set_ingress_cookie],
            state=State({STATE_KEY: context}),
            openapi_config=None,
            debug=False,
            logging_config=None,
        )

    async def _set_ingress_cookie(self, message: Message, scope: Scope) -> None:
        if message["type"] == "http.response.start":
            headers: Any = message.setdefault("headers", [])
            headers.append((b"set-cookie", self.ingress_cookie))

    def add_api_client(
        self, client_id: str, secret: str, privileges: frozenset[str] | None = None
    ) -> None:
        """Register an API client; ``privileges=None`` grants everything."""
        self.tokens.clients[client_id] = (secret, privileges)

    def add_user(
        self, username: str, password: str, privileges: frozenset[str] | None = None
    ) -> None:
        """Register a user account for Basic → bearer token exchange."""
        self.tokens.users[username] = (password, privileges)

    def expire_all_tokens(self) -> None:
        """Every token issued so far now answers 401 ``INVALID_TOKEN``."""
        self.tokens.expire_all()

    def tick(self, seconds: float) -> TickReport:
        """Advance the tenant clock, acknowledge reachable MDM commands (and mobile inventory
        requests, which bump the device's inventory time), and run the check-ins (and check-in
        policies) that fall due (see ``SimulatorOptions.check_in_interval_seconds``).

        The same clock ages bearer tokens: after a tick longer than ``token_ttl_seconds`` clients
        must fetch a new token (as they would against a real tenant after that much time).
        """
        return run_checkins(self.tenant, seconds)


def run_simulator(options: SimulatorOptions, host: str = "127.0.0.1", port: int = 9000) -> None:
    """Serve a simulator with uvicorn until interrupted (blocking)."""
    import uvicorn

    uvicorn.run(JamfSimulator(options).app, host=host, port=port, log_level="info")
