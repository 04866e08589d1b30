"""What the request observability middleware reports to, and which paths it treats specially."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import attrs


class HttpObserver(Protocol):
    """What the middleware reports (implemented by the Prometheus `Metrics`)."""

    def observe_request(
        self,
        route: str,
        method: str,
        status: int,
        seconds: float,
        *,
        rpc_method: str = "",
        tool: str = "",
    ) -> None:
        """A response started `seconds` after the request arrived."""
        ...

    def sse_opened(self, transport: str) -> Callable[[], None]:
        """An SSE response started; the result is called once when the connection ends."""
        ...

    def count_error(self, kind: str, code: str) -> None:
        """An error of `kind` (`internal` here: the application raised)."""
        ...


@attrs.frozen
class ObservabilityConfig:
    """Which requests get special treatment.

    Attributes:
        mcp_paths: Paths whose POST bodies are JSON-RPC messages (labelled with their method and
            tool): the Streamable HTTP endpoint and the legacy SSE message endpoint.
        legacy_sse_paths: Paths whose event streams are the 2024-11-05 HTTP+SSE transport.
        quiet_paths: Paths whose successful requests are logged at DEBUG (health checks and
            scrapes would drown everything else).
        max_peek_bytes: Larger JSON-RPC bodies are not inspected for labels.
    """

    mcp_paths: frozenset[str] = frozenset({"/mcp", "/messages"})
    legacy_sse_paths: frozenset[str] = frozenset({"/sse"})
    quiet_paths: frozenset[str] = frozenset({"/health", "/health/ready", "/metrics"})
    max_peek_bytes: int = 1_000_000
