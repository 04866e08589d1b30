"""Latency, injected failures and a concurrency cap, as ASGI middleware around every route."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Mapping

import attrs
import msgspec
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from jamf_mcp.simulator.errors import api_error_body
from jamf_mcp.simulator.options import SimulatorOptions

_EDGE_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
)
_REASONS = {502: "Bad Gateway", 504: "Gateway Time-out"}


@attrs.define
class FaultConfig:
    """Mutable at runtime: tests may change any attribute between requests.

    Routes are named as ``RequestStats.requests`` counts them: ``"METHOD path_template"``, e.g.
    ``"PUT /JSSResource/computergroups/id/{group_id}"`` (path parameters without their type).

    Attributes:
        latency_ms: Delay before every request is handled.
        jitter_ms: Extra uniform random delay, 0..jitter_ms.
        fault_rates: Share of all requests answered with a status instead of being handled.
        slow_rate: Share of requests delayed by an extra ``slow_ms``.
        slow_ms: The extra delay of a slow request.
        concurrency_cap: Requests beyond this many in flight get an immediate 503.
        route_fault_rates: Per route, the share of its requests answered with a status instead
            of being handled (nothing is applied), rolled after ``fault_rates`` with the same
            seeded generator.
        route_delays_ms: Per route, a delay *after* the route handled the request and before
            its answer goes out: the change is applied, and a client whose timeout is shorter
            never hears back (the "applied, but no answer" case of a write).
    """

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    fault_rates: dict[int, float] = attrs.field(factory=dict)
    slow_rate: float = 0.0
    slow_ms: float = 2000.0
    concurrency_cap: int | None = None
    route_fault_rates: dict[str, dict[int, float]] = attrs.field(factory=dict)
    route_delays_ms: dict[str, float] = attrs.field(factory=dict)

    @classmethod
    def from_options(cls, options: SimulatorOptions) -> FaultConfig:
        return cls(
            latency_ms=options.latency_ms,
            jitter_ms=options.jitter_ms,
            fault_rates=dict(options.fault_rates),
            slow_rate=options.slow_rate,
            slow_ms=options.slow_ms,
            concurrency_cap=options.concurrency_cap,
        )


@attrs.define
class RequestStats:
    """What the simulator has been asked, for tests and the benchmark."""

    requests: Counter[str] = attrs.field(factory=Counter)
    in_flight: int = 0
    max_in_flight: int = 0
    token_requests: int = 0

    @property
    def total(self) -> int:
        return sum(self.requests.values())

    def reset(self) -> None:
        self.requests.clear()
        self.max_in_flight = self.in_flight
        self.token_requests = 0


def _fault_body(status: int) -> tuple[bytes, bytes]:
    if status in _REASONS:
        page = _EDGE_PAGE.format(status=status, reason=_REASONS[status])
        return page.encode(), b"text/html"
    return msgspec.json.encode(api_error_body(status, None)), b"application/json"


class FaultMiddleware:
    """Counts requests, enforces the cap, then maybe delays and maybe fails instead of answering."""

    def __init__(self, app: ASGIApp, faults: FaultConfig, stats: RequestStats, seed: int) -> None:
        self.app = app
        self.faults = faults
        self.stats = stats
        self.rng = random.Random(seed ^ 0x5EED)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        stats, faults = self.stats, self.faults
        template = scope.get("path_template") or scope["path"]
        route = f"{scope.get('method', 'GET')} {template}"
        stats.requests[route] += 1
        if "oauth/token" in template or template.endswith("/auth/token"):
            stats.token_requests += 1
        cap = faults.concurrency_cap
        if cap is not None and stats.in_flight >= cap:
            await _send_fault(send, 503)
            return
        stats.in_flight += 1
        stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
        try:
            delay = faults.latency_ms + (
                self.rng.uniform(0, faults.jitter_ms) if faults.jitter_ms else 0.0
            )
            if faults.slow_rate and self.rng.random() < faults.slow_rate:
                delay += faults.slow_ms
            if delay > 0:
                await asyncio.sleep(delay / 1000)
            status = self._roll(faults.fault_rates)
            if status is None:
                status = self._roll(faults.route_fault_rates.get(route) or {})
            if status is not None:
                await _send_fault(send, status)
                return
            answer_delay = faults.route_delays_ms.get(route, 0.0)
            await self.app(scope, receive, _delayed(send, answer_delay) if answer_delay else send)
        finally:
            stats.in_flight -= 1

    def _roll(self, rates: Mapping[int, float]) -> int | None:
        if not rates:
            return None
        roll = self.rng.random()
        for status, rate in sorted(rates.items()):
            if roll < rate:
                return status
            roll -= rate
        return None


def _delayed(send: Send, delay_ms: float) -> Send:
    """``send`` that holds the start of the answer back by ``delay_ms``."""

    async def send_later(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(delay_ms / 1000)
        await send(message)

    return send_later


async def _send_fault(send: Send, status: int) -> None:
    body, media_type = _fault_body(status)
    start: Message = {
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", media_type), (b"content-length", str(len(body)).encode())],
    }
    await send(start)
    await send({"type": "http.response.body", "body": body, "more_body": False})
