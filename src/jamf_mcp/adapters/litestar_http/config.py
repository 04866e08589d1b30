"""Settings of the Streamable HTTP transport."""

from __future__ import annotations

from collections.abc import Iterable

import attrs


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
    """

    path: str = "/mcp"
    max_body_bytes: int = 1_000_000
    allowed_origins: frozenset[str] = attrs.field(default=frozenset(), converter=_names)
    allowed_hosts: frozenset[str] | None = attrs.field(
        default=None, converter=attrs.converters.optional(_names)
    )
