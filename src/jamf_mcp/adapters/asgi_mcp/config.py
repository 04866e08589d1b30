"""Settings of the Streamable HTTP transport."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from jamf_mcp.adapters.asgi_mcp.draining import Draining


def _names(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


@attrs.frozen
class HttpTransportConfig:
    """How the MCP endpoint is exposed.

    Attributes:
        path: where the MCP endpoint lives.
        max_body_bytes: larger POST bodies are refused with 413.
        allowed_origins: exact `Origin` values accepted besides loopback ones
            (e.g. `"https://chatgpt.com"`).
        allowed_hosts: when set, `Host` values (with or without port) accepted besides
            loopback ones; anything else is refused with 403 to stop DNS rebinding.
        keepalive_seconds: a `: ping` comment goes out on every SSE stream idle this long (below
            the 60 s idle timeout of load balancers such as AWS ALB).
        legacy_sse_path: the 2024-11-05 HTTP+SSE stream; its POST endpoint is `messages_path`.
        messages_path: where legacy SSE clients POST their messages (`?session_id=…`).
        draining: tells idle streams the server is shutting down (set by the composition root).
        max_streams_per_principal: long-lived streams (`GET`, legacy SSE) one user may hold in
            this process; a new one ends their oldest.
        max_streams: long-lived streams this process may hold; a new one beyond is refused.
    """

    path: str = "/mcp"
    max_body_bytes: int = 1_000_000
    allowed_origins: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    allowed_hosts: frozenset[str] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_names)
    )
    keepalive_seconds: float = 30.0
    legacy_sse_path: str = "/sse"
    messages_path: str = "/messages"
    draining: Draining | None = attrs.field(default=None, eq=False)
    max_streams_per_principal: int = 16
    max_streams: int = 1_000
